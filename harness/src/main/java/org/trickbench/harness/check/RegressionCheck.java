package org.trickbench.harness.check;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Compares a matrix's results now with a baseline, configuration by configuration, over seeds.
 *
 * <p>A regression is a drop of the mean accuracy larger than max(k · pooled seed standard deviation,
 * floor): the noise floor of the seeds scales the threshold, and the absolute floor keeps a
 * configuration whose seeds happen to agree from failing on a hair. A trick whose effect on an
 * algorithm (its one-at-a-time cell minus the base cell) was beyond that threshold in the baseline and
 * now points the other way is flagged too. Epoch times are compared but only warn: timings are noisy.
 *
 * @param k multiple of the pooled seed standard deviation (default 3)
 * @param floor absolute accuracy drop always tolerated, as a fraction (default 0.02 = 2 points)
 * @param slowdown relative epoch-time increase that warns (default 0.5 = 50 % slower)
 */
public record RegressionCheck(double k, double floor, double slowdown) {

    public static RegressionCheck defaults() {
        return new RegressionCheck(3, 0.02, 0.5);
    }

    /** The verdict on one configuration. */
    public record Row(String key, double baselineMean, double baselineSd, double nowMean, double nowSd, double delta,
            double threshold, String verdict, String detail) {
        public boolean failed() {
            return verdict.equals("REGRESSION") || verdict.equals("MISSING") || verdict.equals("SIGN FLIP");
        }
    }

    /** All rows, and the warnings that do not fail the check. */
    public record Result(List<Row> rows, List<String> warnings) {
        public boolean passed() {
            return rows.stream().noneMatch(Row::failed);
        }
    }

    public Result compare(Baseline baseline, Baseline now) {
        Map<String, Baseline.Configuration> current = new LinkedHashMap<>();
        now.configurations().forEach(c -> current.put(c.key(), c));
        List<Row> rows = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        for (Baseline.Configuration b : baseline.configurations()) {
            double[] bs = stats(b);
            Baseline.Configuration n = current.get(b.key());
            if (n == null || n.accuracyBySeed().isEmpty()) {
                rows.add(new Row(b.key(), bs[0], bs[1], Double.NaN, Double.NaN, Double.NaN, Double.NaN, "MISSING",
                        "no finished run of this configuration now"));
                continue;
            }
            double[] ns = stats(n);
            double threshold = threshold(bs[1], ns[1]);
            double delta = ns[0] - bs[0];
            rows.add(new Row(b.key(), bs[0], bs[1], ns[0], ns[1], delta, threshold, delta < -threshold ? "REGRESSION" : "ok",
                    ""));
            if (b.secondsPerEpoch() != null && n.secondsPerEpoch() != null && b.secondsPerEpoch() > 0
                    && n.secondsPerEpoch() > b.secondsPerEpoch() * (1 + slowdown)) {
                warnings.add(String.format(java.util.Locale.ROOT, "%s: %.3f s per epoch now, %.3f s in the baseline", b.key(),
                        n.secondsPerEpoch(), b.secondsPerEpoch()));
            }
        }
        rows.addAll(signFlips(baseline, now));
        return new Result(rows, warnings);
    }

    private double threshold(double sdA, double sdB) {
        double pooled = Math.sqrt((sdA * sdA + sdB * sdB) / 2);
        return Math.max(k * pooled, floor);
    }

    /** Trick effects per algorithm: the cell with exactly that trick against the cell with none. */
    private List<Row> signFlips(Baseline baseline, Baseline now) {
        List<Row> rows = new ArrayList<>();
        for (Baseline.Configuration b : baseline.configurations()) {
            if (b.tricks().size() != 1) {
                continue;
            }
            Optional<Baseline.Configuration> bBase = base(baseline, b);
            Optional<Baseline.Configuration> nWith = find(now, b.key());
            Optional<Baseline.Configuration> nBase = bBase.flatMap(x -> find(now, x.key()));
            if (bBase.isEmpty() || nWith.isEmpty() || nBase.isEmpty()) {
                continue;
            }
            double[] withB = stats(b);
            double[] baseB = stats(bBase.get());
            double effectBefore = withB[0] - baseB[0];
            double significance = threshold(withB[1], baseB[1]);
            double effectNow = stats(nWith.get())[0] - stats(nBase.get())[0];
            if (Math.abs(effectBefore) > significance && Math.signum(effectNow) == -Math.signum(effectBefore)
                    && Math.abs(effectNow) > significance) {
                rows.add(new Row("effect of " + b.tricks().get(0) + " on " + b.algorithm() + " (" + b.dataset() + ")",
                        effectBefore, 0, effectNow, 0, effectNow - effectBefore, significance, "SIGN FLIP",
                        "a significant trick effect changed sign"));
            }
        }
        return rows;
    }

    private static Optional<Baseline.Configuration> base(Baseline b, Baseline.Configuration withTrick) {
        return b.configurations().stream().filter(c -> c.tricks().isEmpty() && c.algorithm().equals(withTrick.algorithm())
                && c.dataset().equals(withTrick.dataset())).findFirst();
    }

    private static Optional<Baseline.Configuration> find(Baseline b, String key) {
        return b.configurations().stream().filter(c -> c.key().equals(key) && !c.accuracyBySeed().isEmpty()).findFirst();
    }

    /** Mean and sample standard deviation (0 for a single seed) of a configuration's accuracies. */
    static double[] stats(Baseline.Configuration c) {
        double[] v = c.accuracyBySeed().values().stream().mapToDouble(Double::doubleValue).toArray();
        double mean = java.util.Arrays.stream(v).average().orElse(Double.NaN);
        double ss = 0;
        for (double x : v) {
            ss += (x - mean) * (x - mean);
        }
        return new double[] {mean, v.length > 1 ? Math.sqrt(ss / (v.length - 1)) : 0};
    }
}
