package org.trickbench.harness.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import org.trickbench.harness.analysis.ArchitectureStatistics;
import org.trickbench.harness.analysis.Observation;
import org.trickbench.harness.analysis.ParetoFront;
import org.trickbench.harness.analysis.RankConsistency;
import org.trickbench.harness.analysis.RelativeImprovement;
import org.trickbench.harness.analysis.SeedStatistics;
import org.trickbench.harness.analysis.TrickEffects;
import org.trickbench.harness.analysis.VarianceDecomposition;

/**
 * The analysis the report shows, per data set: relative improvement over the random baseline, trick
 * effects, variance decomposition, seed statistics, architecture statistics, rank consistency and the
 * runs on the accuracy-versus-search-cost Pareto front.
 * Each part that the matrix cannot support (too few runs, aliased terms) carries the reason instead.
 */
public record AnalysisSummary(String dataset, List<RelativeImprovement.Result> relativeImprovement,
        TrickEffects.Fit effects, String effectsNote, VarianceDecomposition.Result variance, String varianceNote,
        List<SeedStatistics.Result> seeds, List<ArchitectureStatistics.Result> architectures,
        RankConsistency.Result proxyRank, List<Observation> costFront) {

    /** Bootstrap refits per effect: enough for stable 95% percentiles, cheap next to any training. */
    static final int RESAMPLES = 2000;

    public static List<AnalysisSummary> of(List<Observation> all, Set<String> trainPhaseTricks) {
        Map<String, List<Observation>> byDataset = new TreeMap<>();
        all.forEach(o -> byDataset.computeIfAbsent(o.dataset(), k -> new ArrayList<>()).add(o));
        List<AnalysisSummary> out = new ArrayList<>();
        byDataset.forEach((dataset, obs) -> {
            TrickEffects.Fit fit = null;
            String effectsNote = null;
            try {
                fit = TrickEffects.fit(obs, false, RESAMPLES, new SplittableRandom(0));
            } catch (IllegalArgumentException e) {
                effectsNote = e.getMessage();
            }
            VarianceDecomposition.Result variance = null;
            String varianceNote = null;
            try {
                variance = VarianceDecomposition.decompose(obs, false);
            } catch (IllegalArgumentException e) {
                varianceNote = e.getMessage();
            }
            out.add(new AnalysisSummary(dataset, RelativeImprovement.compute(obs, trainPhaseTricks), fit, effectsNote,
                    variance, varianceNote, SeedStatistics.compute(obs), ArchitectureStatistics.compute(obs),
                    RankConsistency.proxyVersusAccuracy(obs), ParetoFront.accuracyVersusSearchCost(obs)));
        });
        return out;
    }

    /**
     * The headline: of the variance the design explains, the shares of the algorithm (architecture)
     * and of the tricks, with seeds and residual as the noise floor. Null when not estimable.
     */
    public String headline() {
        if (variance == null) {
            return null;
        }
        double algorithm = 0;
        double tricks = 0;
        double seed = 0;
        double residual = 0;
        for (VarianceDecomposition.Component c : variance.components()) {
            switch (c.source()) {
                case ALGORITHM -> algorithm += c.share();
                case TRICK, INTERACTION -> tricks += c.share();
                case SEED -> seed += c.share();
                case RESIDUAL -> residual += c.share();
            }
        }
        double explained = algorithm + tricks;
        if (explained <= 0) {
            return null;
        }
        return String.format(java.util.Locale.ROOT,
                "On %s, the algorithm (the architecture it finds) accounts for %.0f%% and the tricks for %.0f%% of the"
                        + " accuracy variance the design explains; seeds account for %.0f%% and the residual for %.0f%%"
                        + " of all variance (sequential sums of squares: algorithm first, then tricks).",
                dataset, 100 * algorithm / explained, 100 * tricks / explained, 100 * seed, 100 * residual);
    }

    static Set<String> names(List<Observation> obs) {
        Set<String> names = new TreeSet<>();
        obs.forEach(o -> names.addAll(o.tricks().keySet()));
        return names;
    }
}
