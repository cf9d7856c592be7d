package org.trickbench.core.search;

/**
 * A search strategy over a space (NASLib's optimizer). Implementations live in the algorithms module
 * and are found by id; the harness never knows one by class.
 */
public interface SearchAlgorithm {
    /** The id used in matrix files and reports, e.g. {@code random}, {@code rea}, {@code darts-v1}. */
    String id();

    /** {@code black-box}, {@code gradient} or {@code one-shot}: which tricks can apply. */
    String family();

    /** The paper the implementation follows. */
    String reference();

    /** One line for {@code bench list algorithms}. */
    String description();

    /**
     * Whether the algorithm searches. One that does not (the random baseline, a fixed reference cell) only
     * trains the cell it picks, so a matrix row gives it only the tricks that act in the final training.
     */
    default boolean searches() {
        return true;
    }

    /** Parameters with defaults, as matrix files name them. */
    default java.util.List<AlgorithmParameter> parameters() {
        return java.util.List.of();
    }

    /**
     * Checks a matrix's parameters before any run starts: by default that every name is declared;
     * algorithms with ranges override this to check values too. Throws {@code UserInputException}.
     */
    default void validate(org.trickbench.core.run.AlgorithmSetting setting) {
        java.util.Set<String> known = new java.util.TreeSet<>();
        parameters().forEach(p -> known.add(p.name()));
        for (String name : setting.params().keySet()) {
            if (!known.contains(name)) {
                throw new org.trickbench.core.UserInputException("algorithm '" + id() + "': unknown parameter '" + name
                        + "'; allowed: " + (known.isEmpty() ? "none" : String.join(", ", known)));
            }
        }
    }

    SearchResult search(SearchContext context);
}
