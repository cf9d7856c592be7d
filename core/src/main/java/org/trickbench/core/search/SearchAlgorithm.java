package org.trickbench.core.search;

import java.util.List;
import org.trickbench.core.UserInputException;
import org.trickbench.core.param.ParameterSpec;
import org.trickbench.core.param.Parameters;
import org.trickbench.core.run.AlgorithmSetting;
import org.trickbench.core.space.SearchSpace;
import org.trickbench.core.space.SearchSpaces;

/**
 * A search strategy over a space (NASLib's optimizer). Implementations live in the algorithms module
 * and are found by id; the harness never knows one by class.
 */
public interface SearchAlgorithm {
    /** The id used in matrix files and reports, e.g. {@code random}, {@code rea}, {@code darts-v1}. */
    String id();

    /** Which tricks can apply to its runs. */
    Family family();

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

    /**
     * The ids of the spaces it searches ({@link SearchSpaces#ids()}). By default a black-box algorithm or
     * baseline works on every space (through {@link SearchSpace}), and a supernet algorithm on NAS-Bench-201
     * only; a matrix that pairs it with another space is refused before any run.
     */
    default List<String> spaces() {
        return family() == Family.BLACK_BOX ? SearchSpaces.ids() : List.of(SearchSpaces.NB201);
    }

    /** Parameters with defaults and ranges, as matrix files name them. */
    default List<ParameterSpec> parameters() {
        return List.of();
    }

    /**
     * The parameters in a matrix of space {@code space}: {@link #parameters()} unless the algorithm's
     * defaults differ by space (a supernet search's optimiser on DARTS takes DARTS's own settings).
     */
    default List<ParameterSpec> parameters(String space) {
        return parameters();
    }

    /**
     * A setting's parameters checked against {@link #parameters()}, defaults filled in.
     *
     * @throws UserInputException naming the algorithm, the parameter, the value and what is allowed
     */
    default Parameters resolve(AlgorithmSetting setting) {
        return Parameters.resolve("algorithm '" + id() + "'", parameters(), setting.params());
    }

    /**
     * Checks a matrix's parameters before any run starts: by default each value against its
     * {@link ParameterSpec}; algorithms with constraints between parameters override this to check those
     * too.
     *
     * @throws UserInputException naming the algorithm, the parameter, the value and what is allowed
     */
    default void validate(AlgorithmSetting setting) {
        resolve(setting);
    }

    /**
     * Checks a matrix's parameters for a run on {@code space}: by default as {@link #validate(AlgorithmSetting)};
     * algorithms whose bounds depend on the space (a budget at most the space's size, a cell of that space)
     * override this.
     *
     * @throws UserInputException naming the algorithm, the parameter, the value and what is allowed
     */
    default void validate(AlgorithmSetting setting, SearchSpace space) {
        validate(setting);
    }

    /** Everything a catalogue listing says about the algorithm, from its own declarations. */
    default AlgorithmInfo info() {
        return new AlgorithmInfo(id(), family(), description(), reference(), searches(), parameters());
    }

    SearchResult search(SearchContext context);
}
