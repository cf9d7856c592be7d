package org.trickbench.core.train;

import ai.djl.nn.Block;

/**
 * Where training stands at an epoch's start or end, for hooks that act once per epoch.
 *
 * @param epoch zero-based epoch
 * @param totalEpochs epochs of the whole training (the search's own, for a supernet)
 * @param metrics what the epoch measured; null at its start ({@link SupernetSearchHook#beforeArchitectureStep})
 * @param network the network or supernet being trained
 */
public record EpochContext(int epoch, int totalEpochs, EpochMetrics metrics, Block network) {

    /** An epoch about to run: nothing measured yet. */
    public static EpochContext starting(int epoch, int totalEpochs, Block network) {
        return new EpochContext(epoch, totalEpochs, null, network);
    }

    /** The epoch that has run, with what it measured. */
    public static EpochContext ended(EpochMetrics metrics, int totalEpochs, Block network) {
        return new EpochContext(metrics.epoch(), totalEpochs, metrics, network);
    }
}
