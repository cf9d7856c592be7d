package org.trickbench.harness.report;

import java.util.List;
import org.trickbench.harness.store.EpochRow;

/** One run as the report shows it: its spec's essentials, outcome, evaluation and training curve. */
public record RunView(String runId, String evaluationId, String algorithm, long seed, String dataset, String status, String genotype,
        Long params, Long flops, Double testAccuracy, Double trainAccuracy, Double proxyScore, double searchWallSeconds,
        double finalWallSeconds, String error, List<EpochRow> finalEpochs) {
    public RunView {
        finalEpochs = List.copyOf(finalEpochs);
    }
}
