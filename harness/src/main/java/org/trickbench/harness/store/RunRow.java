package org.trickbench.harness.store;

/**
 * One row of {@code runs}: a run's spec, status and outcome, with what its search spent (see
 * {@link RunCompletion}).
 */
public record RunRow(String id, String matrix, String spec, RunStatus status, int attempt, String shard, String host,
        String owner, String startedAt, String finishedAt, String genotype, Double proxyScore,
        Double searchWallSeconds, Double searchDeviceSeconds, String evaluationId, String errorClass,
        String errorMessage, String skipReason, Integer searchEpochs, Integer searchEvaluations, String searchStop) {}
