package org.trickbench.harness.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class OpTraceTest {
    private static OpTrace summarise(String json, int steps, double wallMillis) throws Exception {
        return OpTrace.of(new ObjectMapper().readTree(json), steps, wallMillis);
    }

    private static String op(String name, int tid, double ts, double dur) {
        return op(name, tid, ts, dur, "0 b");
    }

    private static String op(String name, int tid, double ts, double dur, String memory) {
        return "{\"name\": \"" + name + "\", \"ph\": \"X\", \"ts\": " + ts + ", \"dur\": " + dur + ", \"tid\": " + tid
                + ", \"pid\": \"CPU Functions\", \"cpu mem\": \"" + memory + "\"}";
    }

    /** Nested calls (conv2d → convolution → mkldnn) count once, as the outermost; threads apart. */
    @Test
    void onlyTopLevelCallsCountAndTheirDurationsAreTheTimeInside() throws Exception {
        String trace = "[" + String.join(",",
                op("aten::convolution", 1, 110, 700, "2.00 Kb"), // before its parent, as the profiler writes
                op("aten::conv2d", 1, 100, 800, "2.00 Kb"), // its figure includes its children's
                op("aten::_conv", 1, 120, 500),
                op("aten::add", 1, 1000, 100, "1.50 Mb"),
                op("aten::conv2d", 1, 2000, 1200),
                op("aten::empty", 1, 2100, 10),
                op("aten::add", 2, 150, 50), // another thread: top level there
                op("autograd::engine::evaluate_function: AddBackward0", 1, 4000, 30),
                op("aten::mul", 1, 4005, 20), // inside the autograd node
                "{\"name\": \"meta\", \"ph\": \"M\", \"tid\": 1}") + "]";
        OpTrace t = summarise(trace, 2, 5.0);
        assertEquals(4, t.topLevelOps());
        assertEquals(2.0, t.opsPerStep());
        assertEquals(1, t.backwardNodes(), "the autograd node counts apart, what it runs not at all");
        assertEquals((800 + 100 + 1200 + 50 + 30) / 1000.0, t.insideMillis(), 1e-12);
        assertEquals(1 - 2.18 / 5.0, t.outsideShare(), 1e-12);
        assertEquals(2 * 1024 + 1.5 * 1024 * 1024, t.allocatedBytes(), 1e-9);
        assertEquals(2, t.allocations());
        assertEquals("aten::conv2d", t.heaviest().get(0).name());
        assertEquals(2, t.heaviest().get(0).calls());
        assertEquals(2.0, t.heaviest().get(0).millis(), 1e-12);
        assertEquals("aten::add", t.heaviest().get(1).name());
        assertEquals(2, t.heaviest().get(1).calls());
        assertEquals(3, t.heaviest().size());
    }

    @Test
    void memoryFiguresReadInTheirUnits() {
        assertEquals(512 * 1024, OpTrace.bytes("512.00 Kb"), 1e-9);
        assertEquals(-2.0 * 1024 * 1024, OpTrace.bytes("-2.00 Mb"), 1e-9);
        assertEquals(3.0 * 1024 * 1024 * 1024, OpTrace.bytes("3.00 Gb"), 1e-9);
        assertEquals(17, OpTrace.bytes("17 b"), 1e-9);
        assertEquals(0, OpTrace.bytes(""), 1e-9);
        assertEquals(0, OpTrace.bytes("12 parsecs"), 1e-9);
    }

    /** A call that starts as the previous one ends is its sibling, not its child. */
    @Test
    void backToBackCallsAreSiblings() throws Exception {
        OpTrace t = summarise("{\"traceEvents\": [" + op("a", 1, 0, 10) + "," + op("b", 1, 10, 10) + "]}", 1, 0.015);
        assertEquals(2, t.topLevelOps());
        assertEquals(0.0, t.outsideShare(), "inside cannot exceed the wall: the share is floored at 0");
    }
}
