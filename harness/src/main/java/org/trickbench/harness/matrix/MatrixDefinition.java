package org.trickbench.harness.matrix;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.regex.Pattern;
import org.trickbench.core.UserInputException;
import org.trickbench.core.data.DataSets;
import org.trickbench.core.space.SearchSpaces;
import org.trickbench.core.train.Fidelity;

/**
 * A matrix as written in YAML (kebab-case keys): data sets, space, fidelities, protocol, algorithms,
 * seeds and the size K of the random baseline. Presets ship in the jar under {@code matrices/}.
 *
 * <p>{@code attribution: true} asks for the search-side versus train-side split of each design row's
 * gain: every searched run with tricks on is crossed with its base run (the same algorithm, data set
 * and seed with every trick off), each genotype trained under the other's final protocol. The design
 * must contain the base row; the default is false.
 *
 * <p>{@code batch-runs: K} trains the final evaluations of up to K runs whose final trainings differ only in
 * architecture and seed as one grouped network (see the README's "Run batching"); the default 1 trains each run alone. It changes no
 * run's id: a run is the same run batched or not, and its environment records how it was trained.
 */
public record MatrixDefinition(String name, String description, List<String> datasets, String space,
        FidelitySpec searchFidelity, FidelitySpec finalFidelity, ProtocolOverrides protocol, List<Long> seeds,
        Integer baselineSize, List<AlgorithmEntry> algorithms, List<TrickEntry> tricks, DesignSpec design,
        Boolean attribution, @JsonInclude(JsonInclude.Include.NON_NULL) Integer batchRuns) {

    /** The most runs {@code batch-runs} (or {@code --batch-runs}) trains as one network. */
    public static final int MAX_BATCH_RUNS = 64;

    /** Matrix names become folder names under reports/, so nothing that could leave that folder. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+");

    public MatrixDefinition {
        if (name == null || !NAME.matcher(name).matches() || name.equals(".") || name.equals("..")) {
            throw new UserInputException("name '" + name + "' is not allowed: use letters, digits, '.', '_' and '-'"
                    + " (it becomes the folder reports/<name>/)");
        }
        description = description == null ? "" : description;
        if (datasets == null || datasets.isEmpty()) {
            throw new UserInputException("datasets must list at least one of: " + String.join(", ", DataSets.ids()));
        }
        for (String d : datasets) {
            if (!DataSets.ids().contains(d)) {
                throw new UserInputException("datasets: unknown data set '" + d + "'; allowed: "
                        + String.join(", ", DataSets.ids()));
            }
        }
        datasets = List.copyOf(datasets);
        space = space == null ? SearchSpaces.NB201 : space;
        SearchSpaces.byId(space); // an unknown id: "space 'x' is not known; allowed: nb201, darts"
        if (finalFidelity == null) {
            throw new UserInputException("final-fidelity is required (channels, cells, epochs, train-subset, resolution)");
        }
        finalFidelity.toFidelity("final-fidelity");
        searchFidelity = searchFidelity == null ? finalFidelity : searchFidelity;
        searchFidelity.toFidelity("search-fidelity");
        protocol = protocol == null ? ProtocolOverrides.none() : protocol;
        protocol.resolve(); // validates the preset and the overrides now, not when the runs start
        if (seeds == null || seeds.isEmpty()) {
            throw new UserInputException("seeds must list at least one integer seed, e.g. seeds: [0, 1, 2]");
        }
        seeds = List.copyOf(seeds);
        if (baselineSize == null) {
            throw new UserInputException("baseline-size is required: K random genotypes per data set and seed, the"
                    + " baseline every algorithm is compared with (0 for none)");
        }
        if (baselineSize < 0) {
            throw new UserInputException("baseline-size must be >= 0, got " + baselineSize);
        }
        algorithms = algorithms == null ? List.of() : List.copyOf(algorithms);
        for (AlgorithmEntry a : algorithms) {
            if (a.id() == null) {
                throw new UserInputException("algorithms: every entry needs an id, e.g. {id: rea, params: {evaluations: 100}}");
            }
        }
        tricks = tricks == null ? List.of() : List.copyOf(tricks);
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (TrickEntry t : tricks) {
            if (t.id() == null) {
                throw new UserInputException("tricks: every entry needs an id, e.g. {id: cutout} or {id: drop-path, params: {prob: 0.2}}");
            }
            if (!seen.add(t.id())) {
                throw new UserInputException("tricks: '" + t.id() + "' is listed twice; list each trick once (the design switches it)");
            }
        }
        design = design == null ? DesignSpec.defaultFor(tricks) : design;
        attribution = attribution != null && attribution;
        if (batchRuns != null) {
            // Left out when unset, so that the stored definitions of matrices without it stay as they were.
            checkBatchRuns("batch-runs", batchRuns);
        }
        if (attribution && (algorithms.isEmpty() || tricks.isEmpty())) {
            throw new UserInputException("attribution: true splits the gain of tricks between the searched architecture"
                    + " and the training, so it needs at least one algorithm and one trick; this matrix lists "
                    + algorithms.size() + " algorithm(s) and " + tricks.size() + " trick(s)");
        }
    }

    /** Refuses a batch size ({@code what}: the key or option that gave it) outside 1 to {@link #MAX_BATCH_RUNS}. */
    public static void checkBatchRuns(String what, int k) {
        if (k < 1 || k > MAX_BATCH_RUNS) {
            throw new UserInputException(what + " " + k + " is not allowed: use 1 (each run alone) to " + MAX_BATCH_RUNS
                    + " runs trained as one network");
        }
    }

    /** How many runs' final evaluations train as one network: {@code batch-runs}, or 1. */
    public int runsPerBatch() {
        return batchRuns == null ? 1 : batchRuns;
    }

    /** The search fidelity, validated. */
    public Fidelity search() {
        return searchFidelity.toFidelity("search-fidelity");
    }

    /** The final-evaluation fidelity, validated. */
    public Fidelity fin() {
        return finalFidelity.toFidelity("final-fidelity");
    }
}
