package org.trickbench.harness.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import org.trickbench.harness.analysis.ArchitectureStatistics;
import org.trickbench.harness.analysis.Attribution;
import org.trickbench.harness.analysis.Observation;
import org.trickbench.harness.analysis.ParetoFront;
import org.trickbench.harness.analysis.ProtocolGain;
import org.trickbench.harness.analysis.ProtocolTricks;
import org.trickbench.harness.analysis.RankConsistency;
import org.trickbench.harness.analysis.RelativeImprovement;
import org.trickbench.harness.analysis.SeedStatistics;
import org.trickbench.harness.analysis.TrickEffects;
import org.trickbench.harness.analysis.VarianceDecomposition;

/**
 * The analysis the report shows, per data set: relative improvement over the random baseline, trick
 * effects, variance decomposition, seed statistics, architecture statistics, rank consistency, the
 * runs on the accuracy-versus-search-cost Pareto front and, where the matrix asked for cross-evaluations,
 * the search-side versus train-side attribution, and each training trick's effect on random against
 * searched genotypes.
 * Each part that the matrix cannot support (too few runs, aliased terms) carries the reason instead;
 * {@code effectsNote} also says why interactions were left out when the main effects were fitted alone.
 *
 * @param relativeImprovementNote why relative improvement is "–" for some or all configurations, or null
 * @param varianceNote why the variance decomposition is missing, or what it cannot estimate (the algorithm's
 *     share, when every run uses one algorithm)
 * @param bootstrapNote why seed-bootstrap intervals are not shown (fewer seeds than
 *     {@link TrickEffects#MIN_BOOTSTRAP_SEEDS}), or null when they are
 * @param protocol which runs of the data set this analysis covers when a report holds several groups of
 *     them (runs of matrices with different final-training protocols, or imported runs): e.g. "as trained
 *     in a, b"; null when the report has one group
 * @param architectures what the NAS-Bench-201 runs found, per configuration
 * @param dartsArchitectures what the DARTS runs found, per configuration: op frequencies overall and per edge
 *     position of each cell type, and the inputs each node chose
 * @param protocolTricks the tricks switched on in every run of the data set (see {@link ProtocolTricks}):
 *     part of the protocol, not factors, so every part of the analysis leaves them out, as it leaves out
 *     a trick that is off in every run
 */
