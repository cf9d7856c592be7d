package org.trickbench.harness.analysis;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.commons.math3.stat.descriptive.SummaryStatistics;
import org.apache.commons.math3.stat.descriptive.rank.Percentile;
import org.apache.commons.math3.stat.descriptive.rank.Percentile.EstimationType;

/**
 * The noise floor: how much final accuracy moves over seeds when nothing else changes. An effect
 * smaller than this spread cannot be told from luck without many seeds.
 */
public final class SeedStatistics {
    private SeedStatistics() {}

    /**
     * One configuration over its runs.
     *
     * @param n the runs
     * @param seeds the distinct seeds among them (fewer than n for the random baseline, which trains
     *     several genotypes per seed, so its spread also holds genotype-to-genotype variation)
     * @param mean mean final accuracy
     * @param standardDeviation sample standard deviation (n − 1 in the denominator); NaN for one run
     * @param min the lowest accuracy
     * @param lowerQuartile the 25th percentile (Hyndman and Fan's definition 7, linear interpolation
     *     between order statistics, as R's and NumPy's defaults, so the box plot matches theirs)
     * @param median the 50th percentile, likewise
     * @param upperQuartile the 75th percentile, likewise
     * @param max the highest accuracy
     */
    public record Result(Configuration configuration, int n, int seeds, double mean, double standardDeviation,
            double min, double lowerQuartile, double median, double upperQuartile, double max) {
        public Result {
            Objects.requireNonNull(configuration, "configuration");
        }
    }

    /** Per algorithm × data set × trick setting, in {@link Configuration#ORDER}. */
    public static List<Result> compute(List<Observation> observations) {
        Objects.requireNonNull(observations, "observations");
        Map<Configuration, List<Observation>> groups = new LinkedHashMap<>();
        observations.forEach(o -> groups.computeIfAbsent(o.configuration(), c -> new ArrayList<>()).add(o));
        List<Result> results = new ArrayList<>();
        groups.forEach((configuration, runs) -> {
            SummaryStatistics stats = new SummaryStatistics();
            runs.forEach(o -> stats.addValue(o.accuracy()));
            int seeds = (int) runs.stream().mapToLong(Observation::seed).distinct().count();
            double sd = runs.size() < 2 ? Double.NaN : stats.getStandardDeviation();
            Percentile quantiles = new Percentile().withEstimationType(EstimationType.R_7);
            quantiles.setData(runs.stream().mapToDouble(Observation::accuracy).toArray());
            results.add(new Result(configuration, runs.size(), seeds, stats.getMean(), sd, stats.getMin(),
                    quantiles.evaluate(25), quantiles.evaluate(50), quantiles.evaluate(75), stats.getMax()));
        });
        results.sort((a, b) -> Configuration.ORDER.compare(a.configuration(), b.configuration()));
        return results;
    }
}
