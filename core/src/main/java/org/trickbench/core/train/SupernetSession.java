package org.trickbench.core.train;

import ai.djl.ndarray.NDArray;
import org.trickbench.core.search.Family;
import org.trickbench.core.seed.Seeds;
import org.trickbench.core.space.Architecture;
import org.trickbench.core.space.Supernet;

/**
 * A supernet search's supernet and what a hook may do with it: measure it, train it further with the
 * search's own steps, keep and restore its state. The search loop offers this to
 * {@link SupernetSearchHook#afterSearchEpoch} while it trains, and once its training is over to
 * {@link SupernetSearchHook#afterSupernetTraining}, {@link SupernetSearchHook#beforeScoring},
 * {@link SupernetSearchHook#selectWeights} and {@link SupernetSearchHook#selectArchitecture}; tests can
 * plant one. It names no search space: a hook that acts on one space's edges asks for that space's
 * supernet with {@link #supernet(Class)}.
 */
public interface SupernetSession {
    /** The supernet, as every space's supernet is seen. */
    Supernet supernet();

    /**
     * The supernet as its space's own type (e.g. NAS-Bench-201's), for hooks that restrict or fix its
     * edges.
     *
     * @throws IllegalStateException when this search's supernet is of another space
     */
    default <S extends Supernet> S supernet(Class<S> space) {
        Supernet supernet = supernet();
        if (!space.isInstance(supernet)) {
            throw new IllegalStateException("this hook acts on a " + space.getSimpleName() + ", and this search's"
                    + " supernet is a " + supernet.getClass().getSimpleName());
        }
        return space.cast(supernet);
    }

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
     * {@link SupernetSearchHook#selectWeights} and {@link SupernetSearchHook#beforeScoring}: the one-shot
     * score.
     */
    double score(Architecture candidate);

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
