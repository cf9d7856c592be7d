package org.trickbench.harness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.trickbench.algorithms.Algorithms;
import org.trickbench.core.search.Family;
import org.trickbench.core.search.SearchAlgorithm;
import org.trickbench.core.trick.Trick;
import org.trickbench.harness.store.RunRow;
import org.trickbench.harness.store.RunStatus;
import org.trickbench.harness.store.Store;
import org.trickbench.tricks.Tricks;

/**
 * Every registered trick, switched on alone, runs end to end through `bench run` at smoke fidelity with
 * one algorithm of each family it applies to, and finishes done.
 */
class EveryTrickEndToEndTest {
    /** The first registered searching algorithm of each family (the random baseline and fixed cells search nothing). */
    static Map<Family, SearchAlgorithm> onePerFamily() {
        Map<Family, SearchAlgorithm> byFamily = new LinkedHashMap<>();
        for (SearchAlgorithm a : Algorithms.all()) {
            if (a.searches()) {
                byFamily.putIfAbsent(a.family(), a);
            }
        }
        return byFamily;
    }

    static Stream<Arguments> trickAndAlgorithm() {
        List<Arguments> cases = new ArrayList<>();
        for (Trick t : Tricks.all()) {
            onePerFamily().forEach((family, algorithm) -> {
                if (t.families().contains(family)) {
                    cases.add(Arguments.of(t.id(), algorithm.id()));
                }
            });
        }
        return cases.stream();
    }

    /** The smallest budget each algorithm accepts, so the test stays about the trick. */
    private static String params(String algorithm) {
        return switch (algorithm) {
            case "random-search" -> "{candidates: 1}";
            case "rea" -> "{population: 2, sample: 1, evaluations: 2}";
            case "local-search" -> "{evaluations: 1}";
            default -> "{}";
        };
    }

    @ParameterizedTest(name = "{0} with {1}")
    @MethodSource("trickAndAlgorithm")
    void trickAloneFinishesDone(String trick, String algorithm, @TempDir Path tmp) throws IOException {
        Path matrix = tmp.resolve("one-trick.yaml");
        Files.writeString(matrix, String.join("\n",
                "name: one-trick",
                "datasets: [fashion-mnist]",
                "search-fidelity: {channels: 4, cells: 1, epochs: 1, train-subset: 200, resolution: 8}",
                "final-fidelity: {channels: 4, cells: 1, epochs: 1, train-subset: 200, resolution: 8}",
                "protocol: {batch-size: 50}",
                "seeds: [0]",
                "baseline-size: 0",
                "algorithms: [{id: " + algorithm + ", params: " + params(algorithm) + "}]",
                "tricks: [{id: " + trick + "}]",
                "design: {type: explicit, rows: [[" + trick + "]]}",
                ""));
        Path db = tmp.resolve("r.db");
        BenchCliTest.Result r = BenchCliTest.bench("run", "--matrix", matrix.toString(), "--device", "cpu", "--db", db.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        try (Store s = Store.open(db)) {
            List<RunRow> runs = s.runs().list("one-trick");
            assertEquals(1, runs.size());
            assertEquals(RunStatus.DONE, runs.get(0).status(), r.out());
            assertFalse(runs.get(0).spec().contains("\"tricks\":[]"), "the trick must be in the run's spec");
        }
    }
}
