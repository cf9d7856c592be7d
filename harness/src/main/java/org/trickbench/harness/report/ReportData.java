package org.trickbench.harness.report;

import java.util.List;
import java.util.Map;

/** Everything the first report page shows, read from the store; the page renders, it computes nothing. */
public record ReportData(String matrix, String generatedAt, List<RunView> runs, Map<String, Integer> statusCounts,
        Map<String, String> environment, String reproduceCommand) {
    public ReportData {
        runs = List.copyOf(runs);
        statusCounts = Map.copyOf(statusCounts);
        environment = Map.copyOf(environment);
    }

    /** Mean test accuracy of the runs that finished, or NaN when none did. */
    public double meanTestAccuracy() {
        return runs.stream().filter(r -> r.testAccuracy() != null && r.status().equals("done"))
                .mapToDouble(RunView::testAccuracy).average().orElse(Double.NaN);
    }
}
