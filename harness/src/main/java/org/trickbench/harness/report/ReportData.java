package org.trickbench.harness.report;

import java.util.List;
import java.util.Map;
import org.trickbench.harness.store.RunStatus;

/**
 * Everything the first report page shows, read from the store; the page renders, it computes nothing.
 *
 * @param trickPhases every trick the runs name, by id, with the phases it acts in ("search+train",
 *     "train", "search"), or "unknown" for an id this build does not know (imported or merged runs)
 */
public record ReportData(String matrix, String generatedAt, List<RunView> runs, Map<String, Integer> statusCounts,
        Map<String, String> environment, String reproduceCommand, List<AnalysisSummary> analysis,
        Map<String, String> trickPhases) {
    public ReportData(String matrix, String generatedAt, List<RunView> runs, Map<String, Integer> statusCounts,
            Map<String, String> environment, String reproduceCommand) {
        this(matrix, generatedAt, runs, statusCounts, environment, reproduceCommand, List.of());
    }

    public ReportData(String matrix, String generatedAt, List<RunView> runs, Map<String, Integer> statusCounts,
            Map<String, String> environment, String reproduceCommand, List<AnalysisSummary> analysis) {
        this(matrix, generatedAt, runs, statusCounts, environment, reproduceCommand, analysis, Map.of());
    }

    public ReportData {
        trickPhases = Map.copyOf(trickPhases);
        analysis = List.copyOf(analysis);
        runs = List.copyOf(runs);
        statusCounts = Map.copyOf(statusCounts);
        environment = Map.copyOf(environment);
    }

    /**
     * Share of finished runs whose final evaluation another run had already paid for: runs that found
     * the same genotype under the same protocol, fidelity, data set and seed share one evaluation.
     */
    public double evaluationCacheHitRate() {
        List<RunView> done = runs.stream().filter(r -> RunStatus.DONE.is(r.status()) && r.evaluationId() != null).toList();
        long distinct = done.stream().map(RunView::evaluationId).distinct().count();
        return done.isEmpty() ? 0 : 1 - distinct / (double) done.size();
    }

    /** Mean test accuracy of the runs that finished, or NaN when none did. */
    public double meanTestAccuracy() {
        return runs.stream().filter(r -> r.testAccuracy() != null && RunStatus.DONE.is(r.status()))
                .mapToDouble(RunView::testAccuracy).average().orElse(Double.NaN);
    }
}
