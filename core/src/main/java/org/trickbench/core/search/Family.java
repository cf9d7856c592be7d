package org.trickbench.core.search;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;
import org.trickbench.core.UserInputException;
import org.trickbench.core.Worded;

/**
 * A search algorithm's family, which decides the tricks that can act in its runs. The words are the
 * ones reports, docs and run records print.
 */
public enum Family implements Worded {
    BLACK_BOX("black-box"),
    GRADIENT("gradient"),
    ONE_SHOT("one-shot");

    /** Every family, in order. */
    public static final Set<Family> ALL = Collections.unmodifiableSet(EnumSet.allOf(Family.class));

    private final String word;

    Family(String word) {
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
     * The search family a word names.
     *
     * @throws UserInputException naming the word and the known ones
     */
    public static Family of(String word) {
        return Worded.of(Family.class, word, "search family");
    }
}
