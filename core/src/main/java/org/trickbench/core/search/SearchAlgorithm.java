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

    /** Parameters with defaults, as matrix files name them. */
    default java.util.List<AlgorithmParameter> parameters() {
        return java.util.List.of();
    }

    SearchResult search(SearchContext context);
}
