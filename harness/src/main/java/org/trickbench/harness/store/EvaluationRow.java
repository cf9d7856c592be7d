package org.trickbench.harness.store;

/**
 * One row of {@code evaluations}: the final training of a genotype under a protocol, fidelity and seed.
 *
 * @param status {@link RunStatus#DONE}, or {@link RunStatus#DIVERGED} for a training that diverged
 * @param wallSeconds the training's wall-clock time
 * @param deviceSeconds time the device spent computing, or null: not measured. The training loop has no
 *     device timer, and wall time stored here would pass for one (on a GPU it counts host work and waits too)
 */
public record EvaluationRow(String id, String genotype, String protocolHash, String dataset, long seed,
        String fidelity, RunStatus status, Double testAccuracy, Double trainAccuracy, Double trainLoss, Long params,
        Long flops, int epochs, Integer divergedEpoch, double wallSeconds, Double deviceSeconds) {}