public record AnalysisSummary(String dataset, List<RelativeImprovement.Result> relativeImprovement,
        String relativeImprovementNote, TrickEffects.Fit effects, String effectsNote, VarianceDecomposition.Result variance, String varianceNote,
        List<SeedStatistics.Result> seeds, List<ArchitectureStatistics.Result> architectures,
        List<ArchitectureStatistics.DartsResult> dartsArchitectures, RankConsistency.Result proxyRank, List<Observation> costFront, List<Attribution.Result> attribution,
        String attributionNote, List<ProtocolGain.Result> protocolGain, String protocolGainNote,
        List<String> protocolTricks, String bootstrapNote, String protocol) {
    public AnalysisSummary {
        protocolTricks = List.copyOf(protocolTricks);
        dartsArchitectures = List.copyOf(dartsArchitectures);
    }

    /** Bootstrap refits per effect: enough for stable 95% percentiles, cheap next to any training. */
    static final int RESAMPLES = 2000;

    public static List<AnalysisSummary> of(List<Observation> all, Set<String> trainPhaseTricks) {
        return of(all, trainPhaseTricks, List.of());
    }

    /** As {@link #of(List, Set)}, with the 2×2 cross-evaluations the attribution comes from. */
    public static List<AnalysisSummary> of(List<Observation> observations, Set<String> trainPhaseTricks,
            List<Attribution.Cross> crosses) {
        return of(observations, trainPhaseTricks, crosses, null);
    }

    /**
     * As {@link #of(List, Set, List)}, for one group of runs that share a final-training protocol, labelled
     * {@code protocol} (null when the report has no other group).
     */
    public static List<AnalysisSummary> of(List<Observation> observations, Set<String> trainPhaseTricks,
            List<Attribution.Cross> crosses, String protocol) {
        Map<String, List<Observation>> byDataset = new TreeMap<>();
        observations.forEach(o -> byDataset.computeIfAbsent(o.dataset(), k -> new ArrayList<>()).add(o));
        List<AnalysisSummary> out = new ArrayList<>();
        byDataset.forEach((dataset, all) -> {
            Set<String> alwaysOn = ProtocolTricks.alwaysOn(all, trainPhaseTricks);
            Set<String> notFactors = new TreeSet<>(alwaysOn);
            notFactors.addAll(ProtocolTricks.alwaysOff(all));
            List<Observation> obs = ProtocolTricks.without(all, notFactors);
            TrickEffects.Fit fit = null;
            String effectsNote = null;
            // With few seeds a seed-bootstrap interval covers far less than 95% (see MIN_BOOTSTRAP_SEEDS), so it
            // is not computed at all and the t interval stands alone.
            int seeds = (int) obs.stream().mapToLong(Observation::seed).distinct().count();
            boolean bootstrap = seeds >= TrickEffects.MIN_BOOTSTRAP_SEEDS;
            int resamples = bootstrap ? RESAMPLES : 0;
            String bootstrapNote = bootstrap ? null : "Seed-bootstrap intervals are not shown: this data set has "
                    + seeds + " seed(s), and with fewer than " + TrickEffects.MIN_BOOTSTRAP_SEEDS + " their 95% intervals"
                    + " cover the true effect much less often than 95% (measured on planted data: 84% with 5 seeds,"
                    + " 90% with 10); the t intervals stand alone.";
            // Two-way interactions where the design can tell them from the main effects (a full factorial with
            // seeds to spare); otherwise main effects alone, with the reason kept beside them.
            try {
                fit = TrickEffects.fit(obs, true, resamples, new SplittableRandom(0));
            } catch (IllegalArgumentException withInteractions) {
                try {
                    fit = TrickEffects.fit(obs, false, resamples, new SplittableRandom(0));
                    effectsNote = "main effects only; two-way interactions are not estimable: "
                            + withInteractions.getMessage();
                } catch (IllegalArgumentException e) {
                    effectsNote = e.getMessage();
                }
            }
            VarianceDecomposition.Result variance = null;
            String varianceNote = null;
            List<String> varianceNotes = new ArrayList<>();
            // Interactions get their own rows where the design estimates them, as in the effects table; else
            // what they explain is in the residual, and the section says so.
            try {
                variance = VarianceDecomposition.decompose(obs, true);
            } catch (IllegalArgumentException withInteractions) {
                try {
                    variance = VarianceDecomposition.decompose(obs, false);
                    if (variance.components().stream().filter(c -> c.source() == VarianceDecomposition.Source.TRICK)
                            .count() > 1) {
                        varianceNotes.add("Two-way trick interactions are not estimable in this design; what they"
                                + " explain is counted in the residual.");
                    }
                } catch (IllegalArgumentException e) {
                    varianceNote = e.getMessage();
                }
            }
            if (variance != null) {
                List<String> algorithms = obs.stream().map(Observation::algorithm).distinct().sorted().toList();
                if (algorithms.size() == 1) {
                    varianceNotes.add(0, "Every run on " + dataset + " uses " + algorithms.get(0) + ", so the"
                            + " algorithm's share of the variance cannot be estimated: it needs runs of at least two"
                            + " algorithms (the random baseline counts as one).");
                }
                varianceNote = varianceNotes.isEmpty() ? null : String.join(" ", varianceNotes);
            }
            List<RelativeImprovement.Result> relativeImprovement = RelativeImprovement.compute(obs, trainPhaseTricks);
            String relativeImprovementNote = relativeImprovementNote(dataset, obs, relativeImprovement, trainPhaseTricks);
            List<Attribution.Result> attribution = List.of();
            String attributionNote = null;
            try {
                List<Attribution.Cross> here = crosses.stream().filter(c -> c.dataset().equals(dataset)).toList();
                boolean shareIntervals = here.stream().mapToLong(Attribution.Cross::seed).distinct().count()
                        >= TrickEffects.MIN_BOOTSTRAP_SEEDS;
                attribution = Attribution.compute(here, shareIntervals ? RESAMPLES : 0, new SplittableRandom(0));
            } catch (IllegalArgumentException e) {
                attributionNote = e.getMessage();
            }
            List<ProtocolGain.Result> protocolGain = List.of();
            String protocolGainNote = null;
            try {
                protocolGain = ProtocolGain.compute(obs, trainPhaseTricks);
            } catch (IllegalArgumentException e) {
                protocolGainNote = e.getMessage();
            }
            out.add(new AnalysisSummary(dataset, relativeImprovement, relativeImprovementNote, fit, effectsNote,
                    variance, varianceNote, SeedStatistics.compute(obs), ArchitectureStatistics.compute(obs),
                    ArchitectureStatistics.computeDarts(obs), RankConsistency.proxyVersusAccuracy(obs), ParetoFront.accuracyVersusSearchCost(obs), attribution,
                    attributionNote, protocolGain, protocolGainNote, List.copyOf(alwaysOn), bootstrapNote, protocol));
        });
        return out;
    }

    /**
     * What the baseline is matched on where search-only tricks vary (the comparison pools the baseline over
     * them), and why RI is "–" where it is: no random-baseline runs at all, or none matched with some
     * configurations. Null when there is nothing to say.
     */
    private static String relativeImprovementNote(String dataset, List<Observation> obs,
            List<RelativeImprovement.Result> results, Set<String> trainPhaseTricks) {
        if (results.isEmpty()) {
            return null;
        }
        if (obs.stream().noneMatch(Observation::randomBaseline)) {
            return "There are no random-baseline runs on " + dataset + " (the matrix's baseline-size is 0, or no imported"
                    + " row has algorithm random), so there is no Acc_random to compare with and RI is –.";
        }
        List<String> sentences = new ArrayList<>();
        Set<String> factors = names(obs);
        Set<String> searchOnly = new TreeSet<>(factors);
        searchOnly.removeAll(trainPhaseTricks);
        if (!searchOnly.isEmpty()) {
            Set<String> matched = new TreeSet<>(factors);
            matched.retainAll(trainPhaseTricks);
            sentences.add("Each configuration is compared with the random-baseline runs that had the same final-training"
                    + " tricks (" + (matched.isEmpty() ? "none vary here" : String.join(", ", matched)) + "); the baseline"
                    + " pools over the search-only tricks (" + String.join(", ", searchOnly) + "), which cannot act on a"
                    + " random genotype: it has no search.");
        }
        long unmatched = results.stream().filter(r -> r.baselineN() == 0).count();
        if (unmatched > 0) {
            sentences.add("RI is – for " + unmatched + " configuration(s) with no random-baseline runs trained with the"
                    + " same final-training tricks.");
        }
        return sentences.isEmpty() ? null : String.join(" ", sentences);
    }

    /**
     * The headline: what share of the tricks' gain came from training and what from the architecture
     * the search found with them, with intervals ({@link #attributionHeadline()}), then which training
     * tricks are protocol gains ({@link #protocolGainHeadline()}), then the variance sentence
     * ({@link #varianceHeadline()}); null when none is estimable.
     */
    public String headline() {
        List<String> parts = new ArrayList<>();
        for (String part : new String[] {attributionHeadline(), protocolGainHeadline(), varianceHeadline()}) {
            if (part != null) {
                parts.add(part);
            }
        }
        return parts.isEmpty() ? null : String.join(" ", parts);
    }

    /**
     * Which training tricks gave random genotypes the same gain as searched ones (a protocol gain, not
     * the search's) and which helped or hurt the searched genotypes more; null when no trick's
     * comparison is clear either way.
     */
    public String protocolGainHeadline() {
        List<String> protocol = new ArrayList<>();
        List<String> searched = new ArrayList<>();
        for (ProtocolGain.Result r : protocolGain) {
            if (r.differenceLow() > 0 || r.differenceHigh() < 0) {
                searched.add(r.trick() + " (" + signed(r.difference()) + " points more on searched than on random)");
            } else if (r.onRandom().ciLow() > 0 || r.onRandom().ciHigh() < 0) {
                protocol.add(r.trick() + " (" + signed(r.onRandom().effect()) + " on random)");
            }
        }
        List<String> sentences = new ArrayList<>();
        if (!protocol.isEmpty()) {
            sentences.add("On " + dataset + ", " + String.join(", ", protocol) + " changed random genotypes' accuracy as"
                    + " much as searched ones': a protocol gain, not the search's.");
        }
        if (!searched.isEmpty()) {
            sentences.add("On " + dataset + ", " + String.join(", ", searched) + " acted differently on searched"
                    + " genotypes than on random ones.");
        }
        return sentences.isEmpty() ? null : String.join(" ", sentences);
    }

    /**
     * One sentence per contrast with the most tricks on (the whole trick set where the design has it),
     * pooled over algorithms where there are several: the total gain with its t interval over seeds, and
     * the shares of training and of architecture with their seed-bootstrap intervals. Null without
     * cross-evaluations.
     */
    public String attributionHeadline() {
        boolean pooled = attribution.stream().anyMatch(r -> r.algorithm().equals(Attribution.POOLED));
        List<Attribution.Result> candidates = attribution.stream()
                .filter(r -> !pooled || r.algorithm().equals(Attribution.POOLED)).toList();
        int most = candidates.stream().mapToInt(r -> r.contrast().split("\\+").length).max().orElse(0);
        List<String> sentences = new ArrayList<>();
        for (Attribution.Result r : candidates) {
            if (r.contrast().split("\\+").length != most) {
                continue;
            }
            sentences.add(String.format(java.util.Locale.ROOT,
                    "On %s, switching on %s changed %s accuracy by %s points%s over %d seed(s): training with %s accounts"
                            + " for %s and the architecture the search found with %s for %s of that change; their"
                            + " interaction for %s.",
                    dataset, r.contrast(), pooled ? "the algorithms' mean" : r.algorithm() + "'s", signed(r.total().mean()),
                    interval(r.total().ciLow(), r.total().ciHigh(), true), r.seeds(), most > 1 ? "them" : "it",
                    share(r.trainingShare()), most > 1 ? "them" : "it", share(r.architectureShare()),
                    share(r.interactionShare())));
        }
        return sentences.isEmpty() ? null : String.join(" ", sentences);
    }

    private static String signed(double fraction) {
        return String.format(java.util.Locale.ROOT, "%+.2f", 100 * fraction);
    }

    private static String interval(double low, double high, boolean points) {
        if (Double.isNaN(low) || Double.isNaN(high)) {
            // A t interval is missing only with one seed; a share's bootstrap interval also below MIN_BOOTSTRAP_SEEDS.
            return points ? " (one seed: no interval)" : " (no interval with fewer than "
                    + TrickEffects.MIN_BOOTSTRAP_SEEDS + " seeds)";
        }
        return points ? " (95% CI " + signed(low) + " to " + signed(high) + ")"
                : String.format(java.util.Locale.ROOT, " (95%% CI %.0f%% to %.0f%%)", 100 * low, 100 * high);
    }

    private static String share(Attribution.Share s) {
        return Double.isFinite(s.value())
                ? String.format(java.util.Locale.ROOT, "%.0f%%", 100 * s.value()) + interval(s.low(), s.high(), false)
                : "an undefined share (no total change)";
    }

    /**
     * Of the variance the design explains, the shares of the algorithm (architecture) and of the
     * tricks, with seeds and residual as the noise floor. Null when not estimable.
     */
    public String varianceHeadline() {
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
        if (variance.component("algorithm").degreesOfFreedom() == 0) {
            // One algorithm: its share is not zero, it is not estimable; and the tricks' share of what the design
            // explains would be 100% by construction.
            return String.format(java.util.Locale.ROOT,
                    "On %s, every run uses one algorithm, so the algorithm's share of the accuracy variance cannot be"
                            + " estimated; the tricks account for %.0f%%, seeds for %.0f%% and the residual for %.0f%%"
                            + " of all variance.", dataset, 100 * tricks, 100 * seed, 100 * residual);
        }
        return String.format(java.util.Locale.ROOT,
                "On %s, the algorithm (the architecture it finds) accounts for %.0f%% and the tricks for %.0f%% of the"
                        + " accuracy variance the design explains; seeds account for %.0f%% and the residual for %.0f%%"
                        + " of all variance (sequential sums of squares: algorithm first, then tricks%s).",
                dataset, 100 * algorithm / explained, 100 * tricks / explained, 100 * seed, 100 * residual,
                variance.components().stream().anyMatch(c -> c.source() == VarianceDecomposition.Source.INTERACTION)
                        ? " and their two-way interactions" : "");
    }

    /**
     * The one line every section of the data set's analysis carries when some trick is on in every run,
     * or null when none is.
     */
    public String protocolTricksNote() {
        if (protocolTricks.isEmpty()) {
            return null;
        }
        boolean one = protocolTricks.size() == 1;
        return String.join(", ", protocolTricks) + (one ? " is" : " are") + " on in every run on " + dataset
                + ": part of the protocol here, not " + (one ? "a factor." : "factors.");
    }

    static Set<String> names(List<Observation> obs) {
        Set<String> names = new TreeSet<>();
        obs.forEach(o -> names.addAll(o.tricks().keySet()));
        return names;
    }
}
