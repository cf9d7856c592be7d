package org.trickbench.harness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.trickbench.harness.cli.BenchCliTest.assertUsageError;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trickbench.core.run.RunSpec;
import org.trickbench.harness.matrix.Expansion;
import org.trickbench.harness.matrix.Matrices;
import org.trickbench.harness.store.EvaluationRow;
import org.trickbench.harness.store.RunCompletion;
import org.trickbench.harness.store.RunStatus;
import org.trickbench.harness.store.Store;

/**
 * {@code bench show} and {@code bench diff} on a database filled through the store (no training): two
 * runs of the test matrix {@code tricks}, the same random search without and with cutout, finished with
 * known accuracies, per-epoch metrics and environments.
 */
class ShowDiffCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String GENOTYPE = "|nor_conv_3x3~0|+|skip_connect~0|none~1|+|none~0|none~1|avg_pool_3x3~2|";

    @TempDir
    Path tmp;

    private Path db;
    private RunSpec plain;
    private RunSpec cutout;

    @BeforeEach
    void fill() {
        db = tmp.resolve("results.db");
        List<RunSpec> searches = Expansion.expand(Matrices.load(ShardMergeTest.testMatrix("tricks"))).stream()
                .filter(s -> s.algorithm().id().equals("random-search")).toList();
        plain = searches.stream().filter(s -> s.tricks().isEmpty()).findFirst().orElseThrow();
        cutout = searches.stream().filter(s -> s.tricks().size() == 1 && s.tricks().get(0).id().equals("cutout"))
                .findFirst().orElseThrow();
        try (Store s = Store.open(db)) {
            finish(s, plain, 0.80, 2, 41_000L, "host-a");
            finish(s, cutout, 0.82, 3, 41_000L, "host-b");
        }
    }

    /** A done run with its evaluation, {@code epochs} epochs of final-training metrics and an environment. */
    private static void finish(Store s, RunSpec spec, double accuracy, int epochs, long params, String host) {
        String id = spec.id();
        String evaluation = "eval-" + id;
        s.runs().insertIfAbsent(id, "tricks", spec.canonicalJson());
        s.runs().claim(id, "1@" + host, host);
        s.evaluations().save(new EvaluationRow(evaluation, GENOTYPE, "p", spec.dataset(), spec.seed(), "f", RunStatus.DONE, accuracy,
                accuracy + 0.1, 0.5, params, 2_000_000L, epochs, null, 3.0, 3.0));
        for (int e = 0; e < epochs; e++) {
            Map<String, Double> m = new LinkedHashMap<>();
            m.put("train_loss", 2.0 - 0.5 * e - (accuracy - 0.8));
            m.put("train_acc", 0.5 + 0.1 * e + (accuracy - 0.8));
            m.put("test_acc", accuracy - 0.01 * (epochs - 1 - e));
            m.put("lr", 0.1 / (e + 1));
            s.epochs().append(evaluation, "final", e, m);
        }
        s.runs().complete(id, "1@" + host, new RunCompletion(GENOTYPE, 0.7, 12.5, 12.5, evaluation, null, 2, "complete"));
        s.environment().save(id, Map.of("host", host, "device", "cpu", "code_version", "0.1.0",
                "reproduce", "bench run --matrix tricks.yaml --only " + id));
    }

    private BenchCliTest.Result bench(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--db", db.toString()));
        return BenchCliTest.bench(all.toArray(String[]::new));
    }

    /** Whether some line of {@code out} is exactly these cells, as a table prints them (two or more spaces apart). */
    private static boolean hasRow(String out, String... cells) {
        return out.lines().map(l -> List.of(l.strip().split(" {2,}"))).anyMatch(List.of(cells)::equals);
    }

    private static void assertRow(String out, String... cells) {
        assertTrue(hasRow(out, cells), String.join(" | ", cells) + " in:\n" + out);
    }

    @Test
    void showPrintsStatusReproduceCommandSpecEnvironmentAndEpochTable() {
        String id = plain.id();
        BenchCliTest.Result r = bench("show", id.substring(0, 8));
        assertEquals(0, r.code(), r.err());
        String out = r.out();
        assertRow(out, "run", id);
        assertRow(out, "matrices", "tricks");
        assertTrue(out.lines().anyMatch(l -> l.matches("status +done \\(attempt 1, started .*, finished .*\\)")), out);
        assertRow(out, "reproduce", "bench run --only " + id + " --db " + db);
        assertRow(out, "genotype", GENOTYPE);
        assertRow(out, "search", "12.5 s wall, 12.5 s device, 2 candidate(s) scored; ended: complete");
        assertRow(out, "evaluation eval-" + id + " (done)");
        assertRow(out, "test accuracy", "0.8000");
        assertRow(out, "parameters", "41,000");
        assertFalse(out.contains("diverged"), out);
        // The spec, pretty: the canonical JSON's fields one per line, sorted.
        assertTrue(out.contains("\n  \"dataset\" : \"fashion-mnist\",\n"), out);
        assertTrue(out.indexOf("\"algorithm\"") < out.indexOf("\"dataset\""), out);
        assertRow(out, "host", "host-a");
        assertRow(out, "reproduce", "bench run --matrix tricks.yaml --only " + id);
        // The per-epoch table: the training's metrics in their usual order, one row per epoch.
        assertTrue(out.contains("epochs (final)\n"), out);
        assertRow(out, "epoch", "train_loss", "train_acc", "test_acc", "lr");
        assertRow(out, "0", "2.0000", "0.5000", "0.7900", "0.1000");
        assertRow(out, "1", "1.5000", "0.6000", "0.8000", "0.0500");
        assertFalse(hasRow(out, "2", "1.0000", "0.7000", "0.8000", "0.0333"), "run A trained two epochs");
    }

    @Test
    void showJsonHoldsItAllInOneObject() throws Exception {
        String id = cutout.id();
        BenchCliTest.Result r = bench("show", id.substring(0, 12).toUpperCase(Locale.ROOT), "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode o = JSON.readTree(r.out());
        assertEquals(id, o.get("id").asText());
        assertEquals("done", o.get("status").asText());
        assertEquals("bench run --only " + id + " --db " + db, o.get("reproduce").asText());
        assertEquals(JSON.readTree(cutout.canonicalJson()), o.get("spec"));
        assertEquals("host-b", o.get("environment").get("host").asText());
        assertEquals(0.82, o.get("evaluation").get("test_accuracy").asDouble(), 1e-12);
        assertEquals(41_000, o.get("evaluation").get("params").asLong());
        assertEquals(2, o.get("search").get("evaluations").asInt());
        JsonNode epochs = o.get("epochs").get("final");
        assertEquals(3, epochs.size());
        assertEquals(2, epochs.get(2).get("epoch").asInt());
        assertEquals(0.82 - 0.8 + 0.7, epochs.get(2).get("train_acc").asDouble(), 1e-12);
        assertEquals(List.of("tricks"), List.of(o.get("matrices").get(0).asText()));
    }

    @Test
    void unknownAmbiguousShortAndNonHexIdsAreUsageErrors() {
        try (Store s = Store.open(db)) {
            s.runs().insertIfAbsent("abcdef0123" + "0".repeat(54), "tricks", "{}");
            s.runs().insertIfAbsent("abcdef0456" + "0".repeat(54), "tricks", "{}");
        }
        assertUsageError(bench("show", "0123456789"), "run 0123456789: no run in " + db);
        assertUsageError(bench("show", "abcdef"), "run abcdef is ambiguous", "abcdef0123", "abcdef0456",
                "give more of the id");
        assertUsageError(bench("show", "abc"), "run id 'abc' is too short", "at least 6");
        assertUsageError(bench("show", "xyz-123"), "run id 'xyz-123' is not allowed", "hex digits");
        assertUsageError(bench("diff", plain.id(), "abcdef"), "run abcdef is ambiguous");
        assertUsageError(bench("diff", "fedcba9876", cutout.id()), "run fedcba9876: no run");
        BenchCliTest.Result missing = BenchCliTest.bench("show", plain.id(), "--db", tmp.resolve("none.db").toString());
        assertUsageError(missing, "--db " + tmp.resolve("none.db") + ": no such database");
    }

    @Test
    void diffNamesSpecFieldsAndEnvironmentKeysThatDifferAndTheMetricDeltas() {
        BenchCliTest.Result r = bench("diff", plain.id().substring(0, 10), cutout.id().substring(0, 10));
        assertEquals(0, r.code(), r.err());
        String out = r.out();
        assertRow(out, "A", plain.id(), "done", "tricks");
        assertRow(out, "B", cutout.id(), "done", "tricks");
        assertTrue(out.contains("spec: 1 difference(s)"), out);
        assertRow(out, "tricks[cutout]", "(absent)", "{\"id\":\"cutout\",\"params\":{\"size\":4}}");
        assertTrue(out.contains("environment: 1 difference(s)"), out);
        assertRow(out, "host", "host-a", "host-b");
        assertFalse(out.contains("reproduce"), "the reproduce command names each run's id: " + out);
        assertRow(out, "test_accuracy", "0.8000", "0.8200", "+0.0200");
        assertRow(out, "params", "41,000", "41,000", "+0");
        // Per epoch, only the two epochs both runs trained: B's third epoch has nothing to compare with.
        assertRow(out, "epoch", "train_loss A", "B", "B - A", "train_acc A", "B", "B - A");
        assertRow(out, "0", "2.0000", "1.9800", "-0.0200", "0.5000", "0.5200", "+0.0200");
        assertRow(out, "1", "1.5000", "1.4800", "-0.0200", "0.6000", "0.6200", "+0.0200");
        assertFalse(out.lines().anyMatch(l -> l.startsWith("  2 ")), out);
    }

    @Test
    void diffJsonGivesPathsBothValuesAndDeltas() throws Exception {
        BenchCliTest.Result r = bench("diff", plain.id(), cutout.id(), "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode o = JSON.readTree(r.out());
        assertEquals(plain.id(), o.get("a").asText());
        assertEquals(cutout.id(), o.get("b").asText());
        JsonNode spec = o.get("spec");
        assertEquals(1, spec.size(), spec.toString());
        assertEquals("tricks[cutout]", spec.get(0).get("path").asText());
        assertTrue(spec.get(0).get("a").isNull());
        assertEquals(4, spec.get(0).get("b").get("params").get("size").asInt());
        assertEquals("host", o.get("environment").get(0).get("key").asText());
        assertEquals(0.02, o.get("metrics").get("test_accuracy").get("delta").asDouble(), 1e-12);
        assertEquals(0, o.get("metrics").get("params").get("delta").asLong());
        assertTrue(o.get("metrics").get("params").get("delta").isIntegralNumber());
        assertEquals(2, o.get("epochs").size());
        assertEquals(0.02, o.get("epochs").get(1).get("train_acc").get("delta").asDouble(), 1e-12);
        assertEquals(-0.02, o.get("epochs").get(1).get("train_loss").get("delta").asDouble(), 1e-12);

        // A run against itself: nothing differs, every delta is zero.
        JsonNode same = JSON.readTree(bench("diff", plain.id(), plain.id(), "--json").out());
        assertEquals(0, same.get("spec").size());
        assertEquals(0, same.get("environment").size());
        assertEquals(0.0, same.get("metrics").get("test_accuracy").get("delta").asDouble());
    }

    @Test
    void diffReportsEveryFieldOfTwoSpecsThatDifferInSeveralPlaces() {
        List<DiffCommand.Difference> diffs = new ArrayList<>();
        DiffCommand.compare("", JSON.valueToTree(Map.of("seed", 0, "tricks", List.of(Map.of("id", "a", "params",
                Map.of("p", 1)), Map.of("id", "b", "params", Map.of())), "protocol", Map.of("lr", 0.1, "epochs", 2))),
                JSON.valueToTree(Map.of("seed", 1, "tricks", List.of(Map.of("id", "a", "params", Map.of("p", 2))),
                        "protocol", Map.of("lr", 0.1, "epochs", 3))), diffs);
        assertEquals(List.of("protocol.epochs", "seed", "tricks[a].params.p", "tricks[b]"),
                diffs.stream().map(DiffCommand.Difference::path).toList());
    }

    @Test
    void helpTeachesWithAnExample() {
        for (String command : List.of("show", "diff")) {
            BenchCliTest.Result r = BenchCliTest.bench(command, "--help");
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().contains("Examples:"), r.out());
            assertTrue(r.out().lines().allMatch(l -> l.length() <= 80), "wrapped to the terminal's 80 columns: " + r.out());
            assertTrue(r.out().contains("bench " + command + " 3f9a0c1b"), r.out());
            assertTrue(r.out().contains("--db"), r.out());
        }
    }
}
