package org.trickbench.harness.store;

/**
 * What a finished run records: the genotype found, its proxy score, the search cost and its evaluation,
 * and what the search spent of its budget: supernet epochs, candidates scored, and what ended it
 * ({@code complete}, {@code seconds}, {@code stalled}, {@code diverged}); null where not recorded.
 *
 * @param searchWallSeconds the search's wall-clock time
 * @param searchDeviceSeconds time the device spent on the search, or null: not measured. Nothing times the
 *     device, and wall time stored here would pass for device time (it counts host work and waits too)
 */
public record RunCompletion(String genotype, Double proxyScore, double searchWallSeconds, Double searchDeviceSeconds,
        String evaluationId, Integer searchEpochs, Integer searchEvaluations, String searchStop) {

    /** A completion without the budget spent, its search's device time measured. */
    public RunCompletion(String genotype, Double proxyScore, double searchWallSeconds, double searchDeviceSeconds,
            String evaluationId) {
        this(genotype, proxyScore, searchWallSeconds, searchDeviceSeconds, evaluationId, null, null, null);
    }
}
