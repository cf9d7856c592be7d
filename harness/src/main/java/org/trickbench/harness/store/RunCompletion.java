package org.trickbench.harness.store;

/**
 * What a finished run records: the genotype found, its proxy score, the search cost and its evaluation,
 * and what the search spent of its budget: supernet epochs, candidates scored, and what ended it
 * ({@code complete}, {@code seconds}, {@code stalled}, {@code diverged}); null where not recorded.
 */
public record RunCompletion(String genotype, Double proxyScore, double searchWallSeconds, double searchDeviceSeconds,
        String evaluationId, Integer searchEpochs, Integer searchEvaluations, String searchStop) {

    /** A completion without the budget spent. */
    public RunCompletion(String genotype, Double proxyScore, double searchWallSeconds, double searchDeviceSeconds,
            String evaluationId) {
        this(genotype, proxyScore, searchWallSeconds, searchDeviceSeconds, evaluationId, null, null, null);
    }
}
