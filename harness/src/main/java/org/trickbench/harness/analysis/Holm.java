package org.trickbench.harness.analysis;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Objects;
import java.util.stream.IntStream;

/**
 * Holm's step-down adjustment of p-values (Holm 1979, Scand. J. Statist. 6:65–70): it controls the
 * family-wise error rate like Bonferroni under any dependence, and rejects at least as much.
 * Written here because Commons Math 3.6.1 has no multiple-comparison adjustment.
 */
public final class Holm {
    private Holm() {}

    /**
     * Adjusted p-values, in the order given. With p sorted ascending as p_(1) ≤ … ≤ p_(m), the
     * adjusted value of p_(i) is max over j ≤ i of min(1, (m − j + 1) · p_(j)); the running maximum
     * keeps the adjusted values in the order of the raw ones. Reject hypothesis i at level α when
     * its adjusted value is ≤ α.
     */
    public static double[] adjust(double... p) {
        Objects.requireNonNull(p, "p");
        for (int i = 0; i < p.length; i++) {
            if (!(p[i] >= 0 && p[i] <= 1)) {
                throw new IllegalArgumentException("p-value " + i + " is " + p[i] + "; p-values lie in [0, 1]");
            }
        }
        int m = p.length;
        // A stable sort, so tied p-values keep their input order and the result does not depend on it.
        Integer[] order = IntStream.range(0, m).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble(i -> p[i]));
        double[] adjusted = new double[m];
        double runningMax = 0;
        for (int rank = 0; rank < m; rank++) {
            int i = order[rank];
            runningMax = Math.max(runningMax, Math.min(1, (m - rank) * p[i]));
            adjusted[i] = runningMax;
        }
        return adjusted;
    }
}
