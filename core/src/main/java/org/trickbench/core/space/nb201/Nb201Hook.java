package org.trickbench.core.space.nb201;

import org.trickbench.core.train.TrainingHook;

/**
 * The points where a trick acts on NAS-Bench-201's own networks: the op factories and size of a
 * standalone network, the candidate ops of a supernet's search cells, and the cells a search may
 * propose. A trick that also acts on training or search implements those hooks too
 * ({@link org.trickbench.core.train.WeightTrainingHook}, {@link org.trickbench.core.train.SupernetSearchHook}).
 * Every method has a neutral default; {@link Nb201Hooks} folds each point over a run's hooks, left to
 * right.
 */
public interface Nb201Hook extends TrainingHook {

    /** The op factories the network builder uses (e.g. Swish for ReLU, GroupNorm for BatchNorm). */
    default Nb201Ops configureNetwork(Nb201Ops ops) {
        return ops;
    }

    /** The network's size (e.g. wider: more channels); the run's fidelity gives the starting config. */
    default NetworkConfig configureNetworkConfig(NetworkConfig config) {
        return config;
    }

    /**
     * The op factories of a supernet's candidate operations, after {@link #configureNetwork}: only the
     * ops on the search cells' edges, never the stem, reductions or head, and never a standalone
     * network (e.g. BatchNorm without affine parameters, an auxiliary skip on every edge).
     */
    default Nb201Ops configureSupernetCells(Nb201Ops cellOps) {
        return cellOps;
    }

    /** The cells a search may propose (e.g. a pre-optimised space); samplers and the supernet honour it. */
    default Nb201Space configureSpace(Nb201Space space) {
        return space;
    }
}
