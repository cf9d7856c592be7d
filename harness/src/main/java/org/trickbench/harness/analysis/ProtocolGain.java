package org.trickbench.harness.analysis;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * A training trick's effect on random genotypes against its effect on searched ones (DESIGN.md,
 * "search-side versus train-side attribution"; the question of Yang et al., ICLR 2020, §4: does a
 * trick improve the searched cells more than any cell?).
 *
 * <p>Two main-effects fits of {@link TrickEffects}: one over the random-baseline runs, whose only
 * factors are the tricks that act in the final training (the baseline has no search), and one over
 * the searched runs, with the algorithm as a factor. For each trick that acts in the final training
 * and varies on both sides:
 * <ul>
 * <li><b>on random genotypes</b>: on − off over the random baseline, the protocol's gain on cells
 *     drawn uniformly;
 * <li><b>on searched genotypes</b>: on − off over the searched runs, averaged over algorithms; for a
 *     trick that also acts in the search this includes what it changes in the search;
 * <li><b>difference</b>: searched − random. Near zero, the trick's gain is a protocol gain that any
 *     cell gets and says nothing about the search; away from zero, the trick helps (or hurts) the
 *     searched cells more than random ones. The two fits use disjoint runs, so its standard error is
 *     √(se_s² + se_r²) and its interval a t interval with Welch–Satterthwaite degrees of freedom
 *     (Welch, Biometrika 1947).
 * </ul>
 */
public final class ProtocolGain {
    private ProtocolGain() {}

    private static final double LEVEL = 0.95;

    /**
     * One trick.
     *
     * @param onRandom its effect over the random baseline, in points
     * @param onSearched its effect over the searched runs, in points
     * @param difference searched − random, in points
     * @param differenceLow lower end of the difference's 95% interval (NaN without residual df)
     * @param differenceHigh upper end of that interval
     * @param differenceP two-sided p-value of "the same effect on both"
     */
    public record Result(String trick, EffectEstimate onRandom, EffectEstimate onSearched, double difference,
            double differenceLow, double differenceHigh, double differenceP) {
        public Result {
            Objects.requireNonNull(trick, "trick");
            Objects.requireNonNull(onRandom, "onRandom");
            Objects.requireNonNull(onSearched, "onSearched");
        }

        /** A plain reading of the comparison, for the report. */
        public String reading() {
            if (differenceLow > 0 || differenceHigh < 0) {
                return String.format(java.util.Locale.ROOT, "%s searched genotypes more than random ones",
                        difference > 0 ? "helps" : "hurts");
            }
            if (onRandom.ciLow() > 0 || onRandom.ciHigh() < 0) {
                return "a protocol gain: random genotypes gain as much";
            }
            return "no clear effect on either";
        }
    }

    /**
     * The comparison for every trick that acts in the final training and is estimable on both sides.
     *
     * @param observations the finished runs of one data set
     * @param finalTrainingTricks the tricks that act in the final training (the random baseline's factors)
     * @throws IllegalArgumentException naming the side that cannot be fitted (no random baseline, no
     *     searched run, no trick varying on that side, too few runs)
     */
    public static List<Result> compute(List<Observation> observations, Set<String> finalTrainingTricks) {
        Objects.requireNonNull(finalTrainingTricks, "finalTrainingTricks");
        List<Observation> randomRuns = new ArrayList<>();
        List<Observation> searchedRuns = new ArrayList<>();
        for (Observation o : observations) {
            if (o.randomBaseline()) {
                randomRuns.add(restricted(o, finalTrainingTricks));
            } else {
                searchedRuns.add(o);
            }
        }
        if (randomRuns.isEmpty() || searchedRuns.isEmpty()) {
            throw new IllegalArgumentException("the comparison needs both random-baseline and searched runs; this data"
                    + " set has " + randomRuns.size() + " random and " + searchedRuns.size() + " searched");
        }
        TrickEffects.Fit onRandom = fit("random-baseline", varying(randomRuns));
        TrickEffects.Fit onSearched = fit("searched", varying(searchedRuns));
        List<Result> results = new ArrayList<>();
        for (EffectEstimate r : onRandom.tricks()) {
            EffectEstimate s = onSearched.tricks().stream().filter(e -> e.term().equals(r.term())).findFirst()
                    .orElse(null);
            if (s == null || !finalTrainingTricks.contains(r.term())) {
                continue;
            }
            results.add(compare(r, onRandom.residualDegreesOfFreedom(), s, onSearched.residualDegreesOfFreedom()));
        }
        if (results.isEmpty()) {
            throw new IllegalArgumentException("no trick that acts in the final training varies among both the random"
                    + " baseline and the searched runs");
        }
        return results;
    }

    /** searched − random, with a Welch–Satterthwaite t interval. */
    static Result compare(EffectEstimate onRandom, int randomDf, EffectEstimate onSearched, int searchedDf) {
        double difference = onSearched.effect() - onRandom.effect();
        double vr = onRandom.standardError() * onRandom.standardError();
        double vs = onSearched.standardError() * onSearched.standardError();
        double se = Math.sqrt(vr + vs);
        if (se == 0) {
            // Both fits are exact: any difference is certain.
            boolean none = Math.abs(difference) <= 1e-10 * Math.max(1, Math.abs(onSearched.effect()));
            return new Result(onRandom.term(), onRandom, onSearched, difference, difference, difference, none ? 1 : 0);
        }
        double df = (vr + vs) * (vr + vs) / (vr * vr / randomDf + vs * vs / searchedDf);
        TDistribution t = new TDistribution(null, df);
        double critical = t.inverseCumulativeProbability(1 - (1 - LEVEL) / 2);
        double p = 2 * t.cumulativeProbability(-Math.abs(difference / se));
        return new Result(onRandom.term(), onRandom, onSearched, difference, difference - critical * se,
                difference + critical * se, p);
    }

    /**
     * The side's main-effects fit with t intervals only: the comparison is built on them, and a seed
     * bootstrap of every run would double the report's analysis time for bounds nobody reads.
     */
    private static TrickEffects.Fit fit(String side, List<Observation> runs) {
        try {
            return TrickEffects.fit(runs, false, 0, new SplittableRandom(0));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the " + side + " runs cannot be fitted: " + e.getMessage(), e);
        }
    }

    /** The run as the random baseline's fit sees it: only the tricks that shape the final training. */
    private static Observation restricted(Observation o, Set<String> keep) {
        Map<String, Boolean> tricks = new TreeMap<>();
        o.tricks().forEach((k, v) -> {
            if (keep.contains(k)) {
                tricks.put(k, v);
            }
        });
        return o.withTricks(tricks);
    }

    /** The runs with only the tricks that take both levels among them: a constant column has no effect to fit. */
    private static List<Observation> varying(List<Observation> runs) {
        Map<String, Set<Boolean>> levels = new TreeMap<>();
        runs.forEach(o -> o.tricks().forEach((k, v) -> levels.computeIfAbsent(k, x -> new java.util.HashSet<>()).add(v)));
        Set<String> keep = new java.util.TreeSet<>();
        levels.forEach((k, v) -> {
            if (v.size() == 2) {
                keep.add(k);
            }
        });
        List<Observation> out = new ArrayList<>();
        runs.forEach(o -> out.add(restricted(o, keep)));
        return out;
    }
}
