package org.trickbench.harness.matrix;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.util.Map;

/**
 * One {@code algorithms:} item of a matrix file: an id and its parameters. A bare id ({@code rea} in
 * {@code algorithms: [rea, gdas]}) is that algorithm with its default parameters.
 */
public record AlgorithmEntry(String id, Map<String, Object> params) {
    public AlgorithmEntry {
        params = params == null ? Map.of() : Map.copyOf(params);
    }

    /** The shorthand: an id alone. */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static AlgorithmEntry of(String id) {
        return new AlgorithmEntry(id, null);
    }
}
