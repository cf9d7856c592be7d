package org.trickbench.harness.analysis;

import java.util.List;
import java.util.Objects;
import org.apache.commons.math3.stat.correlation.KendallsCorrelation;
import org.apache.commons.math3.stat.correlation.SpearmansCorrelation;

/**
 * Whether a cheap signal ranks genotypes as the expensive one does: Kendall's τ (τ-b, which corrects
 * for ties) and Spearman's ρ (Pearson correlation of ranks, tied values sharing their mean rank).
 * A proxy or a low fidelity is useful for search when it orders candidates like the final accuracy,
 * whatever its scale; that is why rank and not linear correlation is measured.
 */
public final class RankConsistency {
    private RankConsistency() {}

    /**
     * @param n the pairs compared
     * @param kendallTau τ-b in [−1, 1]; NaN with fewer than two pairs or when one side is constant
     * @param spearmanRho ρ in [−1, 1]; NaN likewise
     */
    public record Result(int n, double kendallTau, double spearmanRho) {}

    /** Rank agreement of paired values, e.g. one genotype's accuracy at a low and at the final fidelity. */
    public static Result of(double[] x, double[] y) {
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(y, "y");
        if (x.length != y.length) {
            throw new IllegalArgumentException("paired values must have equal lengths, got " + x.length + " and "
                    + y.length);
        }
        for (int i = 0; i < x.length; i++) {
            if (Double.isNaN(x[i]) || Double.isNaN(y[i])) {
                throw new IllegalArgumentException("pair " + i + " holds NaN; drop pairs without both values first");
            }
        }
        if (x.length < 2) {
            return new Result(x.length, Double.NaN, Double.NaN);
        }
        return new Result(x.length, new KendallsCorrelation().correlation(x, y),
                new SpearmansCorrelation().correlation(x, y));
    }

    /**
     * Rank agreement between the proxy score of each run's genotype and its final accuracy, over the
     * runs that have a proxy score (null and NaN scores are left out).
     */
    public static Result proxyVersusAccuracy(List<Observation> observations) {
        Objects.requireNonNull(observations, "observations");
        List<Observation> scored = observations.stream()
                .filter(o -> o.proxyScore() != null && !o.proxyScore().isNaN()).toList();
        return of(scored.stream().mapToDouble(Observation::proxyScore).toArray(),
                scored.stream().mapToDouble(Observation::accuracy).toArray());
    }
}
