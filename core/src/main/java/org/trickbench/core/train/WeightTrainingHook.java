package org.trickbench.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/**
 * The points where a trick acts on how weights are trained, modelled on DJL's {@code TrainingListener}
 * with the hooks DJL lacks (around the loss, around the optimiser step). A standalone training asks
 * every point; a supernet search asks these points for its weight steps ({@link #transformImages}
 * excepted: its batches come augmented). Every method has a neutral default.
 *
 * <p>{@link TrainingHooks} names how each point combines the hooks: {@link #configureProtocol},
 * {@link #transformImages} and {@link #transformBatch} are folded left to right; {@link #lossFor} and
 * {@link #step} receive the rest of the chain as {@code next}, the first hook outermost, so e.g. SAM can
 * run the step twice; {@link #afterEpoch} tells every hook.
 */
public interface WeightTrainingHook extends TrainingHook {

    /** The protocol this run trains with (e.g. longer training, heavy weight decay). */
    default Protocol configureProtocol(Protocol protocol) {
        return protocol;
    }

    /**
     * Training images as pixels in [0, 1], before the protocol's crop, flip and normalisation (e.g.
     * AutoAugment's pixel operations). Arrays die with the step.
     */
    default NDArray transformImages(NDArray images, StepContext step) {
        return images;
    }

    /** A training batch after the protocol's crop and flip (e.g. cutout, mixup). Arrays die with the step. */
    default Batch transformBatch(Batch batch, StepContext step) {
        return batch;
    }

    /** The training loss of a forward pass; {@code next} computes the rest of the chain's loss. */
    default NDArray lossFor(NDList outputs, Batch batch, StepContext step, LossFunction next) {
        return next.loss(outputs, batch);
    }

    /**
     * Wraps the optimiser step, after gradients exist. {@code next.run()} applies the update;
     * {@link StepContext#recomputeGradients()} re-runs forward and backward on the same batch.
     */
    default void step(StepContext step, Runnable next) {
        next.run();
    }

    /** After each epoch that did not diverge, with its metrics and the network trained. */
    default void afterEpoch(EpochContext epoch) {}

    /** The loss of a chain of hooks, from the network outputs and the batch. */
    @FunctionalInterface
    interface LossFunction {
        NDArray loss(NDList outputs, Batch batch);
    }
}
