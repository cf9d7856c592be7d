package org.trickbench.harness.analysis;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * Search-side versus train-side attribution of a trick's gain, from the 2×2 cross-evaluation. A run
 * with some tricks switched on and its base run without them (same algorithm, data set and seed)
 * each find a genotype, G₁ and G₀, and each train it under its own final protocol, P₁ (with the
 * tricks' train-side parts) and P₀. The cross-evaluations train G₁ under P₀ and G₀ under P₁, which
 * gives the four accuracies A(G, P) of a two-factor, two-level design with one observation per seed:
 * <ul>
 * <li><b>total</b> = A(G₁, P₁) − A(G₀, P₀), the gain the run reports;
 * <li><b>architecture</b> (search side) = A(G₁, P₀) − A(G₀, P₀): what the genotype found with the tricks
 *     gains when trained like the base;
 * <li><b>training</b> (train side) = A(G₀, P₁) − A(G₀, P₀): what the base's own genotype gains from the
 *     tricks' training alone;
 * <li><b>interaction</b> = A(G₁, P₁) − A(G₁, P₀) − A(G₀, P₁) + A(G₀, P₀): how much more the training helps
 *     the new genotype than the old one;
 * </ul>
 * so that total = architecture + training + interaction exactly (the simple-effects decomposition of a
 * 2×2 factorial at the base levels, Box, Hunter &amp; Hunter 2005, ch. 5). Each part is a paired difference
 * per seed (the four cells of a seed share its data order and initialisation); its interval is the 95% t
 * interval of the mean over seeds with n − 1 degrees of freedom. The shares are the ratios of the mean
 * parts to the mean total, with 95% percentile intervals from resampling seeds (Efron &amp; Tibshirani 1993,
 * ch. 13); a share is unstable when the total gain is near zero, which its interval shows.
 *
 * <p>Pooled results average each cell over the algorithms present in a seed before differencing, so
 * every algorithm weighs the same in the pooled gain.
 */
public final class Attribution {
    private Attribution() {}

    /** The algorithm of a result pooled over every algorithm of the data set and contrast. */
    public static final String POOLED = "(all algorithms)";
    private static final double LEVEL = 0.95;

    /**
     * One seed's 2×2 for one run against its base.
     *
     * @param tricks the tricks the run switches on and its base does not
     * @param base A(G₀, P₀): the base run's own accuracy
     * @param architectureOnly A(G₁, P₀): the run's genotype trained under the base's protocol
     * @param trainingOnly A(G₀, P₁): the base's genotype trained under the run's protocol
     * @param both A(G₁, P₁): the run's own accuracy
     */
    public record Cross(String algorithm, String dataset, long seed, Set<String> tricks, double base,
            double architectureOnly, double trainingOnly, double both) {
        public Cross {
            Objects.requireNonNull(algorithm, "algorithm");
            Objects.requireNonNull(dataset, "dataset");
            tricks = Collections.unmodifiableSet(new TreeSet<>(tricks));
            if (tricks.isEmpty()) {
                throw new IllegalArgumentException("a cross-evaluation of " + algorithm + " (seed " + seed
                        + ") compares a run with its base, so it needs at least one trick switched on");
            }
            for (double v : new double[] {base, architectureOnly, trainingOnly, both}) {
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException("cross-evaluation of " + algorithm + " " + tricks + " (seed " + seed
                            + ") has a non-finite accuracy");
                }
            }
        }

        /** The tricks joined by '+', as the report labels the contrast. */
        public String contrast() {
            return String.join("+", tricks);
        }

        double[] parts() {
            return new double[] {both - base, architectureOnly - base, trainingOnly - base,
                    both - architectureOnly - trainingOnly + base};
        }
    }

    /** A mean over seeds with its 95% t interval; NaN bounds with a single seed. */
    public record Estimate(double mean, double ciLow, double ciHigh) {
        public boolean covers(double value) {
            return ciLow <= value && value <= ciHigh;
        }
    }

    /** A share of the total gain with its seed-bootstrap 95% interval; NaN bounds with a single seed. */
    public record Share(double value, double low, double high) {}

    /**
     * The attribution of one contrast.
     *
     * @param algorithm the algorithm, or {@link #POOLED}
     * @param contrast the tricks switched on against the base, joined by '+'
     * @param seeds the seeds with a complete 2×2
     */
    public record Result(String dataset, String algorithm, String contrast, int seeds, Estimate total,
            Estimate architecture, Estimate training, Estimate interaction, Share architectureShare,
            Share trainingShare, Share interactionShare) {}

    /**
     * Every contrast per data set and algorithm, then pooled over algorithms where there are several;
     * ordered by data set, contrast, then algorithm with the pooled result first.
     *
     * @param resamples seed-bootstrap resamples for the share intervals (0 leaves them NaN)
     * @param random the bootstrap's only source of randomness
     * @throws IllegalArgumentException when one seed has two 2×2s for the same algorithm and contrast
     */
    public static List<Result> compute(List<Cross> crosses, int resamples, SplittableRandom random) {
        Objects.requireNonNull(crosses, "crosses");
        Objects.requireNonNull(random, "random");
        Map<List<String>, Map<Long, double[]>> byAlgorithm = new TreeMap<>(LIST_ORDER);
        Map<List<String>, Map<Long, Map<String, double[]>>> pooled = new TreeMap<>(LIST_ORDER);
        for (Cross c : crosses) {
            double[] cells = {c.base(), c.architectureOnly(), c.trainingOnly(), c.both()};
            Map<String, double[]> seedCells = pooled.computeIfAbsent(List.of(c.dataset(), c.contrast()),
                    k -> new TreeMap<>()).computeIfAbsent(c.seed(), k -> new TreeMap<>());
            if (seedCells.putIfAbsent(c.algorithm(), cells) != null) {
                throw new IllegalArgumentException("two cross-evaluations of " + c.algorithm() + " " + c.contrast()
                        + " on " + c.dataset() + " for seed " + c.seed() + "; one per seed is expected");
            }
            byAlgorithm.computeIfAbsent(List.of(c.dataset(), c.contrast(), c.algorithm()), k -> new TreeMap<>())
                    .put(c.seed(), c.parts());
        }
        List<Result> results = new ArrayList<>();
        pooled.forEach((key, seeds) -> {
            Set<String> algorithms = new TreeSet<>();
            seeds.values().forEach(m -> algorithms.addAll(m.keySet()));
            if (algorithms.size() > 1) {
                List<double[]> parts = new ArrayList<>();
                for (Map<String, double[]> cellsByAlgorithm : seeds.values()) {
                    double[] mean = new double[4];
                    cellsByAlgorithm.values().forEach(cells -> {
                        for (int i = 0; i < 4; i++) {
                            mean[i] += cells[i] / cellsByAlgorithm.size();
                        }
                    });
                    parts.add(new Cross(POOLED, key.get(0), 0, Set.of(key.get(1)), mean[0], mean[1], mean[2], mean[3])
                            .parts());
                }
                results.add(result(key.get(0), POOLED, key.get(1), parts, resamples, random));
            }
            for (String algorithm : algorithms) {
                List<double[]> parts = List.copyOf(byAlgorithm.get(List.of(key.get(0), key.get(1), algorithm)).values());
                results.add(result(key.get(0), algorithm, key.get(1), parts, resamples, random));
            }
        });
        return results;
    }

    private static final Comparator<List<String>> LIST_ORDER = (a, b) -> {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int c = a.get(i).compareTo(b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    };

    /** parts: one row per seed of (total, architecture, training, interaction). */
    private static Result result(String dataset, String algorithm, String contrast, List<double[]> parts,
            int resamples, SplittableRandom random) {
        int n = parts.size();
        Estimate[] estimates = new Estimate[4];
        for (int k = 0; k < 4; k++) {
            int part = k;
            estimates[k] = estimate(parts.stream().mapToDouble(p -> p[part]).toArray());
        }
        double[][] shareDraws = new double[3][resamples];
        for (int b = 0; b < resamples && n > 1; b++) {
            double[] sums = new double[4];
            for (int i = 0; i < n; i++) {
                double[] p = parts.get(random.nextInt(n));
                for (int k = 0; k < 4; k++) {
                    sums[k] += p[k];
                }
            }
            for (int k = 0; k < 3; k++) {
                shareDraws[k][b] = sums[k + 1] / sums[0];
            }
        }
        Share[] shares = new Share[3];
        for (int k = 0; k < 3; k++) {
            double value = estimates[k + 1].mean() / estimates[0].mean();
            double[] interval = n > 1 ? SeedBootstrap.percentileInterval(shareDraws[k], LEVEL)
                    : new double[] {Double.NaN, Double.NaN};
            shares[k] = new Share(value, interval[0], interval[1]);
        }
        return new Result(dataset, algorithm, contrast, n, estimates[0], estimates[1], estimates[2], estimates[3],
                shares[0], shares[1], shares[2]);
    }

    private static Estimate estimate(double[] values) {
        int n = values.length;
        double mean = 0;
        for (double v : values) {
            mean += v / n;
        }
        if (n < 2) {
            return new Estimate(mean, Double.NaN, Double.NaN);
        }
        double squares = 0;
        for (double v : values) {
            squares += (v - mean) * (v - mean);
        }
        double standardError = Math.sqrt(squares / (n - 1) / n);
        // Null generator: the distribution is only evaluated, never sampled.
        double critical = new TDistribution(null, n - 1).inverseCumulativeProbability(1 - (1 - LEVEL) / 2);
        return new Estimate(mean, mean - critical * standardError, mean + critical * standardError);
    }
}
