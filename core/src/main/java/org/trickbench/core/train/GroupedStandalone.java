package org.trickbench.core.train;

import ai.djl.nn.Block;
import java.util.List;
import org.trickbench.core.data.PreparedData;

/**
 * A {@link StandaloneNetwork} that can train several runs of itself as one network
 * ({@link GroupedTrainingLoop}): the runs' networks side by side, none reading another's channels.
 */
public interface GroupedStandalone extends StandaloneNetwork {

    /**
     * {@code runs} copies of {@link #build}'s network side by side, not yet initialised. Input
     * (B, runs·c, H, W) with run i's images in channels [i·c, (i+1)·c); output (B, runs·classes) with run
     * i's logits in columns [i·classes, (i+1)·classes). Its parameters come in the order of
     * {@link #build}'s network's, each the runs' own stacked along axis 0 ({@link GroupedParameters}).
     * The built shape is that of a batch of two stacked images; the FLOPs are one network's.
     */
    Built buildGrouped(Protocol protocol, PreparedData data, TrainingHooks hooks, int runs);

    /**
     * Whether a run of {@code other} can be trained in one grouped network with a run of this one
     * ({@link #buildGrouped(List, Protocol, PreparedData, TrainingHooks)}); by default only when they are
     * equal.
     */
    default boolean groupsWith(StandaloneNetwork other) {
        return equals(other);
    }

    /**
     * The networks of {@code runs} (run i's at index i, each {@link #groupsWith} this one) side by side
     * as one network, with the layout of {@link #buildGrouped(Protocol, PreparedData, TrainingHooks, int)}
     * except that a parameter may hold the slabs of only some of the runs ({@link #slabs}). By default the
     * runs' networks must be equal, and this is that method's network.
     */
    default Built buildGrouped(List<? extends StandaloneNetwork> runs, Protocol protocol, PreparedData data,
            TrainingHooks hooks) {
        for (StandaloneNetwork run : runs) {
            if (!equals(run)) {
                throw new IllegalArgumentException("grouped runs train different networks: " + this + " and " + run);
            }
        }
        return buildGrouped(protocol, data, hooks, runs.size());
    }

    /**
     * For each parameter of the grouped network {@code grouped} of {@code runs} runs (in its
     * {@code getParameters()} order), where it holds run {@code run}'s weights: which parameter of
     * {@code single}, the run's own network, at which slab position, out of how many slabs
     * ({@link GroupedParameters.Slab}). By default parameter j holds the run's parameter j as slab
     * {@code run} of {@code runs}.
     */
    default List<GroupedParameters.Slab> slabs(Block single, Block grouped, int run, int runs) {
        return GroupedParameters.stacked(grouped.getParameters().size(), run, runs);
    }
}
