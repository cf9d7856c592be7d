package org.trickbench.harness.store;

/** What a finished run records: the genotype found, its proxy score, the search cost and its evaluation. */
public record RunCompletion(String genotype, Double proxyScore, double searchWallSeconds, double searchDeviceSeconds,
        String evaluationId) {}
