package org.trickbench.harness.analysis;

import java.util.Collections;
import java.util.Comparator;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What a group of runs shares apart from the seed: the algorithm, the data set and the trick
 * setting. Results that summarise over seeds are keyed by it.
 */
public record Configuration(String algorithm, String dataset, Map<String, Boolean> tricks) {
    /** Algorithm, then data set, then trick label: the order every result list comes in. */
    public static final Comparator<Configuration> ORDER = Comparator.comparing(Configuration::algorithm)
            .thenComparing(Configuration::dataset).thenComparing(Configuration::trickLabel);

    public Configuration {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(dataset, "dataset");
        tricks = Collections.unmodifiableMap(new TreeMap<>(Objects.requireNonNull(tricks, "tricks")));
    }

    /** The tricks switched on, joined by '+', or "no tricks". */
    public String trickLabel() {
        String on = tricks.entrySet().stream().filter(Map.Entry::getValue).map(Map.Entry::getKey)
                .collect(Collectors.joining("+"));
        return on.isEmpty() ? "no tricks" : on;
    }
}
