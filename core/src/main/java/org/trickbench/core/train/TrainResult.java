package org.trickbench.core.train;

import java.util.List;

/**
 * The outcome of training one network. A diverged run (NaN or infinite loss) stops at that epoch and
 * reports it; its accuracies are those of the last finished epoch, or NaN.
 */
public record TrainResult(boolean diverged, Integer divergedEpoch, List<EpochMetrics> epochs, long parameters,
        long flops, double wallSeconds) {

    public TrainResult {
        epochs = List.copyOf(epochs);
    }

    public double finalEvalAccuracy() {
        return last() == null ? Double.NaN : last().evalAccuracy();
    }

    public double finalTrainAccuracy() {
        return last() == null ? Double.NaN : last().trainAccuracy();
    }

    public double finalTrainLoss() {
        return last() == null ? Double.NaN : last().trainLoss();
    }

    private EpochMetrics last() {
        return epochs.isEmpty() ? null : epochs.get(epochs.size() - 1);
    }
}
