package org.trickbench.harness.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.trickbench.harness.store.EvaluationRow;
import org.trickbench.harness.store.Store;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "diff", mixinStandardHelpOptions = true,
        description = {
            "Compares two stored runs: the spec fields whose values differ (as paths such as protocol.batchSize"
                    + " or tricks[cutout].params.size, with both values), the environment keys that differ (code"
                    + " version, device, threads, ...; the reproduce command, which names each run's own id, is"
                    + " left out), and the metrics as deltas B - A: final test and train accuracy, train loss,"
                    + " parameters, FLOPs, proxy score, search and final wall time, and per epoch the train loss"
                    + " and train accuracy of the final training, for the epochs both runs have.",
            "",
            "Use it to see what a trick changed (the same run with and without it), or why a rerun of a run on"
                    + " another machine or TrickBench version came out differently. Each RUN is an id or a unique"
                    + " prefix of one (at least 6 characters); `bench export` lists the ids.",
            "",
            "Examples:",
            "  bench diff 3f9a0c1b 77e2d410 --db results.db",
            "  bench diff 3f9a0c1b 77e2d410 --json | jq .metrics.test_accuracy.delta",
            ""})
final class DiffCommand implements Callable<Integer> {
    /** Per-epoch metrics compared: those every final training records. */
    static final List<String> EPOCH_METRICS = List.of("train_loss", "train_acc");
    /** The phase of a run's final training in the epochs table. */
    private static final String FINAL = "final";

    @Spec
    CommandSpec spec;

    @Mixin
    StoreOption store;

    @Parameters(index = "0", paramLabel = "RUN_A", description = "The first run (id or unique prefix): deltas are B - A.")
    String runA;

    @Parameters(index = "1", paramLabel = "RUN_B", description = "The second run (id or unique prefix).")
    String runB;

    @Option(names = "--json", description = "Print the differences as one JSON object instead.")
    boolean json;

    /** A spec field or environment key whose values differ; null where the run lacks it. */
    record Difference(String path, JsonNode a, JsonNode b) {}

    /** One number of both runs and B - A (null where either lacks it; whole where both are). */
    record Delta(Number a, Number b) {
        Number delta() {
            if (a == null || b == null) {
                return null;
            }
            if (a instanceof Long x && b instanceof Long y) {
                return y - x;
            }
            return b.doubleValue() - a.doubleValue();
        }
    }

