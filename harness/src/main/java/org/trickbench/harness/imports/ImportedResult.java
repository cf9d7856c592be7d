package org.trickbench.harness.imports;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.trickbench.core.run.Canonical;
import org.trickbench.harness.analysis.SpaceGenotypes;

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
 * @param space the search space {@code genotype} is of ({@link SpaceGenotypes#SPACES})
 */
public record ImportedResult(String algorithm, String dataset, long seed, Map<String, Boolean> tricks, double accuracy,
        Double proxyScore, Double searchSeconds, String genotype, int line, String space) {
    /** What {@code source} says in an imported run's spec. */
    public static final String SOURCE = "import";
    /** The definition of a matrix that holds imported runs; {@code bench run} never writes it. */
    public static final String MATRIX_DEFINITION = "{\"source\":\"import\"}";

    /** A result of the NAS-Bench-201 space. */
    public ImportedResult(String algorithm, String dataset, long seed, Map<String, Boolean> tricks, double accuracy,
            Double proxyScore, Double searchSeconds, String genotype, int line) {
        this(algorithm, dataset, seed, tricks, accuracy, proxyScore, searchSeconds, genotype, line, SpaceGenotypes.NB201);
    }

    public ImportedResult {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(space, "space");
        Objects.requireNonNull(dataset, "dataset");
        tricks = Collections.unmodifiableMap(new TreeMap<>(tricks));
    }

    /**
     * The canonical JSON the run id hashes. It names the space only when it is not NAS-Bench-201, the only
     * space results were imported in before, so those rows keep their ids.
     */
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
        if (!space.equals(SpaceGenotypes.NB201)) {
            spec.put("space", space);
        }
        return Canonical.json(spec);
    }

    public String id() {
        return Canonical.sha256(specJson());
    }
}
