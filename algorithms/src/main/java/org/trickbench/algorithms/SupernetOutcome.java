package org.trickbench.algorithms;

import java.util.List;

/**
 * A supernet search in full: the result the harness stores, the per-epoch record, and α at the start
 * and at the end (edge by edge, ops in {@code Nb201Op} order).
 *
 * @param diverged whether a training loss became NaN or infinite, which ends the search early
 */
public record SupernetOutcome(org.trickbench.core.search.SearchResult result, List<SupernetEpoch> epochs,
        double[][] initialAlpha, double[][] alpha, int stepsPerEpoch, boolean diverged) {
    public SupernetOutcome {
        epochs = List.copyOf(epochs);
    }
}
