package org.trickbench.core;

import java.util.Arrays;
import java.util.Collection;
import java.util.stream.Collectors;

/**
 * A constant known by the word that matrix files, run records, reports and docs print for it (e.g. the
 * search family {@code black-box}), so the word stays fixed whatever the constant is called in code.
 */
public interface Worded {
    /** The printed word. */
    String word();

    /**
     * The constant of {@code type} that {@code word} names.
     *
     * @param what how the message names the kind, e.g. {@code search family}
     * @throws UserInputException naming the word and the known ones
     */
    static <E extends Enum<E> & Worded> E of(Class<E> type, String word, String what) {
        E[] all = type.getEnumConstants();
        return Arrays.stream(all).filter(e -> e.word().equals(word)).findFirst().orElseThrow(
                () -> new UserInputException("unknown " + what + " '" + word + "'; known: "
                        + Arrays.stream(all).map(Worded::word).collect(Collectors.joining(", "))));
    }

    /** The words, sorted and comma-separated, e.g. {@code gradient, one-shot}. */
    static String join(Collection<? extends Worded> values) {
        return values.stream().map(Worded::word).sorted().collect(Collectors.joining(", "));
    }
}
