package org.trickbench.harness.analysis;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.apache.commons.math3.stat.descriptive.rank.Percentile;

/**
 * The percentile bootstrap over seeds (Efron & Tibshirani 1993, ch. 13). Runs that share a seed
 * share its data order, initialisation and search trajectory, so the seed, not the single run, is
 * the unit drawn: a resample takes as many seeds as the data hold, with replacement, and every run
 * of each drawn seed. Written here because Commons Math 3.6.1 has no bootstrap.
 */
final class SeedBootstrap {
    private SeedBootstrap() {}

    /** The runs grouped by seed, seeds in ascending order so a draw does not depend on row order. */
    static Map<Long, List<Observation>> bySeed(List<Observation> observations) {
        Map<Long, List<Observation>> bySeed = new TreeMap<>();
        observations.forEach(o -> bySeed.computeIfAbsent(o.seed(), s -> new ArrayList<>()).add(o));
        return bySeed;
    }

    /** One resample: seeds drawn uniformly with replacement, each bringing all its runs. */
    static List<Observation> resample(Map<Long, List<Observation>> bySeed, SplittableRandom random) {
        List<List<Observation>> groups = new ArrayList<>(bySeed.values());
        List<Observation> resample = new ArrayList<>();
        for (int i = 0; i < groups.size(); i++) {
            resample.addAll(groups.get(random.nextInt(groups.size())));
        }
        return resample;
    }

    /**
     * The central percentile interval at the given level (0.95 gives the 2.5th and 97.5th
     * percentiles), by linear interpolation between order statistics (Hyndman & Fan 1996 type 7,
     * the default of R and NumPy); NaN where there are no values.
     */
    static double[] percentileInterval(double[] values, double level) {
        if (values.length == 0) {
            return new double[] {Double.NaN, Double.NaN};
        }
        Percentile percentile = new Percentile().withEstimationType(Percentile.EstimationType.R_7);
        percentile.setData(values);
        double tail = (1 - level) / 2 * 100;
        return new double[] {percentile.evaluate(tail), percentile.evaluate(100 - tail)};
    }
}
