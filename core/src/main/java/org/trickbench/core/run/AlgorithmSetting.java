package org.trickbench.core.run;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/** An algorithm by id with its parameters (sorted, so the canonical JSON is stable). */
public record AlgorithmSetting(String id, Map<String, Object> params) {
    public AlgorithmSetting {
        Objects.requireNonNull(id, "id");
        params = params == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(params));
    }
}
