package org.trickbench.harness.matrix;

import java.util.Map;

/** One {@code tricks:} item of a matrix file: a trick id and its parameters (defaults fill the rest). */
public record TrickEntry(String id, Map<String, Object> params) {
    public TrickEntry {
        params = params == null ? Map.of() : Map.copyOf(params);
    }
}
