package org.trickbench.harness.store;

/** One row of {@code evaluations}: the final training of a genotype under a protocol, fidelity and seed. */
public record EvaluationRow(String id, String genotype, String protocolHash, String dataset, long seed,
        String fidelity, String status, Double testAccuracy, Double trainAccuracy, Double trainLoss, Long params,
        Long flops, int epochs, Integer divergedEpoch, double wallSeconds, double deviceSeconds) {}
