package org.trickbench.core.search;

import java.util.List;
import org.trickbench.core.space.nb201.Genotype;

/**
 * What a search returns: the genotype, its proxy score (NaN when the algorithm scores nothing, as the
 * random baseline), the search cost in wall and device seconds, and the best-so-far trajectory.
 */
public record SearchResult(Genotype genotype, double proxyScore, double wallSeconds, double deviceSeconds,
        List<Double> trajectory) {
    public SearchResult {
        trajectory = List.copyOf(trajectory);
    }
}
