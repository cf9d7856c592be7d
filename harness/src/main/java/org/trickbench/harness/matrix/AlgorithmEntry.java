package org.trickbench.harness.matrix;

import java.util.Map;

/** One {@code algorithms:} item of a matrix file: an id and its parameters. */
public record AlgorithmEntry(String id, Map<String, Object> params) {
    public AlgorithmEntry {
        params = params == null ? Map.of() : Map.copyOf(params);
    }
}
