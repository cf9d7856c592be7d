package org.trickbench.core.train;

import ai.djl.ndarray.NDArray;
import org.trickbench.core.data.PreparedData;
import org.trickbench.core.space.Architecture;
import org.trickbench.core.space.Supernet;

/**
 * The points where a trick acts on a supernet search, in any search space: while the supernet trains
 * (architecture steps, the α its weight steps see, single-path steps, each epoch's end) and once it is
 * trained (more training, which weights score a candidate, the architecture returned). The supernet and
 * the architectures are the space-neutral {@link Supernet} and {@link Architecture}; a hook that acts on
 * one space's edges asks the {@link SupernetSession} for that space's supernet. Every method has a
 * neutral default.
 *
 * <p>{@link TrainingHooks} names how each point combines the hooks: {@link #beforeArchitectureStep}
 * needs every hook's yes, {@link #trainAllOps} one hook's, and both ask every hook;
 * {@link #architectureForWeightStep}, {@link #configureSearchData} and {@link #selectArchitecture} are
 * folded left to right; the others tell every hook in order.
 */
public interface SupernetSearchHook extends TrainingHook {

    /**
     * The data the search trains and scores on, once its supernet is initialised (e.g. the frozen stem's
     * output in place of the images).
     */
    default PreparedData configureSearchData(PreparedData data, Supernet supernet) {
        return data;
    }

    /** Whether architecture parameters may be updated in this epoch (warm-up holds them still); no metrics yet. */
    default boolean beforeArchitectureStep(EpochContext epoch) {
        return true;
    }

    /**
     * The architecture parameters the forward passes of a supernet weight step see in place of the
     * stored α (e.g. SDARTS' random smoothing). The stored α itself must stay unchanged; arrays die with
     * the step.
     */
    default NDArray architectureForWeightStep(NDArray alpha, StepContext step) {
        return alpha;
    }

    /**
     * Whether this step of a single-path (one-shot) search trains the whole mixed supernet, every op of
     * every edge, instead of its sampled path (e.g. TuNAS's warm-up).
     */
    default boolean trainAllOps(StepContext step) {
        return false;
    }

    /**
     * After each search epoch that did not diverge, after every {@link WeightTrainingHook#afterEpoch}, with
     * the search at hand (e.g. fix the edges decided so far).
     */
    default void afterSearchEpoch(EpochContext epoch, SupernetSession session) {}

    /** After the supernet's training, before the search chooses (e.g. split into sub-supernets). */
    default void afterSupernetTraining(SupernetSession session) {}

    /**
     * Before a sub-network is scored with shared weights, first in every hook: which weights score it
     * (e.g. the sub-supernet that holds its op on the split edge).
     */
    default void selectWeights(Architecture candidate, SupernetSession session) {}

    /**
     * Before a sub-network is scored with shared weights, after {@link #selectWeights}, with the supernet
     * set to that sub-network (e.g. recompute BN statistics on its training batches).
     */
    default void beforeScoring(SupernetSession session) {}

    /**
     * The architecture a gradient search returns, with the trained supernet at hand; {@code proposed} is
     * the argmax over α, or the choice of the hooks before this one.
     */
    default Architecture selectArchitecture(Architecture proposed, SupernetSession session) {
        return proposed;
    }
}
