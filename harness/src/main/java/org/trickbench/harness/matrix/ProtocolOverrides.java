package org.trickbench.harness.matrix;

import org.trickbench.core.train.Protocol;

/**
 * The {@code protocol:} section of a matrix file: any field left out keeps NAS-Bench-201's value.
 * Epochs are not here: they belong to the fidelity.
 */
public record ProtocolOverrides(Double learningRate, Double minLearningRate, Double momentum, Boolean nesterov,
        Double weightDecay, Integer batchSize, Integer cropPadding, Boolean horizontalFlip, Double labelSmoothing) {

    public static ProtocolOverrides none() {
        return new ProtocolOverrides(null, null, null, null, null, null, null, null, null);
    }

    public Protocol apply(Protocol base) {
        return new Protocol(
                or(learningRate, base.learningRate()),
                or(minLearningRate, base.minLearningRate()),
                or(momentum, base.momentum()),
                or(nesterov, base.nesterov()),
                or(weightDecay, base.weightDecay()),
                or(batchSize, base.batchSize()),
                base.epochs(),
                base.schedule(),
                or(cropPadding, base.cropPadding()),
                or(horizontalFlip, base.horizontalFlip()),
                or(labelSmoothing, base.labelSmoothing()));
    }

    private static <T> T or(T value, T fallback) {
        return value == null ? fallback : value;
    }
}
