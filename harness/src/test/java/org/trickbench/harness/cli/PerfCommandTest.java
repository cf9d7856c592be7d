package org.trickbench.harness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `bench perf` on a tiny network for a few steps: the loops are timed and compared, with the PyTorch peer
 * where asked (Debian's python3-torch). No timing is asserted.
 */
class PerfCommandTest {
    private static final String[] TINY = {"perf", "--channels", "4", "--cells", "1", "--resolution", "12",
        "--batch-size", "16", "--warmup", "1", "--steps", "3", "--device", "cpu"};

    /** The PyTorch peer's tiny configuration: one cell per stage at C=4, 8 px, batch 8. */
    private static final String[] TINY_PEER = {"perf", "--channels", "4", "--cells", "1", "--resolution", "8",
        "--batch-size", "8", "--steps", "2", "--warmup", "1", "--rounds", "1", "--device", "cpu", "--threads", "1",
        "--peer", "pytorch"};

    @Test
    void perfPrintsBothLoopsAndTheirThroughputRatioWithItsDirection() {
        BenchCliTest.Result r = BenchCliTest.bench(TINY);
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("harness ")), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("bare ")), r.out());
        assertTrue(r.out().contains("the other loop's median ms ÷ the harness's (above 1: the harness is faster)"),
                r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.matches("  harness : bare +\\d+\\.\\d{3}")), r.out());
        assertFalse(r.out().contains("pytorch"), "no peer unless asked: " + r.out());
    }

    @Test
    void jsonThroughputRatioIsTheBareMedianOverTheHarnessMedian() throws Exception {
        String[] args = java.util.Arrays.copyOf(TINY, TINY.length + 5);
        args[TINY.length] = "--json";
        args[TINY.length + 1] = "--trick";
        args[TINY.length + 2] = "cutout";
        args[TINY.length + 3] = "--rounds";
        args[TINY.length + 4] = "2";
        BenchCliTest.Result r = BenchCliTest.bench(args);
        assertEquals(0, r.code(), r.out() + r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        double harness = json.path("harness").path("medianMillis").asDouble();
        double bare = json.path("bare").path("medianMillis").asDouble();
        assertTrue(harness > 0 && bare > 0, r.out());
        assertEquals(bare / harness, json.path("throughput_ratios").path("harness_vs_bare").asDouble(), 1e-9);
        assertTrue(json.path("throughput_ratios").path("direction").asText().contains("above 1 means the harness is"
                + " faster"), r.out());
        assertTrue(json.path("pytorch_matched").isMissingNode(), r.out());
        assertEquals(6, json.path("harness").path("steps").asInt(), "two rounds of three timed steps");
        assertEquals("cutout", json.path("setup").path("tricks").path(0).asText());
    }

    @Test
    void supernetModesTimeTheSearchStepAgainstABareLoop() throws Exception {
        BenchCliTest.Result table = BenchCliTest.bench(with(TINY, "--supernet", "one-hot"));
        assertEquals(0, table.code(), table.out() + table.err());
        assertTrue(table.out().contains("supernet weight step, one-hot mode"), table.out());
        assertTrue(table.out().lines().anyMatch(l -> l.startsWith("harness ")), table.out());
        assertTrue(table.out().lines().anyMatch(l -> l.startsWith("bare ")), table.out());
        assertTrue(table.out().contains("  harness : bare "), table.out());

        for (String mode : new String[] {"weighted", "single-path"}) {
            BenchCliTest.Result r = BenchCliTest.bench(with(TINY, "--supernet", mode, "--json"));
            assertEquals(0, r.code(), r.out() + r.err());
            JsonNode json = new ObjectMapper().readTree(r.out());
            assertEquals(mode, json.path("setup").path("supernet").asText(), r.out());
            assertTrue(json.path("harness").path("medianMillis").asDouble() > 0, r.out());
            assertTrue(json.path("bare").path("medianMillis").asDouble() > 0, r.out());
            assertEquals(3, json.path("bare").path("steps").asInt(), r.out());
            double ratio = json.path("throughput_ratios").path("harness_vs_bare").asDouble();
            assertTrue(Double.isFinite(ratio) && ratio > 0, r.out());
            assertTrue(json.path("setup").path("parameters").asLong() > 0, r.out());
        }
    }

    @Test
    void batchRunsTimesKRunsAloneAndGroupedWithTheTrainingsPerHourRatio() throws Exception {
        BenchCliTest.Result r = BenchCliTest.bench(with(TINY, "--batch-runs", "2", "--trick", "cutout", "--json"));
        assertEquals(0, r.code(), r.out() + r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertEquals(2, json.path("batch_runs").asInt(), r.out());
        assertEquals(6, json.path("one_at_a_time").path("steps").asInt(), "two lone trainings of three timed steps");
        assertEquals(3, json.path("grouped").path("steps").asInt(), "one grouped training of three timed steps");
        double alone = json.path("one_at_a_time").path("medianMillis").asDouble();
        double grouped = json.path("grouped").path("medianMillis").asDouble();
        assertTrue(alone > 0 && grouped > 0, r.out());
        JsonNode ratios = json.path("trainings_per_hour_ratios");
        assertEquals(2 * alone / grouped, ratios.path("grouped_vs_one_at_a_time").asDouble(), 1e-9);
        assertTrue(ratios.path("direction").asText().contains("above 1 means grouping"), r.out());
        assertTrue(json.path("harness").isMissingNode() && json.path("bare").isMissingNode(), r.out());

        BenchCliTest.Result table = BenchCliTest.bench(with(TINY, "--batch-runs", "2"));
        assertEquals(0, table.code(), table.out() + table.err());
        assertTrue(table.out().contains("2 runs one at a time and grouped"), table.out());
        assertTrue(table.out().lines().anyMatch(l -> l.startsWith("one at a time ")), table.out());
        assertTrue(table.out().lines().anyMatch(l -> l.startsWith("grouped ")), table.out());
        assertTrue(table.out().lines().anyMatch(l -> l.matches("  grouped : one at a time +\\d+\\.\\d{3}")),
                table.out());
    }

    @Test
    void batchRunsRefusesWhatCannotBeGroupedWithOneLine() {
        String darts = "Genotype(normal=[('sep_conv_3x3', 0), ('sep_conv_3x3', 1), ('skip_connect', 0),"
                + " ('sep_conv_3x3', 1), ('skip_connect', 0), ('sep_conv_3x3', 1), ('skip_connect', 0),"
                + " ('dil_conv_3x3', 2)], normal_concat=[2, 3, 4, 5], reduce=[('max_pool_3x3', 0),"
                + " ('max_pool_3x3', 1), ('skip_connect', 2), ('max_pool_3x3', 0), ('max_pool_3x3', 0),"
                + " ('skip_connect', 2), ('skip_connect', 2), ('avg_pool_3x3', 0)], reduce_concat=[2, 3, 4, 5])";
        String[][] cases = {
            {"--batch-runs must be at least 1, got 0", "--batch-runs", "0"},
            {"trick 'drop-path' cannot be grouped", "--batch-runs", "2", "--trick", "drop-path"},
            {"leave out --supernet", "--batch-runs", "2", "--supernet", "weighted"},
            {"leave out --peer", "--batch-runs", "2", "--peer", "pytorch"},
            {"space has no grouped network", "--batch-runs", "2", "--genotype", darts},
        };
        for (String[] c : cases) {
            String[] args = with(new String[] {"perf", "--device", "cpu"}, java.util.Arrays.copyOfRange(c, 1, c.length));
            BenchCliTest.Result r = BenchCliTest.bench(args);
            assertEquals(2, r.code(), String.join(" ", args) + ": " + r.err());
            assertTrue(r.err().contains(c[0]), r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
        }
    }

    private static String[] with(String[] base, String... more) {
        String[] args = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, args, base.length, more.length);
        return args;
    }

    @Test
    void pytorchPeerRunsMatchedAndDefaultAndReportsThroughputRatiosAgainstThem() throws Exception {
        BenchCliTest.Result table = BenchCliTest.bench(TINY_PEER);
        assertEquals(0, table.code(), table.out() + table.err());
        String out = table.out();
        for (String loop : new String[] {"harness ", "bare ", "pytorch-matched ", "pytorch-default "}) {
            assertTrue(out.lines().anyMatch(l -> l.startsWith(loop)), loop + " row missing: " + out);
        }
        assertTrue(out.contains("(above 1: the harness is faster)"), out);
        for (String ratio : new String[] {"harness : bare", "harness : PyTorch matched", "harness : PyTorch default"}) {
            assertTrue(out.lines().anyMatch(l -> l.matches("  " + ratio + " +\\d+\\.\\d{3}")), ratio + ": " + out);
        }
        // C=4 is off oneDNN's 16-channel block: the harness runs libtorch's native kernels, so the matched
        // peer runs with oneDNN off (unless a backend is forced for the test JVM).
        assertTrue(out.contains("harness convolutions: "), out);
        assertTrue(out.contains("PyTorch peer: torch "), out);
        assertTrue(out.lines().anyMatch(l -> l.matches("peak resident memory: bench process [0-9,]+ MiB, PyTorch peer"
                + " [0-9,]+ MiB")), out);

        BenchCliTest.Result r = BenchCliTest.bench(with(TINY_PEER, "--json"));
        assertEquals(0, r.code(), r.out() + r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        double harness = json.path("harness").path("medianMillis").asDouble();
        double bare = json.path("bare").path("medianMillis").asDouble();
        JsonNode matched = json.path("pytorch_matched");
        JsonNode byDefault = json.path("pytorch_default");
        String backend = json.path("setup").path("conv_backend").asText();
        assertTrue(backend.equals("native") || backend.equals("onednn"), r.out());
        assertEquals(backend.equals("onednn"), matched.path("onednn").asBoolean(), "matched to the harness: " + r.out());
        assertTrue(byDefault.path("onednn").asBoolean(), "PyTorch's default has oneDNN on: " + r.out());
        for (JsonNode peer : new JsonNode[] {matched, byDefault}) {
            assertEquals(2, peer.path("steps").asInt(), r.out());
            assertTrue(peer.path("medianMillis").asDouble() > 0, r.out());
            assertTrue(peer.path("p90Millis").asDouble() >= peer.path("medianMillis").asDouble(), r.out());
            assertTrue(peer.path("imagesPerSecond").asDouble() > 0, r.out());
        }
        JsonNode ratios = json.path("throughput_ratios");
        assertTrue(ratios.path("direction").asText().contains("above 1 means the harness is faster"), r.out());
        assertEquals(bare / harness, ratios.path("harness_vs_bare").asDouble(), 1e-9);
        assertEquals(matched.path("medianMillis").asDouble() / harness,
                ratios.path("harness_vs_pytorch_matched").asDouble(), 1e-9);
        assertEquals(byDefault.path("medianMillis").asDouble() / harness,
                ratios.path("harness_vs_pytorch_default").asDouble(), 1e-9);
        JsonNode pytorch = json.path("pytorch");
        assertEquals(json.path("setup").path("parameters").asLong(), pytorch.path("parameters").asLong(),
                "the same network on both sides: " + r.out());
        assertTrue(pytorch.path("build").path("torch_version").asText().matches("\\d+\\.\\d+.*"), r.out());
        assertTrue(pytorch.path("max_rss_kib").asLong() > 0, r.out());
        assertTrue(json.path("process_max_rss_kib").asLong() > 0, r.out());
        assertEquals(1, json.path("setup").path("threads").asInt(), r.out());
    }

    @Test
    void missingPythonExitsTwoWithTheInstallCommand() {
        BenchCliTest.Result r = BenchCliTest.bench(with(TINY_PEER, "--python", "/nonexistent/python3"));
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("apt-get install -y python3-torch"), r.err());
        assertTrue(r.err().contains("/nonexistent/python3: not found"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
    }

    @Test
    void pythonWithoutTorchExitsTwoWithTheInstallCommand(@TempDir Path dir) throws Exception {
        // Stands in for a Python whose `import torch` fails: the peer script exits 3 then.
        Path python = dir.resolve("python3");
        Files.writeString(python, "#!/bin/sh\necho \"No module named 'torch'\" >&2\nexit 3\n");
        assertTrue(python.toFile().setExecutable(true));
        BenchCliTest.Result r = BenchCliTest.bench(with(TINY_PEER, "--python", python.toString()));
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("it has no torch"), r.err());
        assertTrue(r.err().contains("apt-get install -y python3-torch"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }

    /** libtorch's profiler over the harness loop: a trace file and the operations a step issues. */
    @Test
    void opTraceWritesTheProfilersTraceAndSummarisesIt(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("trace.json");
        String[] args = java.util.Arrays.copyOf(TINY, TINY.length + 3);
        args[TINY.length] = "--json";
        args[TINY.length + 1] = "--op-trace";
        args[TINY.length + 2] = file.toString();
        BenchCliTest.Result r = BenchCliTest.bench(args);
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(Files.size(file) > 0, "the trace is written");
        JsonNode trace = new ObjectMapper().readTree(r.out()).path("op_trace");
        assertEquals(3, trace.path("steps").asInt());
        // A forward pass through a cell network and the optimiser issue well over a hundred operations;
        // the backward call runs a node for each differentiable one of them.
        assertTrue(trace.path("ops_per_step").asDouble() > 100, trace.toString());
        assertTrue(trace.path("backward_nodes_per_step").asDouble() > 20, trace.toString());
        // At least the batch's images: 16 × 1 × 12 × 12 floats.
        assertTrue(trace.path("allocated_bytes_per_step").asDouble() > 16 * 12 * 12 * 4, trace.toString());
        assertTrue(trace.path("allocations_per_step").asDouble() > 10, trace.toString());
        double inside = trace.path("inside_ms_per_step").asDouble();
        assertTrue(inside > 0 && inside <= trace.path("wall_ms_per_step").asDouble() * 1.01, trace.toString());
        assertTrue(trace.path("heaviest").size() > 0, trace.toString());
        assertTrue(trace.path("heaviest").get(0).path("name").asText().contains("::"), trace.toString());

        String[] text = java.util.Arrays.copyOf(TINY, TINY.length + 2);
        text[TINY.length] = "--op-trace";
        text[TINY.length + 1] = dir.resolve("again.json").toString();
        BenchCliTest.Result t = BenchCliTest.bench(text);
        assertEquals(0, t.code(), t.out() + t.err());
        assertTrue(t.out().lines().anyMatch(l -> l.matches("  operations issued per step +\\d+\\.\\d .*")), t.out());
    }

    @Test
    void badInputExitsTwoWithOneLine() {
        BenchCliTest.Result zero = BenchCliTest.bench("perf", "--steps", "0", "--device", "cpu");
        assertEquals(2, zero.code());
        assertTrue(zero.err().contains("--steps must be at least 1"), zero.err());
        assertEquals(1, zero.err().strip().lines().count(), zero.err());

        BenchCliTest.Result trick = BenchCliTest.bench("perf", "--trick", "cutuot", "--device", "cpu");
        assertEquals(2, trick.code());
        assertTrue(trick.err().contains("unknown trick 'cutuot'"), trick.err());

        BenchCliTest.Result mode = BenchCliTest.bench("perf", "--supernet", "darts", "--device", "cpu");
        assertEquals(2, mode.code());
        assertTrue(mode.err().contains("allowed: weighted, one-hot, single-path"), mode.err());
        assertEquals(1, mode.err().strip().lines().count(), mode.err());

        BenchCliTest.Result supernetTrick = BenchCliTest.bench("perf", "--supernet", "weighted", "--trick", "cutout",
                "--device", "cpu");
        assertEquals(2, supernetTrick.code());
        assertTrue(supernetTrick.err().contains("--trick applies to a standalone network only"), supernetTrick.err());

        BenchCliTest.Result peer = BenchCliTest.bench("perf", "--peer", "jax", "--device", "cpu");
        assertEquals(2, peer.code());
        assertTrue(peer.err().contains("allowed: pytorch"), peer.err());

        BenchCliTest.Result peerSupernet = BenchCliTest.bench("perf", "--peer", "pytorch", "--supernet", "weighted",
                "--device", "cpu");
        assertEquals(2, peerSupernet.code());
        assertTrue(peerSupernet.err().contains("--peer times a standalone network"), peerSupernet.err());

        BenchCliTest.Result noFolder = BenchCliTest.bench("perf", "--op-trace", "no/such/folder/t.json",
                "--device", "cpu");
        assertEquals(2, noFolder.code());
        assertTrue(noFolder.err().contains("--op-trace no/such/folder/t.json: folder"), noFolder.err());
        assertEquals(1, noFolder.err().strip().lines().count(), noFolder.err());

        BenchCliTest.Result supernet = BenchCliTest.bench("perf", "--op-trace", "t.json", "--supernet", "weighted",
                "--device", "cpu");
        assertEquals(2, supernet.code());
        assertTrue(supernet.err().contains("--op-trace profiles the standalone harness loop"), supernet.err());

        BenchCliTest.Result tooMany = BenchCliTest.bench("perf", "--steps", "100000", "--device", "cpu");
        assertEquals(2, tooMany.code());
        assertTrue(tooMany.err().contains("lower --steps or --batch-size"), tooMany.err());
        assertFalse(tooMany.err().contains("\tat "), tooMany.err());
    }
}
