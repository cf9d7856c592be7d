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
    void badInputExitsTwoWithOneLine() {
        BenchCliTest.Result zero = BenchCliTest.bench("perf", "--steps", "0", "--device", "cpu");
        assertEquals(2, zero.code());
        assertTrue(zero.err().contains("--steps must be at least 1"), zero.err());
        assertEquals(1, zero.err().strip().lines().count(), zero.err());

        BenchCliTest.Result trick = BenchCliTest.bench("perf", "--trick", "cutuot", "--device", "cpu");
        assertEquals(2, trick.code());
        assertTrue(trick.err().contains("unknown trick 'cutuot'"), trick.err());

        BenchCliTest.Result tooMany = BenchCliTest.bench("perf", "--steps", "100000", "--device", "cpu");
        assertEquals(2, tooMany.code());
        assertTrue(tooMany.err().contains("lower --steps or --batch-size"), tooMany.err());
        assertFalse(tooMany.err().contains("\tat "), tooMany.err());
    }
}
