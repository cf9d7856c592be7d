package org.trickbench.harness.analysis;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.stat.descriptive.SummaryStatistics;

/**
 * Relative improvement over the random baseline (Yang et al., ICLR 2020, arXiv 1912.12522):
 * RI = 100 · (Acc_m − Acc_r) / Acc_r, where Acc_m is a searched configuration's mean final accuracy
 * over its runs and Acc_r the mean final accuracy of the random-baseline runs on the same data set
 * trained under the same final protocol. A positive RI is what the search itself adds; the tricks,
 * applied to both sides, cancel.
 *
 * <p>Each RI comes with a 95% interval over seeds: the Welch t interval of Acc_m − Acc_r from the
 * configuration's runs and the baseline's (Welch, Biometrika 1947; the two sides' spreads need not be
 * equal, and the baseline's also holds genotype-to-genotype variation), divided by Acc_r as RI is. Acc_r
 * in the denominator is taken as fixed, a first-order approximation that is close when the baseline
 * has many runs.
 */
public final class RelativeImprovement {
    private RelativeImprovement() {}

    /**
     * One searched configuration against its baseline.
     *
     * @param n the configuration's runs
     * @param meanAccuracy Acc_m
     * @param baselineN the baseline runs Acc_r averages; 0 where the data hold none, and then the
     *     baseline mean and RI are NaN
     * @param baselineMean Acc_r
     * @param relativeImprovement RI, in percent of Acc_r
     * @param riLow lower end of RI's 95% interval over seeds, in percent; NaN unless both sides have at least
     *     two runs
     * @param riHigh upper end of that interval
     */
    public record Result(Configuration configuration, int n, double meanAccuracy, int baselineN, double baselineMean,
            double relativeImprovement, double riLow, double riHigh) {
        public Result {
            Objects.requireNonNull(configuration, "configuration");
        }
    }

    /**
     * RI of every searched configuration (algorithm × trick setting × data set), each against the
     * baselines with exactly the same tricks switched on. A trick a run does not name counts as off.
     */
    public static List<Result> compute(List<Observation> observations) {
        return compute(observations, trick -> true);
    }

    /**
     * As {@link #compute(List)}, but a baseline is matched only on the tricks that shape the final
     * training. The random baseline is trained with a row's train-phase tricks only (it has no search
     * to apply the others to), so a searched run with a search-only trick switched on must be compared
     * with the baseline that lacks it: pass the train-phase tricks here.
     *
     * @param finalProtocolTricks the tricks that act in final training
     */
    public static List<Result> compute(List<Observation> observations, Set<String> finalProtocolTricks) {
        Objects.requireNonNull(finalProtocolTricks, "finalProtocolTricks");
        return compute(observations, finalProtocolTricks::contains);
    }

    private static List<Result> compute(List<Observation> observations, Predicate<String> actsInFinalTraining) {
        Objects.requireNonNull(observations, "observations");
        Map<BaselineKey, SummaryStatistics> baselines = new LinkedHashMap<>();
        Map<Configuration, List<Observation>> searched = new LinkedHashMap<>();
        for (Observation o : observations) {
            if (o.randomBaseline()) {
                baselines.computeIfAbsent(BaselineKey.of(o, actsInFinalTraining), k -> new SummaryStatistics())
                        .addValue(o.accuracy());
            } else {
                searched.computeIfAbsent(o.configuration(), k -> new ArrayList<>()).add(o);
            }
        }
        List<Result> results = new ArrayList<>();
        searched.forEach((configuration, runs) -> {
            SummaryStatistics own = new SummaryStatistics();
            runs.forEach(o -> own.addValue(o.accuracy()));
            SummaryStatistics baseline = baselines.get(BaselineKey.of(runs.get(0), actsInFinalTraining));
            int baselineN = baseline == null ? 0 : (int) baseline.getN();
            double baselineMean = baseline == null ? Double.NaN : baseline.getMean();
            double ri = 100 * (own.getMean() - baselineMean) / baselineMean;
            double[] interval = baseline == null ? new double[] {Double.NaN, Double.NaN} : welch(own, baseline);
            results.add(new Result(configuration, runs.size(), own.getMean(), baselineN, baselineMean, ri,
                    100 * interval[0] / baselineMean, 100 * interval[1] / baselineMean));
        });
        results.sort((a, b) -> Configuration.ORDER.compare(a.configuration(), b.configuration()));
        return results;
    }

    /** The 95% Welch t interval of mean(a) − mean(b); NaN bounds unless both have two values or more. */
    static double[] welch(SummaryStatistics a, SummaryStatistics b) {
        if (a.getN() < 2 || b.getN() < 2) {
            return new double[] {Double.NaN, Double.NaN};
        }
        double difference = a.getMean() - b.getMean();
        double va = a.getVariance() / a.getN();
        double vb = b.getVariance() / b.getN();
        double se = Math.sqrt(va + vb);
        if (se == 0) {
            return new double[] {difference, difference};
        }
        double df = (va + vb) * (va + vb) / (va * va / (a.getN() - 1) + vb * vb / (b.getN() - 1));
        // Null generator: the distribution is only evaluated, never sampled.
        double critical = new TDistribution(null, df).inverseCumulativeProbability(0.975);
        return new double[] {difference - critical * se, difference + critical * se};
    }

    /** Data set and the final-training tricks switched on. */
    private record BaselineKey(String dataset, Set<String> on) {
        static BaselineKey of(Observation o, Predicate<String> actsInFinalTraining) {
            Set<String> on = new TreeSet<>();
            o.tricks().forEach((trick, isOn) -> {
                if (isOn && actsInFinalTraining.test(trick)) {
                    on.add(trick);
                }
            });
            return new BaselineKey(o.dataset(), on);
        }
    }
}
