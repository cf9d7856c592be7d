package org.trickbench.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

/**
 * Compares one network's gradients, tensor by tensor: max|a − b| within {@code tolerance} of the
 * tensor's largest gradient. A tensor whose gradient is zero up to rounding (below {@link #ZERO} of the
 * network's largest, such as a BatchNorm shift that feeds straight into a training-mode BatchNorm, which
 * removes it) has no scale of its own: it is held to the network's largest times {@link #ZERO}.
 */
public final class GradientAgreement {
    /** Where a tensor's gradients count as zero, relative to the network's largest. */
    public static final double ZERO = 1e-2;

    private GradientAgreement() {}

    /** {@code names.get(j)} names tensor j in messages. */
    public static void assertClose(List<float[]> expected, List<float[]> actual, double tolerance,
            List<String> names, String what) {
        assertEquals(expected.size(), actual.size(), what + ": tensors");
        double network = 0;
        for (float[] g : expected) {
            network = Math.max(network, largest(g));
        }
        assertTrue(network > 0, what + " has gradients");
        for (int j = 0; j < expected.size(); j++) {
            float[] a = expected.get(j);
            float[] b = actual.get(j);
            assertEquals(a.length, b.length, what + " " + names.get(j));
            double worst = 0;
            for (int k = 0; k < a.length; k++) {
                worst = Math.max(worst, Math.abs(a[k] - b[k]));
            }
            double scale = Math.max(largest(a), ZERO * network);
            assertTrue(worst <= tolerance * scale, what + " " + names.get(j) + ": off by " + worst + " of " + scale);
        }
    }

    private static double largest(float[] g) {
        double m = 0;
        for (float v : g) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }
}
