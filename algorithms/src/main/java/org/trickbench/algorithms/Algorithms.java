package org.trickbench.algorithms;

import java.util.List;
import org.trickbench.core.Registry;
import org.trickbench.core.UserInputException;
import org.trickbench.core.search.SearchAlgorithm;

/**
 * Algorithms by id: the built-ins listed in this module's
 * {@code META-INF/services/org.trickbench.core.search.SearchAlgorithm}, then any a user's jar lists in its
 * own (as JMH's {@code ProfilerFactory}), so adding one changes no code here. An id declared twice is an
 * error naming both classes, raised on first use so {@code bench} exits 2 with it.
 */
public final class Algorithms {
    private static Registry<SearchAlgorithm> registry;

    private Algorithms() {}

    /** Loaded on first use rather than in a static initialiser, whose failure would surface as an Error. */
    private static synchronized Registry<SearchAlgorithm> registry() {
        if (registry == null) {
            registry = Registry.load(SearchAlgorithm.class, "algorithm", SearchAlgorithm::id);
        }
        return registry;
    }

    public static List<SearchAlgorithm> all() {
        return registry().all();
    }

    /**
     * The algorithm with this id.
     *
     * @throws UserInputException naming the id and the known ones
     */
    public static SearchAlgorithm byId(String id) {
        return registry().byId(id);
    }
}
