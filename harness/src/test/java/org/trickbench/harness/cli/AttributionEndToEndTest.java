package org.trickbench.harness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trickbench.core.run.RunSpec;
import org.trickbench.core.space.nb201.Genotype;
import org.trickbench.harness.matrix.Expansion;
import org.trickbench.harness.runner.Runner;
import org.trickbench.harness.store.RunRow;
import org.trickbench.harness.store.RunStatus;
import org.trickbench.harness.store.Store;

/**
 * A matrix with {@code attribution: true} through the real runner: every run with a trick on is crossed
 * with its base run, the cross-evaluations are stored as cached evaluations, and the attribution reaches
 * analysis.json, the page's table and its headline.
 */
class AttributionEndToEndTest {
    @Test
    void attributionSchedulesStoresAndReportsTheCrossEvaluations(@TempDir Path tmp) throws Exception {
        Path db = tmp.resolve("r.db");
        Path reports = tmp.resolve("reports");
        String matrix = AlgorithmsEndToEndTest.matrix("attribution");
        BenchCliTest.Result dry = BenchCliTest.bench("run", "--matrix", matrix, "--dry-run", "--device", "cpu");
        assertEquals(0, dry.code(), dry.err());
        assertTrue(dry.out().contains("attribution: up to 8 cross-evaluation(s)"), dry.out());

        BenchCliTest.Result r = BenchCliTest.bench("run", "--matrix", matrix, "--device", "cpu", "--db", db.toString(),
                "--report", "--out", reports.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        // Two seeds × two tricks, each run crossed with its base both ways.
        assertTrue(r.out().contains("attribution: 8 cross-evaluation(s) of 8 to do"), r.out());
        assertTrue(r.out().contains("attribution: "), r.out());

        try (Store s = Store.open(db)) {
            List<RunRow> runs = s.runs().list("attribution");
            assertEquals(6, runs.size());
            assertEquals(8, s.evaluations().crossEvaluationCount("attribution"));
            for (RunRow run : runs) {
                assertEquals(RunStatus.DONE, run.status());
                RunSpec spec = RunSpec.fromJson(run.spec());
                if (spec.tricks().isEmpty()) {
                    continue;
                }
                RunSpec baseSpec = Expansion.attributionBase(spec).orElseThrow();
                RunRow base = s.runs().find(baseSpec.id()).orElseThrow();
                String architectureOnly = s.evaluations().crossEvaluation(run.id(), base.id()).orElseThrow();
                String trainingOnly = s.evaluations().crossEvaluation(base.id(), run.id()).orElseThrow();
                // Keyed like any evaluation: the run's genotype under the base's protocol and the reverse.
                assertEquals(Runner.evaluationId(baseSpec, Genotype.parse(run.search().genotype())), architectureOnly);
                assertEquals(Runner.evaluationId(spec, Genotype.parse(base.search().genotype())), trainingOnly);
                if (run.search().genotype().equals(base.search().genotype())) {
                    // The trick left the genotype alone: both crosses are the two runs' own evaluations.
                    assertEquals(base.evaluationId(), architectureOnly);
                    assertEquals(run.evaluationId(), trainingOnly);
                }
                for (String id : List.of(architectureOnly, trainingOnly)) {
                    assertEquals(RunStatus.DONE, s.evaluations().find(id).orElseThrow().status(), id);
                }
            }
        }

        JsonNode json = new ObjectMapper().readTree(reports.resolve("attribution").resolve("analysis.json").toFile());
        JsonNode attribution = json.path("analysis").get(0).path("attribution");
        assertEquals(2, attribution.size(), attribution.toString());
        Set<String> contrasts = new TreeSet<>();
        for (JsonNode result : attribution) {
            contrasts.add(result.path("contrast").asText());
            assertEquals("random-search", result.path("algorithm").asText());
            assertEquals(2, result.path("seeds").asInt());
            double total = result.path("total").path("mean").asDouble();
            double parts = result.path("architecture").path("mean").asDouble() + result.path("training").path("mean")
                    .asDouble() + result.path("interaction").path("mean").asDouble();
            assertEquals(total, parts, 1e-12, "the parts add up to the total");
        }
        assertEquals(Set.of("cutout", "label-smoothing"), contrasts);
        String html = Files.readString(reports.resolve("attribution").resolve("index.html"));
        assertTrue(html.contains("Architecture versus training"), "the page has the attribution table");
        assertTrue(html.contains("switching on cutout changed random-search&#39;s accuracy by"), "headline");

        BenchCliTest.Result again = BenchCliTest.bench("run", "--matrix", matrix, "--device", "cpu", "--db", db.toString());
        assertEquals(0, again.code(), again.err());
        assertTrue(again.out().contains("nothing to train"), again.out());
        assertFalse(again.out().contains("cross-evaluation(s) of"), "a second run schedules no cross-evaluation again");
    }
}
