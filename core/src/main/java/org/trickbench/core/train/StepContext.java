package org.trickbench.core.train;

/**
 * Where training stands at one optimiser step, and what a hook may ask the loop to do again.
 *
 * @param epoch zero-based epoch
 * @param step zero-based step within the whole training
 * @param totalSteps steps in the whole training
 */
public record StepContext(int epoch, int totalEpochs, long step, long totalSteps, double learningRate,
        Runnable gradientRecomputer) {

    /** Fraction of training done, in [0, 1): the ramp variable of drop-path and warm-up schedules. */
    public double progress() {
        return totalSteps == 0 ? 0 : (double) step / totalSteps;
    }

    /** Zero the gradients and run forward and backward again on this step's batch, at the current weights. */
    public void recomputeGradients() {
        gradientRecomputer.run();
    }
}
