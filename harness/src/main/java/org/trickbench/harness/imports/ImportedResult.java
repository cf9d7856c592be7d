package org.trickbench.harness.imports;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.trickbench.core.run.Canonical;

/**
 * One row of a results file from another tool, validated: a finished run as TrickBench stores it.
 * Its spec has the shape of a {@code bench run} spec where the two overlap (algorithm with params,
 * data set, seed, the tricks switched on), so the report, export and check read imported runs as they
 * read their own, plus {@code "source": "import"}, the tricks switched off and the outcome. The run id
 * is the SHA-256 of that canonical JSON: the same row imported twice, from any file, is one run.
 *
 * @param tricks every trick column of the file, by id, with whether it was on
 * @param accuracy final test accuracy as a fraction in [0, 1], the unit the store keeps
 * @param line the row's line in its file (provenance, not identity)
 */
public record ImportedResult(String algorithm, String dataset, long seed, Map<String, Boolean> tricks, double accuracy,
        Double proxyScore, Double searchSeconds, String genotype, int line) {
    /** What {@code source} says in an imported run's spec. */
    public static final String SOURCE = "import";
    /** The definition of a matrix that holds imported runs; {@code bench run} never writes it. */
    public static final String MATRIX_DEFINITION = "{\"source\":\"import\"}";

    public ImportedResult {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(dataset, "dataset");
        tricks = Collections.unmodifiableMap(new TreeMap<>(tricks));
    }

    /** The canonical JSON the run id hashes. */
    public String specJson() {
        List<Map<String, Object>> on = new ArrayList<>();
        List<String> off = new ArrayList<>();
        tricks.forEach((id, isOn) -> {
            if (isOn) {
                on.add(Map.of("id", id, "params", Map.of()));
            } else {
                off.add(id);
            }
        });
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("source", SOURCE);
        spec.put("algorithm", Map.of("id", algorithm, "params", Map.of()));
        spec.put("dataset", dataset);
        spec.put("seed", seed);
        spec.put("tricks", on);
        spec.put("tricks-off", off);
        spec.put("accuracy", accuracy);
        spec.put("proxy-score", proxyScore);
        spec.put("search-seconds", searchSeconds);
        spec.put("genotype", genotype);
        return Canonical.json(spec);
    }

    public String id() {
        return Canonical.sha256(specJson());
    }
}
