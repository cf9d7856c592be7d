package org.trickbench.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import org.trickbench.core.data.PreparedData;
import org.trickbench.core.space.nb201.Genotype;
import org.trickbench.core.space.nb201.Nb201Space;
import org.trickbench.core.space.nb201.Nb201Supernet;
import org.trickbench.core.space.nb201.Nb201Ops;
import org.trickbench.core.space.nb201.NetworkConfig;

/**
 * The points where a trick may act on training, modelled on DJL's {@code TrainingListener} with the
 * hooks DJL lacks (around the loss, around the optimiser step, around architecture updates). Every
 * method has a neutral default, so a trick overrides only what it needs; the loops call the hooks in
 * order through {@link TrainingHooks} and never know a trick by class.
 *
 * <p>{@link TrainingHooks} names how each point combines the hooks. Hooks that transform a value
 * ({@link #configureProtocol}, {@link #configureNetwork}, {@link #configureNetworkConfig},
 * {@link #transformImages}, {@link #transformBatch}, ...) are folded left to right. Hooks that wrap an
 * action ({@link #lossFor}, {@link #step}) receive the rest of the chain as {@code next}, the first hook
 * outermost, so e.g. SAM can run the step twice. {@link #beforeArchitectureStep} needs every hook's yes,
 * {@link #trainAllOps} one hook's, and both ask every hook.
 */
public interface TrainingHook {

    /** The protocol this run trains with (e.g. longer training, heavy weight decay). */
    default Protocol configureProtocol(Protocol protocol) {
        return protocol;
    }

    /** The op factories the network builder uses (e.g. Swish for ReLU, GroupNorm for BatchNorm). */
    default Nb201Ops configureNetwork(Nb201Ops ops) {
        return ops;
    }

    /** The network's size (e.g. wider: more channels); the run's fidelity gives the starting config. */
    default NetworkConfig configureNetworkConfig(NetworkConfig config) {
        return config;
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

    /** Whether architecture parameters may be updated now (warm-up holds them still). */
    default boolean beforeArchitectureStep(int epoch, int totalEpochs) {
        return true;
    }

    /**
     * The op factories of a supernet's candidate operations, after {@link #configureNetwork}: only the
     * ops on the search cells' edges, never the stem, reductions or head, and never a standalone
     * network (e.g. BatchNorm without affine parameters, an auxiliary skip on every edge).
     */
    default Nb201Ops configureSupernetCells(Nb201Ops cellOps) {
        return cellOps;
    }

    /**
     * The architecture parameters the forward passes of a supernet weight step see in place of the
     * stored α (e.g. SDARTS' random smoothing), folded left to right. The stored α itself must stay
     * unchanged; arrays die with the step.
     */
    default NDArray architectureForWeightStep(NDArray alpha, StepContext step) {
        return alpha;
    }

    /**
     * Whether this step of a single-path (one-shot) search trains the whole mixed supernet, every op of
     * every edge, instead of its sampled path (e.g. TuNAS's warm-up). The step trains all ops if any
     * hook asks for it.
     */
    default boolean trainAllOps(StepContext step) {
        return false;
    }

    /** After each epoch, with that epoch's metrics. */
    default void afterEpoch(EpochMetrics metrics, Block network) {}

    /** Before a supernet scores candidates with shared weights (e.g. recompute BN statistics). */
    default void beforeScoring(Block supernet) {}

    /** The architecture a gradient search returns; {@code proposed} is the argmax over α. */
    default Genotype selectArchitecture(Genotype proposed) {
        return proposed;
    }

    /** The cells a search may propose (e.g. a pre-optimised space); samplers and the supernet honour it. */
    default Nb201Space configureSpace(Nb201Space space) {
        return space;
    }

    /**
     * The data a supernet search trains and scores on, once its supernet is initialised (e.g. the frozen
     * stem's output in place of the images).
     */
    default PreparedData configureSearchData(PreparedData data, Nb201Supernet supernet) {
        return data;
    }

    /** After a supernet search's training, before it chooses (e.g. split into sub-supernets). */
    default void afterSupernetTraining(SupernetSession session) {}

    /**
     * Before a sub-network is scored with shared weights, first in every hook: which weights score it
     * (e.g. the sub-supernet that holds its op on the split edge).
     */
    default void selectWeights(Genotype candidate, SupernetSession session) {}

    /**
     * Before a sub-network is scored with shared weights, after {@link #selectWeights}, with the supernet
     * set to that sub-network (e.g. recompute BN statistics on its training batches).
     */
    default void beforeScoring(SupernetSession session) {
        beforeScoring(session.supernet());
    }

    /** The architecture a gradient search returns, with the trained supernet at hand. */
    default Genotype selectArchitecture(Genotype proposed, SupernetSession session) {
        return selectArchitecture(proposed);
    }

    /** The loss of a chain of hooks, from the network outputs and the batch. */
    @FunctionalInterface
    interface LossFunction {
        NDArray loss(NDList outputs, Batch batch);
    }
}
