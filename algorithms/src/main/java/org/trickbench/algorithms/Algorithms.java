package org.trickbench.algorithms;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.trickbench.core.UserInputException;
import org.trickbench.core.search.SearchAlgorithm;

/**
 * Algorithms by id: the built-ins in a map, then any found through {@link ServiceLoader} (as JMH's
 * {@code ProfilerFactory}), so a user's jar can add one without changing this module.
 */
public final class Algorithms {
    private static final Map<String, SearchAlgorithm> BY_ID = new LinkedHashMap<>();

    static {
        register(new RandomBaseline());
        register(new RandomSearch());
        register(new RegularizedEvolution());
        register(new LocalSearch());
        register(new DartsV1());
        register(new DartsV2());
        register(new Gdas());
        register(new Spos());
        register(new Rsws());
        register(new FixedGenotype());
        for (SearchAlgorithm a : ServiceLoader.load(SearchAlgorithm.class)) {
            register(a);
        }
    }

    private Algorithms() {}

    private static void register(SearchAlgorithm a) {
        BY_ID.putIfAbsent(a.id(), a);
    }

    public static List<SearchAlgorithm> all() {
        return List.copyOf(BY_ID.values());
    }

    public static SearchAlgorithm byId(String id) {
        SearchAlgorithm a = BY_ID.get(id);
        if (a == null) {
            throw new UserInputException("unknown algorithm '" + id + "'; known: " + String.join(", ", BY_ID.keySet()));
        }
        return a;
    }
}
