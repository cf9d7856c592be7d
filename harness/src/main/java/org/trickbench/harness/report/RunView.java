package org.trickbench.harness.report;

import java.util.List;
import org.trickbench.harness.store.EpochRow;

/**
 * One run as the report shows it: its spec's essentials, outcome, evaluation and training curve.
 *
 * @param searchWallSeconds the search's wall time, or null where unknown (an imported row that left it empty)
 * @param finalWallSeconds the final training's wall time, or null where unknown (imported runs)
 * @param tricks the tricks switched on, joined by '+', or "no tricks" (as {@code Configuration#trickLabel})
 * @param protocol the analysis group the run belongs to, as {@link AnalysisSummary#protocol()} labels it;
 *     null when the report has one group
 */
public record RunView(String runId, String evaluationId, String algorithm, long seed, String dataset, String status, String genotype,
        Long params, Long flops, Double testAccuracy, Double trainAccuracy, Double proxyScore, Double searchWallSeconds,
        Double finalWallSeconds, String error, List<EpochRow> finalEpochs, String tricks, String protocol) {
    public RunView(String runId, String evaluationId, String algorithm, long seed, String dataset, String status,
            String genotype, Long params, Long flops, Double testAccuracy, Double trainAccuracy, Double proxyScore,
            Double searchWallSeconds, Double finalWallSeconds, String error, List<EpochRow> finalEpochs, String tricks) {
        this(runId, evaluationId, algorithm, seed, dataset, status, genotype, params, flops, testAccuracy, trainAccuracy,
                proxyScore, searchWallSeconds, finalWallSeconds, error, finalEpochs, tricks, null);
    }

    public RunView(String runId, String evaluationId, String algorithm, long seed, String dataset, String status,
            String genotype, Long params, Long flops, Double testAccuracy, Double trainAccuracy, Double proxyScore,
            Double searchWallSeconds, Double finalWallSeconds, String error, List<EpochRow> finalEpochs) {
        this(runId, evaluationId, algorithm, seed, dataset, status, genotype, params, flops, testAccuracy, trainAccuracy,
                proxyScore, searchWallSeconds, finalWallSeconds, error, finalEpochs, "no tricks");
    }

    public RunView {
        finalEpochs = List.copyOf(finalEpochs);
        tricks = tricks == null || tricks.isEmpty() ? "no tricks" : tricks;
    }

    /** This run in the analysis group so labelled. */
    public RunView inGroup(String label) {
        return new RunView(runId, evaluationId, algorithm, seed, dataset, status, genotype, params, flops, testAccuracy,
                trainAccuracy, proxyScore, searchWallSeconds, finalWallSeconds, error, finalEpochs, tricks, label);
    }

    /** The algorithm's id alone: {@link #algorithm} is the id, then its parameters as JSON after a space. */
    public String algorithmId() {
        int space = algorithm.indexOf(' ');
        return space < 0 ? algorithm : algorithm.substring(0, space);
    }

    /** Algorithm (with its parameters) and tricks: what tells this run's configuration from others'. */
    public String configurationLabel() {
        return algorithm + " · " + tricks;
    }
}
