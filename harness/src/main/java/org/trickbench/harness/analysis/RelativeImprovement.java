package org.trickbench.harness.analysis;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Relative improvement over the random baseline (Yang et al., ICLR 2020, arXiv 1912.12522):
 * RI = 100 · (Acc_m − Acc_r) / Acc_r, where Acc_m is a searched configuration's mean final accuracy
 * over its runs and Acc_r the mean final accuracy of the random-baseline runs on the same data set
 * trained under the same final protocol. A positive RI is what the search itself adds; the tricks,
 * applied to both sides, cancel.
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
     */
    public record Result(Configuration configuration, int n, double meanAccuracy, int baselineN, double baselineMean,
            double relativeImprovement) {
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
        Map<BaselineKey, double[]> baselines = new LinkedHashMap<>();
        Map<Configuration, List<Observation>> searched = new LinkedHashMap<>();
        for (Observation o : observations) {
            if (o.randomBaseline()) {
                double[] sumAndCount = baselines.computeIfAbsent(BaselineKey.of(o, actsInFinalTraining),
                        k -> new double[2]);
                sumAndCount[0] += o.accuracy();
                sumAndCount[1]++;
            } else {
                searched.computeIfAbsent(o.configuration(), k -> new ArrayList<>()).add(o);
            }
        }
        List<Result> results = new ArrayList<>();
        searched.forEach((configuration, runs) -> {
            double mean = runs.stream().mapToDouble(Observation::accuracy).average().orElseThrow();
            double[] baseline = baselines.get(BaselineKey.of(runs.get(0), actsInFinalTraining));
            int baselineN = baseline == null ? 0 : (int) baseline[1];
            double baselineMean = baseline == null ? Double.NaN : baseline[0] / baseline[1];
            double ri = 100 * (mean - baselineMean) / baselineMean;
            results.add(new Result(configuration, runs.size(), mean, baselineN, baselineMean, ri));
        });
        results.sort((a, b) -> Configuration.ORDER.compare(a.configuration(), b.configuration()));
        return results;
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
