package org.trickbench.core.run;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/** A trick switched on, by id, with its parameters. */
public record TrickSetting(String id, Map<String, Object> params) {
    public TrickSetting {
        Objects.requireNonNull(id, "id");
        params = params == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(params));
    }
}
