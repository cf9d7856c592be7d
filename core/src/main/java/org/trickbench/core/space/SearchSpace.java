package org.trickbench.core.space;

import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.trickbench.core.train.Fidelity;
import org.trickbench.core.train.StandaloneNetwork;

/**
 * A search space as the space-neutral searches see it (NASLib's {@code search_space}): how to read an
 * architecture's canonical string, sample one uniformly, mutate one, list its neighbours, and build its
 * standalone network at a fidelity. Black-box algorithms and the random baseline work on any space
 * through this interface; each space's own types ({@code Genotype}, {@code DartsGenotype}) carry the
 * structure.
 *
 * <p>Every method that draws consumes only the given generator, so a search is reproducible from its seed.
 */
public interface SearchSpace {
    /** The id matrix files name the space by: {@code nb201}, {@code darts}. */
    String id();

    /**
     * The architecture written {@code canonical} in the space's own notation.
     *
     * @throws org.trickbench.core.UserInputException when the text is not an architecture of this space,
     *     naming the position and what is allowed
     */
    Architecture parse(String canonical);

    /** A uniformly random architecture, as the space's random baseline samples. */
    Architecture random(SplittableRandom random);

    /** A child of {@code parent} one small change away (regularized evolution's mutation); never {@code parent}. */
    Architecture mutate(Architecture parent, SplittableRandom random);

    /** Every architecture one change away from {@code architecture}, in a fixed order (local search). */
    List<Architecture> neighbours(Architecture architecture);

    /** How many architectures the space holds, {@link Long#MAX_VALUE} when more than a long counts. */
    long size();

    /**
     * Uniformly random architectures without replacement (random search's candidates), drawn lazily from
     * {@code random}: each {@code next()} is a new one, for at most {@link #size()} calls. By default it
     * draws {@link #random} until it finds one it has not returned, which suits a space far larger than
     * any budget; a small space may enumerate instead.
     */
    default Iterator<Architecture> withoutReplacement(SplittableRandom random) {
        Set<String> seen = new HashSet<>();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return seen.size() < size();
            }

            @Override
            public Architecture next() {
                if (!hasNext()) {
                    throw new java.util.NoSuchElementException("every architecture of space " + id() + " was drawn");
                }
                while (true) {
                    Architecture drawn = SearchSpace.this.random(random);
                    if (seen.add(drawn.canonical())) {
                        return drawn;
                    }
                }
            }
        };
    }

    /**
     * The architecture's standalone network at {@code fidelity}'s channels and cells, for
     * {@link org.trickbench.core.train.TrainingLoop}.
     */
    StandaloneNetwork standalone(Architecture architecture, Fidelity fidelity);
}
