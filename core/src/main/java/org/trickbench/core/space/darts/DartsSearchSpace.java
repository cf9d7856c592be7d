package org.trickbench.core.space.darts;

import java.util.List;
import java.util.SplittableRandom;
import org.trickbench.core.space.Architecture;
import org.trickbench.core.space.SearchSpace;
import org.trickbench.core.space.SearchSpaces;
import org.trickbench.core.train.Fidelity;
import org.trickbench.core.train.StandaloneNetwork;

/**
 * The DARTS CNN space as a {@link SearchSpace}: genotypes are {@link DartsGenotype}s, sampled by
 * {@link DartsGenotype#random}, mutated by {@link DartsGenotype#mutate}, with the neighbours of
 * {@link DartsGenotype#neighbours}; a fidelity's {@code cells} N is N normal cells per stage, L = 3N + 2
 * in all ({@link DartsStandalone}).
 */
public final class DartsSearchSpace implements SearchSpace {
    /** The one instance: the space has no settings. */
    public static final DartsSearchSpace INSTANCE = new DartsSearchSpace();

    private DartsSearchSpace() {}

    @Override
    public String id() {
        return SearchSpaces.DARTS;
    }

    @Override
    public DartsGenotype parse(String canonical) {
        return DartsGenotype.parse(canonical);
    }

    @Override
    public DartsGenotype random(SplittableRandom random) {
        return DartsGenotype.random(random);
    }

    @Override
    public DartsGenotype mutate(Architecture parent, SplittableRandom random) {
        return DartsGenotype.from(parent).mutate(random);
    }

    @Override
    public List<Architecture> neighbours(Architecture architecture) {
        return List.copyOf(DartsGenotype.from(architecture).neighbours());
    }

    /**
     * More than a long counts: per cell, node i has (i + 2)(i + 1) ordered pairs of distinct inputs and
     * 7² ops for its two edges, 2,880 × 7^8 ≈ 1.66·10^10 cells, and a genotype is two of them.
     */
    @Override
    public long size() {
        return Long.MAX_VALUE;
    }

    @Override
    public StandaloneNetwork standalone(Architecture architecture, Fidelity fidelity) {
        return new DartsStandalone(DartsGenotype.from(architecture), fidelity.channels(), fidelity.cells());
    }

    @Override
    public String toString() {
        return id();
    }
}
