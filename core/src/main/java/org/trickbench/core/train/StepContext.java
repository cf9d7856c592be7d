package org.trickbench.core.train;

import ai.djl.ndarray.NDArray;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.trickbench.core.seed.Seeds;

/**
 * Where training stands at one optimiser step, and what a hook may ask the loop to do again.
 *
 * @param epoch zero-based epoch
 * @param step zero-based step within the whole training
 * @param totalSteps steps in the whole training
 * @param seeds the run's seeds, for host-side random draws ({@link #random}); null when the loop
 *     that made this context has none
 * @param parameters the trainable parameter arrays, in place (e.g. SAM perturbs and restores them);
 *     their gradients are the current step's
 */
public record StepContext(int epoch, int totalEpochs, long step, long totalSteps, double learningRate,
        Runnable gradientRecomputer, Seeds seeds, List<NDArray> parameters) {

    public StepContext {
        parameters = parameters == null ? List.of() : List.copyOf(parameters);
    }

    /** A context without seeds or parameter access (architecture steps, tests). */
    public StepContext(int epoch, int totalEpochs, long step, long totalSteps, double learningRate,
            Runnable gradientRecomputer) {
        this(epoch, totalEpochs, step, totalSteps, learningRate, gradientRecomputer, null, List.of());
    }

    /** Fraction of training done, in [0, 1): the ramp variable of drop-path and warm-up schedules. */
    public double progress() {
        return totalSteps == 0 ? 0 : (double) step / totalSteps;
    }

    /** Zero the gradients and run forward and backward again on this step's batch, at the current weights. */
    public void recomputeGradients() {
        gradientRecomputer.run();
    }

    /**
     * A host generator for one purpose at this step (e.g. mixup's λ), derived from the run's seed, the
     * purpose and the step number: the same run draws the same values, and no other stream shifts.
     */
    public SplittableRandom random(String purpose) {
        if (seeds == null) {
            throw new IllegalStateException("this step context carries no seeds; '" + purpose + "' cannot draw");
        }
        return new SplittableRandom(seeds.derive(purpose + "@step" + step));
    }

    /**
     * Device-side draws for one purpose at this step (crop offsets, masks), with libtorch's generator
     * held and seeded for the run, the purpose and the step ({@link Seeds#onEngine}); a hook that
     * draws twice in one step gives each draw its own purpose. Without seeds (tests that build a bare
     * context) the draws take the generator as it stands.
     */
    public <T> T onEngine(String purpose, Supplier<T> draws) {
        return seeds == null ? draws.get() : seeds.onEngine(purpose + "@step" + step, draws);
    }
}
