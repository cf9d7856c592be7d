package org.trickbench.core.train;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one epoch measured. {@code evalAccuracy} is on the split the run evaluates on: the test split
 * in a final evaluation, the validation half of train during search.
 */
public record EpochMetrics(int epoch, double trainLoss, double trainAccuracy, double evalAccuracy,
        double learningRate, double seconds) {

    public Map<String, Double> asMap(String evalName) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("train_loss", trainLoss);
        m.put("train_acc", trainAccuracy);
        m.put(evalName + "_acc", evalAccuracy);
        m.put("lr", learningRate);
        m.put("seconds", seconds);
        return m;
    }

    public boolean diverged() {
        return !Double.isFinite(trainLoss);
    }
}
