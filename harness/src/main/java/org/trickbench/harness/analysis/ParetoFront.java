package org.trickbench.harness.analysis;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The runs no other run beats on both search cost and final accuracy: the trade-off a reader picks
 * from. Yang et al. (ICLR 2020, arXiv 1912.12522) make the point that the random baseline, at almost
 * no search cost, often sits on this front.
 */
public final class ParetoFront {
    private ParetoFront() {}

    /**
     * The non-dominated runs among those with a search cost, cheapest first. A run is dominated when
     * another costs no more and reaches at least its accuracy, and is strictly better in one of the
     * two; runs with equal cost and accuracy are all kept.
     */
    public static List<Observation> accuracyVersusSearchCost(List<Observation> observations) {
        Objects.requireNonNull(observations, "observations");
        List<Observation> costed = observations.stream().filter(o -> o.searchCost() != null && !o.searchCost().isNaN())
                .sorted(Comparator.comparingDouble(Observation::searchCost)
                        .thenComparing(Comparator.comparingDouble(Observation::accuracy).reversed()))
                .toList();
        List<Observation> front = new ArrayList<>();
        for (Observation o : costed) {
            // Sorted by cost, then best accuracy first: a run is on the front unless an earlier one
            // (no more expensive) is at least as accurate and differs from it.
            boolean dominated = front.stream().anyMatch(f -> f.accuracy() >= o.accuracy()
                    && (f.accuracy() > o.accuracy() || f.searchCost() < o.searchCost()));
            if (!dominated) {
                front.add(o);
            }
        }
        return front;
    }
}
