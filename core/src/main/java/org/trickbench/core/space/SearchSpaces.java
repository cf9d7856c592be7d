package org.trickbench.core.space;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.trickbench.core.UserInputException;
import org.trickbench.core.space.darts.DartsSearchSpace;
import org.trickbench.core.space.nb201.Nb201SearchSpace;

/** The search spaces by the id matrix files name them: {@code nb201} (NAS-Bench-201) and {@code darts}. */
public final class SearchSpaces {
    /** NAS-Bench-201's id. */
    public static final String NB201 = "nb201";
    /** The DARTS CNN space's id. */
    public static final String DARTS = "darts";

    private static final Map<String, SearchSpace> SPACES = new LinkedHashMap<>();

    static {
        SPACES.put(NB201, Nb201SearchSpace.full());
        SPACES.put(DARTS, DartsSearchSpace.INSTANCE);
    }

    private SearchSpaces() {}

    /** Every space's id, NAS-Bench-201 first. */
    public static List<String> ids() {
        return List.copyOf(SPACES.keySet());
    }

    /**
     * The space whose notation {@code architecture} is written in: DARTS's printed genotypes start with
     * {@code Genotype(}, everything else is read as NAS-Bench-201's ({@code |op~0|+|…|}). For strings that
     * come without their space (an imported results file, a command-line argument).
     */
    public static SearchSpace ofNotation(String architecture) {
        return architecture != null && architecture.strip().startsWith("Genotype") ? byId(DARTS) : byId(NB201);
    }

    /**
     * The architecture {@code text} writes, read by the space of its notation ({@link #ofNotation}).
     *
     * @throws UserInputException when it is not an architecture of that space, naming where and what is allowed
     */
    public static Architecture parse(String text) {
        return ofNotation(text).parse(text);
    }

    /**
     * The space with this id, NAS-Bench-201's unrestricted.
     *
     * @throws UserInputException naming the id and the known ones
     */
    public static SearchSpace byId(String id) {
        SearchSpace space = SPACES.get(id);
        if (space == null) {
            throw new UserInputException("space '" + id + "' is not known; allowed: " + String.join(", ", ids()));
        }
        return space;
    }
}
