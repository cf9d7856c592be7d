package org.trickbench.core.trick;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;
import org.trickbench.core.UserInputException;
import org.trickbench.core.Worded;

/**
 * Where a trick acts: {@code search} changes which architecture is found, {@code train} how an
 * architecture is trained. The words are the ones reports, docs and run records print.
 */
public enum Phase implements Worded {
    SEARCH("search"),
    TRAIN("train");

    /** Every phase, in order. */
    public static final Set<Phase> ALL = Collections.unmodifiableSet(EnumSet.allOf(Phase.class));

    private final String word;

    Phase(String word) {
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
     * The phase a word names.
     *
     * @throws UserInputException naming the word and the known ones
     */
    public static Phase of(String word) {
        return Worded.of(Phase.class, word, "phase");
    }
}
