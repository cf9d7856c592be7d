package org.trickbench.core.train;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import java.util.List;
import org.trickbench.core.data.PreparedData;

/**
 * What {@link TrainingLoop} trains, as its search space builds it: one architecture at one size. The
 * loop knows no space; the space configures the protocol and its own network with the hooks, builds the
 * network, and counts it.
 */
public interface StandaloneNetwork {

    /**
     * The protocol and the network after the hooks' configuration, hook by hook: each hook configures
     * the protocol ({@link WeightTrainingHook#configureProtocol}) and the space's own points before the
     * next hook is asked. The network is built for {@code data}'s images and classes, not yet initialised.
     */
    Built build(Protocol protocol, PreparedData data, TrainingHooks hooks);

    /** Trainable parameters of the initialised network, as the space reports them. */
    long countParameters(Block network);

    /**
     * A configured, built network.
     *
     * @param inputShape the shape of a batch of two images, to initialise the network with
     * @param flops multiply-accumulates of one forward pass of one image, as the space counts them
     * @param hooks the space's own hooks for training this network (e.g. DARTS's drop-path ramp and
     *     auxiliary loss), asked before the run's hooks: they fold first and wrap outermost
     */
    record Built(Protocol protocol, Block network, Shape inputShape, long flops, List<TrainingHook> hooks) {
        public Built {
            hooks = List.copyOf(hooks);
        }

        /** A network the space adds no hooks of its own to. */
        public Built(Protocol protocol, Block network, Shape inputShape, long flops) {
            this(protocol, network, inputShape, flops, List.of());
        }
    }
}
