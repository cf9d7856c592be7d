package org.trickbench.algorithms;

import java.util.List;

/**
 * A supernet search in full: the result the harness stores, the per-epoch record, and α at the start
 * and at the end (edge by edge, the supernet's α tensors one after another, ops in the space's order).
 *
 * @param result what the harness stores
 * @param diverged whether a training loss became NaN or infinite, which ends the search early
 * @param architecture the architecture the search chose, in any space
 */
public record SupernetOutcome(org.trickbench.core.search.SearchResult result, List<SupernetEpoch> epochs,
        double[][] initialAlpha, double[][] alpha, int stepsPerEpoch, boolean diverged,
        org.trickbench.core.space.Architecture architecture) {
    public SupernetOutcome {
        epochs = List.copyOf(epochs);
    }
}
