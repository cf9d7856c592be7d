package org.trickbench.core.space.nb201;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.SplittableRandom;
import org.trickbench.core.space.Architecture;
import org.trickbench.core.space.SearchSpace;
import org.trickbench.core.space.SearchSpaces;
import org.trickbench.core.train.Fidelity;
import org.trickbench.core.train.StandaloneNetwork;

/**
 * NAS-Bench-201 as a {@link SearchSpace}: the cells of {@code cells}, the full 5^6 or the fewer a
 * search-phase hook leaves ({@link Nb201Hooks#configureSpace}). Every draw consumes the same random
 * numbers as the NAS-Bench-201 code it stands for ({@link Nb201Space#randomCell}, one edge then
 * {@link Nb201Space#otherOp} for a mutation, a partial Fisher-Yates shuffle of the cell indices for a
 * sample without replacement), so searches on it find what they found before the space was neutral.
 */
public record Nb201SearchSpace(Nb201Space cells) implements SearchSpace {
    private static final Nb201SearchSpace FULL = new Nb201SearchSpace(Nb201Space.full());

    public Nb201SearchSpace {
        Objects.requireNonNull(cells, "cells");
    }

    /** The benchmark's 15,625 cells. */
    public static Nb201SearchSpace full() {
        return FULL;
    }

    @Override
    public String id() {
        return SearchSpaces.NB201;
    }

    @Override
    public Genotype parse(String canonical) {
        return Genotype.parse(canonical);
    }

    @Override
    public Genotype random(SplittableRandom random) {
        return cells.randomCell(random);
    }

    /**
     * One of the six edges, chosen uniformly, gets one of the space's other ops, chosen uniformly (the
     * parent itself only when the space keeps a single op).
     */
    @Override
    public Genotype mutate(Architecture parent, SplittableRandom random) {
        Genotype g = Genotype.from(parent);
        int edge = random.nextInt(Genotype.EDGES);
        return g.with(edge, cells.otherOp(g.op(edge), random));
    }

    /** The cells one edge-op away, 6 × (ops − 1) of them, in edge then op order. */
    @Override
    public List<Architecture> neighbours(Architecture architecture) {
        return List.copyOf(cells.neighbours(Genotype.from(architecture)));
    }

    @Override
    public long size() {
        return cells.cells();
    }

    /**
     * A partial Fisher-Yates shuffle of the cell indices: the k-th draw swaps a uniform index of the
     * not yet drawn into place k, so no cell comes twice.
     */
    @Override
    public Iterator<Architecture> withoutReplacement(SplittableRandom random) {
        int[] order = new int[cells.cells()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        return new Iterator<>() {
            private int k;

            @Override
            public boolean hasNext() {
                return k < order.length;
            }

            @Override
            public Architecture next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("every cell of the space was drawn");
                }
                int j = k + random.nextInt(order.length - k);
                int drawn = order[j];
                order[j] = order[k];
                order[k] = drawn;
                k++;
                return cells.cell(drawn);
            }
        };
    }

    @Override
    public StandaloneNetwork standalone(Architecture architecture, Fidelity fidelity) {
        return new Nb201Standalone(Genotype.from(architecture), fidelity.channels(), fidelity.cells());
    }
}
