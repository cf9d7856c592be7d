package org.trickbench.harness.runner;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;
import org.trickbench.core.train.StepContext;
import org.trickbench.core.train.WeightTrainingHook;

/**
 * Estimates the weight decay λ of a supernet search's first SGD step from w, ∇ and the updated w, for a
 * search whose weight optimiser uses Nesterov momentum 0.9 and no gradient clipping.
 */
final class DecayProbe implements WeightTrainingHook {
    double lambda = Double.NaN;

    @Override
    public void step(StepContext step, Runnable next) {
        if (step.step() != 0) {
            next.run();
            return;
        }
        List<float[]> before = new ArrayList<>();
        List<float[]> gradients = new ArrayList<>();
        for (NDArray w : step.parameters()) {
            before.add(w.toFloatArray());
            gradients.add(w.getGradient().toFloatArray());
        }
        next.run();
        // First Nesterov step from an empty buffer: w' = w − η (1 + μ)(∇ + λ w), μ = 0.9.
        double scale = step.learningRate() * 1.9;
        double rw = 0;
        double ww = 0;
        for (int i = 0; i < before.size(); i++) {
            float[] after = step.parameters().get(i).toFloatArray();
            float[] w = before.get(i);
            for (int j = 0; j < w.length; j++) {
                if (after[j] != w[j]) {
                    double r = (w[j] - (double) after[j]) / scale - gradients.get(i)[j];
                    rw += r * w[j];
                    ww += (double) w[j] * w[j];
                }
            }
        }
        lambda = rw / ww;
    }
}
