package org.trickbench.core.train;

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
}
