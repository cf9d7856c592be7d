package org.trickbench.core.train;

import ai.djl.ndarray.NDArray;
import org.trickbench.core.search.Family;
import org.trickbench.core.seed.Seeds;
import org.trickbench.core.space.nb201.Genotype;
import org.trickbench.core.space.nb201.Nb201Supernet;

/**
 * A trained supernet and what a hook may do with it once the search's training is over: measure it,
 * train it further with the search's own steps, keep and restore its state. The search loop offers
 * this to {@link TrainingHook#afterSupernetTraining}, {@link TrainingHook#beforeScoring(SupernetSession)},
 * {@link TrainingHook#selectWeights} and {@link TrainingHook#selectArchitecture(Genotype, SupernetSession)};
 * tests can plant one.
 */
public interface SupernetSession {
    /** The supernet; hooks may restrict or fix its edges ({@link Nb201Supernet#allow}). */
    Nb201Supernet supernet();

    /** {@link Family#GRADIENT} or {@link Family#ONE_SHOT}. */
    Family family();

    /** The run's seeds, for the hook's own random choices. */
    Seeds seeds();

    /**
     * Validation accuracy of the whole supernet, mixed by softmax(α) over each edge's allowed ops, on the
     * search's fixed scoring images, in inference mode.
     */
    double mixedAccuracy();

    /**
     * Validation accuracy of one sub-network with the shared weights, after every hook's
     * {@link TrainingHook#selectWeights} and {@link TrainingHook#beforeScoring(SupernetSession)}: the
     * one-shot score.
     */
    double score(Genotype candidate);

    /**
     * Trains for {@code epochs} more epochs with the search's own steps at its final learning rate,
     * updating α too when {@code architecture} is true and the search trains it.
     */
    void train(int epochs, boolean architecture);

    /** Training batches available per epoch. */
    int trainingBatches();

    /** Training batch {@code i} of a fixed order, augmented as the search's batches are; dies with the caller's scope. */
    Batch trainingBatch(int i);

    /** A forward pass of the supernet as it stands (its mode and edges), in training or inference mode. */
    NDArray forward(NDArray images, boolean training);

    /** A copy of every parameter of the supernet (weights, running statistics, α), to restore later. */
    Snapshot snapshot();

    /** Parameters as they were when the snapshot was taken; closing it frees the copies. */
    interface Snapshot extends AutoCloseable {
        void restore();

        @Override
        void close();
    }
}