    @Override
    public Integer call() {
        StoredRun a;
        StoredRun b;
        try (Store s = store.openExisting()) {
            a = StoredRun.load(s, RunIds.resolve(s, runA));
            b = StoredRun.load(s, RunIds.resolve(s, runB));
        }
        List<Difference> specDiffs = new ArrayList<>();
        compare("", a.spec(), b.spec(), specDiffs);
        List<Difference> envDiffs = environmentDifferences(a.environment(), b.environment());
        Map<String, Delta> metrics = metrics(a, b);
        Map<Integer, Map<String, Delta>> epochs = epochDeltas(a, b);
        PrintWriter w = spec.commandLine().getOut();
        if (json) {
            try {
                w.println(StoredRun.JSON.writeValueAsString(asJson(a, b, specDiffs, envDiffs, metrics, epochs)));
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
        } else {
            print(w, a, b, specDiffs, envDiffs, metrics, epochs);
        }
        w.flush();
        return 0;
    }

    /**
     * The leaves where two JSON values differ. Objects are compared key by key; arrays of objects that
     * each have an {@code id} (the spec's tricks) are matched by id, so a trick added shows as one entry
     * and not as every later trick shifted; anything else that differs is one difference.
     */
    static void compare(String path, JsonNode a, JsonNode b, List<Difference> out) {
        if (Objects.equals(a, b)) {
            return;
        }
        if (a != null && b != null && a.isObject() && b.isObject()) {
            Set<String> keys = new TreeSet<>();
            a.fieldNames().forEachRemaining(keys::add);
            b.fieldNames().forEachRemaining(keys::add);
            for (String k : keys) {
                compare(path.isEmpty() ? k : path + "." + k, a.get(k), b.get(k), out);
            }
            return;
        }
        if (a != null && b != null && byId(a) && byId(b)) {
            Map<String, JsonNode> left = indexById(a);
            Map<String, JsonNode> right = indexById(b);
            Set<String> ids = new TreeSet<>(left.keySet());
            ids.addAll(right.keySet());
            for (String id : ids) {
                compare(path + "[" + id + "]", left.get(id), right.get(id), out);
            }
            return;
        }
        out.add(new Difference(path, a, b));
    }

    private static boolean byId(JsonNode array) {
        if (!array.isArray()) {
            return false;
        }
        Set<String> ids = new LinkedHashSet<>();
        for (JsonNode e : array) {
            if (!e.isObject() || !e.path("id").isTextual() || !ids.add(e.get("id").asText())) {
                return false;
            }
        }
        return true;
    }

    private static Map<String, JsonNode> indexById(JsonNode array) {
        Map<String, JsonNode> byId = new TreeMap<>();
        array.forEach(e -> byId.put(e.get("id").asText(), e));
        return byId;
    }

    /** Environment keys whose values differ, but {@code reproduce}: it names the run's own id. */
    static List<Difference> environmentDifferences(Map<String, String> a, Map<String, String> b) {
        Set<String> keys = new TreeSet<>(a.keySet());
        keys.addAll(b.keySet());
        keys.remove("reproduce");
        List<Difference> out = new ArrayList<>();
        for (String k : keys) {
            if (!Objects.equals(a.get(k), b.get(k))) {
                out.add(new Difference(k, text(a.get(k)), text(b.get(k))));
            }
        }
        return out;
    }

    private static JsonNode text(String value) {
        return value == null ? null : StoredRun.JSON.getNodeFactory().textNode(value);
    }

    /** The run-level numbers of both runs, in the order the table shows them. */
    static Map<String, Delta> metrics(StoredRun a, StoredRun b) {
        Map<String, Delta> m = new LinkedHashMap<>();
        m.put("test_accuracy", evaluationDelta(a, b, EvaluationRow::testAccuracy));
        m.put("train_accuracy", evaluationDelta(a, b, EvaluationRow::trainAccuracy));
        m.put("train_loss", evaluationDelta(a, b, EvaluationRow::trainLoss));
        m.put("params", evaluationDelta(a, b, e -> e.params()));
        m.put("flops", evaluationDelta(a, b, e -> e.flops()));
        m.put("proxy_score", new Delta(a.row().search().proxyScore(), b.row().search().proxyScore()));
        m.put("search_wall_s", new Delta(a.row().search().wallSeconds(), b.row().search().wallSeconds()));
        m.put("final_wall_s", evaluationDelta(a, b, EvaluationRow::wallSeconds));
        return m;
    }

    private static Delta evaluationDelta(StoredRun a, StoredRun b, Function<EvaluationRow, Number> field) {
        return new Delta(number(a.evaluation(), field), number(b.evaluation(), field));
    }

    private static Number number(Optional<EvaluationRow> evaluation, Function<EvaluationRow, Number> field) {
        return evaluation.map(field).orElse(null);
    }

    /** Per epoch both final trainings recorded: train loss and accuracy of A, of B, and B - A. */
    static Map<Integer, Map<String, Delta>> epochDeltas(StoredRun a, StoredRun b) {
        Map<Integer, Map<String, Delta>> out = new TreeMap<>();
        Set<Integer> shared = new TreeSet<>(a.epochs().getOrDefault(FINAL, new TreeMap<>()).keySet());
        shared.retainAll(b.epochs().getOrDefault(FINAL, new TreeMap<>()).keySet());
        for (int epoch : shared) {
            Map<String, Delta> row = new LinkedHashMap<>();
            for (String metric : EPOCH_METRICS) {
                row.put(metric, new Delta(finite(a.metric(FINAL, epoch, metric)), finite(b.metric(FINAL, epoch, metric))));
            }
            out.put(epoch, row);
        }
        return out;
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private static void print(PrintWriter w, StoredRun a, StoredRun b, List<Difference> specDiffs,
            List<Difference> envDiffs, Map<String, Delta> metrics, Map<Integer, Map<String, Delta>> epochs) {
        new TextTable().row("A", a.id(), a.row().status(), String.join(", ", a.matrices()))
                .row("B", b.id(), b.row().status(), String.join(", ", b.matrices())).print(w, "");
        w.println();
        section(w, "spec", specDiffs);
        w.println();
        section(w, "environment", envDiffs);
        w.println();
        w.println("metrics (B - A)");
        TextTable t = new TextTable().row("metric", "A", "B", "B - A");
        metrics.forEach((name, d) -> t.row(name, d.a(), d.b(), signed(d.delta())));
        t.print(w, "  ");
        w.println();
        if (epochs.isEmpty()) {
            w.println("per epoch: no final-training epoch recorded by both runs");
            return;
        }
        w.println("per epoch, final training (B - A)");
        TextTable e = new TextTable();
        List<Object> header = new ArrayList<>(List.of("epoch"));
        for (String m : EPOCH_METRICS) {
            header.addAll(List.of(m + " A", "B", "B - A"));
        }
        e.row(header.toArray());
        epochs.forEach((epoch, row) -> {
            List<Object> cells = new ArrayList<>(List.of(epoch.toString()));
            row.values().forEach(d -> cells.addAll(Arrays.asList(d.a(), d.b(), signed(d.delta()))));
            e.row(cells.toArray());
        });
        e.print(w, "  ");
    }

    private static void section(PrintWriter w, String what, List<Difference> diffs) {
        if (diffs.isEmpty()) {
            w.printf("%s: identical%n", what);
            return;
        }
        w.printf("%s: %d difference(s)%n", what, diffs.size());
        TextTable t = new TextTable().row(what.equals("spec") ? "field" : "key", "A", "B");
        diffs.forEach(d -> t.row(d.path(), shown(d.a()), shown(d.b())));
        t.print(w, "  ");
    }

    /** A JSON value as text: a string without quotes, anything else as compact JSON, a missing one as such. */
    private static String shown(JsonNode v) {
        if (v == null) {
            return "(absent)";
        }
        return v.isTextual() ? v.asText() : v.toString();
    }

    private static String signed(Number v) {
        return v == null ? "-" : (v.doubleValue() >= 0 ? "+" : "") + TextTable.cell(v);
    }

    static ObjectNode asJson(StoredRun a, StoredRun b, List<Difference> specDiffs, List<Difference> envDiffs,
            Map<String, Delta> metrics, Map<Integer, Map<String, Delta>> epochs) {
        ObjectNode o = StoredRun.JSON.createObjectNode();
        o.put("a", a.id());
        o.put("b", b.id());
        o.set("spec", differences(specDiffs, "path"));
        o.set("environment", differences(envDiffs, "key"));
        ObjectNode m = o.putObject("metrics");
        metrics.forEach((name, d) -> delta(m.putObject(name), d));
        ArrayNode list = o.putArray("epochs");
        epochs.forEach((epoch, row) -> {
            ObjectNode e = list.addObject().put("phase", FINAL).put("epoch", epoch);
            row.forEach((metric, d) -> delta(e.putObject(metric), d));
        });
        return o;
    }

    private static ArrayNode differences(List<Difference> diffs, String label) {
        ArrayNode list = StoredRun.JSON.createArrayNode();
        for (Difference d : diffs) {
            ObjectNode o = list.addObject().put(label, d.path());
            o.set("a", d.a() == null ? o.nullNode() : d.a());
            o.set("b", d.b() == null ? o.nullNode() : d.b());
        }
        return list;
    }

    private static void delta(ObjectNode o, Delta d) {
        StoredRun.putNumber(o, "a", d.a());
        StoredRun.putNumber(o, "b", d.b());
        StoredRun.putNumber(o, "delta", d.delta());
    }
}
