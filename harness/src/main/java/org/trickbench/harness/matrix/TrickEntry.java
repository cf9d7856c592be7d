package org.trickbench.harness.matrix;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.util.Map;

/**
 * One {@code tricks:} item of a matrix file: a trick id and its parameters (defaults fill the rest). A
 * bare id ({@code cutout} in {@code tricks: [cutout, mixup]}) is that trick with its defaults.
 */
public record TrickEntry(String id, Map<String, Object> params) {
    public TrickEntry {
        params = params == null ? Map.of() : Map.copyOf(params);
    }

    /** The shorthand: an id alone. */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static TrickEntry of(String id) {
        return new TrickEntry(id, null);
    }
}
