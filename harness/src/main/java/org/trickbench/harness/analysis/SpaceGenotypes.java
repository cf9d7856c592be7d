package org.trickbench.harness.analysis;

import java.util.List;
import org.trickbench.core.UserInputException;
import org.trickbench.core.space.SearchSpaces;

/**
 * The search spaces whose genotype strings the analysis, the report and {@code bench import} read, by
 * the id runs store in their spec's {@code space}: each string is read in its own space's notation,
 * never guessed from its form.
 */
public final class SpaceGenotypes {
    /** NAS-Bench-201: {@code |nor_conv_3x3~0|+|…|}. */
    public static final String NB201 = SearchSpaces.NB201;
    /** The DARTS CNN space: {@code Genotype(normal=[…], normal_concat=range(2, 6), reduce=[…], …)}. */
    public static final String DARTS = SearchSpaces.DARTS;
    /** Every space id this class reads, first the default of runs that name none. */
    public static final List<String> SPACES = SearchSpaces.ids();

    private SpaceGenotypes() {}

    /**
     * The genotype's canonical string in space {@code space}.
     *
     * @throws UserInputException for an unknown space (naming the allowed ones) or a string that is not a
     *     genotype of the space (the parser's message, naming the position and what is allowed there)
     */
    public static String canonical(String space, String genotype) {
        return SearchSpaces.byId(space).parse(genotype).canonical();
    }

    /** How a genotype of the space is written, for messages. */
    public static String notation(String space) {
        return switch (space) {
            case NB201 -> "a NAS-Bench-201 genotype string (|nor_conv_3x3~0|+|...|)";
            case DARTS -> "a DARTS genotype (Genotype(normal=[('sep_conv_3x3', 0), ...], normal_concat=range(2, 6),"
                    + " reduce=[...], reduce_concat=range(2, 6)))";
            default -> "a genotype of space " + space;
        };
    }
}
