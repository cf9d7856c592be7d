package org.trickbench.harness.perf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What libtorch's own profiler saw of some training steps: how many operations the Java side issued per
 * step and how much of the step's wall time they took. The profiler writes one Chrome-trace event per
 * dispatcher call ({@code "ph": "X"}, start {@code ts} and duration {@code dur} in microseconds, per
 * thread {@code tid}); an operation that runs inside another (aten::conv2d calling aten::convolution)
 * nests in its time span on the same thread. The top-level events are of two kinds: the calls the Java
 * side made through DJL's JNI layer, one crossing each, and the autograd engine's nodes
 * ({@code autograd::engine::evaluate_function: ...}), which one backward call runs. Their summed
 * durations are the time spent inside libtorch; the rest of the wall time is Java, the JNI crossings
 * themselves and the profiler's own recording. With memory profiling on, each event also carries the
 * memory its call left allocated ({@code "cpu mem": "512.00 Kb"}, what it allocated less what it freed
 * inside, the nested calls' included); over the top-level events that is what a step's operations
 * allocate, since the step frees its arrays outside any operation, when Java closes them.
 *
 * @param steps the profiled steps
 * @param wallMillis their wall time, the profiler running
 * @param topLevelOps the top-level calls from Java over all steps
 * @param backwardNodes the autograd nodes the backward calls ran, over all steps
 * @param insideMillis the top-level events' summed durations
 * @param allocatedBytes the memory the top-level events left allocated, summed
 * @param allocations the top-level events that left memory allocated
 * @param heaviest the top-level operations by summed duration, heaviest first
 */
public record OpTrace(int steps, double wallMillis, long topLevelOps, long backwardNodes, double insideMillis,
        double allocatedBytes, long allocations, List<OpTotal> heaviest) {
    /** How the autograd engine's events are named. */
    static final String AUTOGRAD_NODE = "autograd::";

    /** How many operations to list in {@link #heaviest()}. */
    public static final int LISTED = 8;

    /** One operation's top-level calls: how many and their summed duration. */
    public record OpTotal(String name, long calls, double millis) {}

    /** Calls from Java into libtorch per step. */
    public double opsPerStep() {
        return topLevelOps / (double) steps;
    }

    /** Autograd nodes per step. */
    public double backwardNodesPerStep() {
        return backwardNodes / (double) steps;
    }

    /** Wall milliseconds per step. */
    public double wallMillisPerStep() {
        return wallMillis / steps;
    }

    /** Bytes allocated per step by the step's operations (0 unless the trace profiled memory). */
    public double allocatedBytesPerStep() {
        return allocatedBytes / steps;
    }

    /** Operations per step that left memory allocated: about the arrays a step creates. */
    public double allocationsPerStep() {
        return allocations / (double) steps;
    }

    /** Milliseconds per step inside top-level libtorch operations. */
    public double insideMillisPerStep() {
        return insideMillis / steps;
    }

    /** The share of wall time spent outside libtorch's operations (Java, JNI, the profiler itself). */
    public double outsideShare() {
        return wallMillis <= 0 ? 0 : Math.max(0, 1 - insideMillis / wallMillis);
    }

    /** Reads a trace that libtorch's profiler wrote for {@code steps} steps of {@code wallMillis}. */
    public static OpTrace read(Path trace, int steps, double wallMillis) {
        try {
            return of(new ObjectMapper().readTree(trace.toFile()), steps, wallMillis);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read libtorch's profiler trace " + trace, e);
        }
    }

    /** The summary of a parsed trace: a JSON array of events, or an object holding one as "traceEvents". */
    public static OpTrace of(JsonNode trace, int steps, double wallMillis) {
        JsonNode events = trace.isArray() ? trace : trace.path("traceEvents");
        Map<String, List<double[]>> byThread = new HashMap<>();
        Map<String, List<String>> names = new HashMap<>();
        for (JsonNode e : events) {
            if (!"X".equals(e.path("ph").asText()) || !e.has("ts") || !e.has("dur")) {
                continue;
            }
            String thread = e.path("pid").asText() + "/" + e.path("tid").asText();
            List<double[]> spans = byThread.computeIfAbsent(thread, t -> new ArrayList<>());
            List<String> threadNames = names.computeIfAbsent(thread, t -> new ArrayList<>());
            spans.add(new double[] {e.path("ts").asDouble(), e.path("dur").asDouble(), threadNames.size(),
                bytes(e.path("cpu mem").asText(""))});
            threadNames.add(e.path("name").asText());
        }
        Map<String, long[]> calls = new HashMap<>();
        Map<String, double[]> micros = new HashMap<>();
        long topLevel = 0;
        long nodes = 0;
        double inside = 0;
        double allocated = 0;
        long allocating = 0;
        for (Map.Entry<String, List<double[]>> thread : byThread.entrySet()) {
            List<double[]> spans = thread.getValue();
            // Earlier first; of two that start together the longer is the outer one.
            spans.sort(Comparator.<double[]>comparingDouble(s -> s[0]).thenComparing(s -> -s[1]));
            Deque<Double> open = new ArrayDeque<>(); // end times of the enclosing spans
            for (double[] s : spans) {
                double end = s[0] + s[1];
                while (!open.isEmpty() && open.peek() <= s[0]) {
                    open.pop();
                }
                if (open.isEmpty()) {
                    String name = names.get(thread.getKey()).get((int) s[2]);
                    if (name.startsWith(AUTOGRAD_NODE)) {
                        nodes++;
                    } else {
                        topLevel++;
                    }
                    inside += s[1];
                    if (s[3] > 0) {
                        allocated += s[3];
                        allocating++;
                    }
                    calls.computeIfAbsent(name, n -> new long[1])[0]++;
                    micros.computeIfAbsent(name, n -> new double[1])[0] += s[1];
                }
                open.push(end);
            }
        }
        List<OpTotal> totals = new ArrayList<>();
        calls.forEach((name, n) -> totals.add(new OpTotal(name, n[0], micros.get(name)[0] / 1000)));
        totals.sort(Comparator.comparingDouble(OpTotal::millis).reversed().thenComparing(OpTotal::name));
        return new OpTrace(steps, wallMillis, topLevel, nodes, inside / 1000, allocated, allocating,
                List.copyOf(totals.subList(0, Math.min(LISTED, totals.size()))));
    }

    /** The profiler's memory figure, e.g. "512.00 Kb", "-2.00 Mb", "0 b", in bytes; 0 if absent. */
    static double bytes(String text) {
        String[] parts = text.strip().split("\\s+");
        if (parts.length != 2) {
            return 0;
        }
        double unit = switch (parts[1]) {
            case "b" -> 1;
            case "Kb" -> 1024;
            case "Mb" -> 1024 * 1024;
            case "Gb" -> 1024.0 * 1024 * 1024;
            default -> Double.NaN;
        };
        try {
            double value = Double.parseDouble(parts[0]) * unit;
            return Double.isNaN(value) ? 0 : value;
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
