package org.trickbench.harness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** `bench perf` on a tiny network for a few steps: both loops are timed and compared. No timing is asserted. */
class PerfCommandTest {
    private static final String[] TINY = {"perf", "--channels", "4", "--cells", "1", "--resolution", "12",
        "--batch-size", "16", "--warmup", "1", "--steps", "3", "--device", "cpu"};

    @Test
    void perfPrintsBothLoopsAndTheirRatio() {
        BenchCliTest.Result r = BenchCliTest.bench(TINY);
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("harness ")), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("bare ")), r.out());
        assertTrue(r.out().contains("harness / bare (median step time): "), r.out());
    }

    @Test
    void jsonRatioIsTheHarnessMedianOverTheBareMedian() throws Exception {
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
        assertEquals(harness / bare, json.path("ratio").asDouble(), 1e-9);
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
        assertTrue(table.out().contains("harness / bare (median step time): "), table.out());

        for (String mode : new String[] {"weighted", "single-path"}) {
            BenchCliTest.Result r = BenchCliTest.bench(with(TINY, "--supernet", mode, "--json"));
            assertEquals(0, r.code(), r.out() + r.err());
            JsonNode json = new ObjectMapper().readTree(r.out());
            assertEquals(mode, json.path("setup").path("supernet").asText(), r.out());
            assertTrue(json.path("harness").path("medianMillis").asDouble() > 0, r.out());
            assertTrue(json.path("bare").path("medianMillis").asDouble() > 0, r.out());
            assertEquals(3, json.path("bare").path("steps").asInt(), r.out());
            assertTrue(Double.isFinite(json.path("ratio").asDouble()) && json.path("ratio").asDouble() > 0, r.out());
            assertTrue(json.path("setup").path("parameters").asLong() > 0, r.out());
        }
    }

    private static String[] with(String[] base, String... more) {
        String[] args = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, args, base.length, more.length);
        return args;
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

        BenchCliTest.Result tooMany = BenchCliTest.bench("perf", "--steps", "100000", "--device", "cpu");
        assertEquals(2, tooMany.code());
        assertTrue(tooMany.err().contains("lower --steps or --batch-size"), tooMany.err());
        assertFalse(tooMany.err().contains("\tat "), tooMany.err());
    }
}
