package org.trickbench.core.space;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;
import org.trickbench.core.UserInputException;
import org.trickbench.core.Worded;

/**
 * A search space by the id matrix files, run specs and docs name it ({@link SearchSpace#id()}), which decides
 * the tricks that can act in its runs.
 */
public enum SpaceId implements Worded {
    NB201("nb201"),
    DARTS("darts");

    /** Every space, in order. */
    public static final Set<SpaceId> ALL = Collections.unmodifiableSet(EnumSet.allOf(SpaceId.class));

    private final String word;

    SpaceId(String word) {
        this.word = word;
    }

    @Override
    public String word() {
        return word;
    }

    @Override
    public String toString() {
        return word;
    }

    /**
     * The space an id names.
     *
     * @throws UserInputException naming the id and the known ones
     */
    public static SpaceId of(String id) {
        return Worded.of(SpaceId.class, id, "search space");
    }
}
