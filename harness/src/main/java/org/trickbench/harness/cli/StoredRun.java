package org.trickbench.harness.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.trickbench.core.UserInputException;
import org.trickbench.harness.store.EpochRow;
import org.trickbench.harness.store.EvaluationRow;
import org.trickbench.harness.store.RunRow;
import org.trickbench.harness.store.Store;

/**
 * Everything the store holds about one run, as {@code bench show} prints it and {@code bench diff}
 * compares it: the run row, the matrices that list it, its spec, its environment, its final
 * evaluation and its per-epoch metrics by phase ({@code search} under the run's id, {@code final}
 * under its evaluation's).
 *
 * @param epochs phase → epoch (as stored, from 0) → metric → value (NaN where not recorded)
 */
record StoredRun(RunRow row, List<String> matrices, JsonNode spec, Map<String, String> environment,
        Optional<EvaluationRow> evaluation, SortedMap<String, SortedMap<Integer, Map<String, Double>>> epochs) {

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** The metrics a training records (EpochMetrics), in the order tables show them; others follow by name. */
    private static final List<String> METRIC_ORDER = List.of("train_loss", "train_acc", "valid_acc", "test_acc", "lr",
            "seconds");

    static StoredRun load(Store store, String id) {
        RunRow row = store.runs().find(id).orElseThrow(() -> new UserInputException("run " + id + ": not in " + store.file()));
        JsonNode spec;
        try {
            spec = JSON.readTree(row.spec());
        } catch (JsonProcessingException e) {
            throw new UserInputException("run " + id + " in " + store.file() + ": its stored spec is not JSON ("
                    + e.getOriginalMessage() + ")");
        }
        Optional<EvaluationRow> evaluation = store.evaluations().find(row.evaluationId());
        List<EpochRow> rows = new ArrayList<>(store.epochs().of(id));
        if (row.evaluationId() != null && !row.evaluationId().equals(id)) {
            rows.addAll(store.epochs().of(row.evaluationId()));
        }
        SortedMap<String, SortedMap<Integer, Map<String, Double>>> epochs = new TreeMap<>();
        for (EpochRow e : rows) {
            epochs.computeIfAbsent(e.phase(), p -> new TreeMap<>()).computeIfAbsent(e.epoch(), n -> new TreeMap<>())
                    .put(e.metric(), e.value());
        }
        return new StoredRun(row, store.runs().matricesOf(id), spec, store.environment().of(id), evaluation, epochs);
    }

    String id() {
        return row.id();
    }

    /** The command that runs this run alone again from its stored spec. */
    static String reproduce(String id, Path db) {
        return "bench run --only " + id + " --db " + db;
    }

    /** The metric names of a phase, in {@link #METRIC_ORDER}, then by name. */
    List<String> metrics(String phase) {
        Set<String> names = new LinkedHashSet<>();
        epochs.getOrDefault(phase, new TreeMap<>()).values().forEach(m -> names.addAll(m.keySet()));
        return names.stream().sorted(Comparator.comparingInt((String m) -> METRIC_ORDER.contains(m)
                ? METRIC_ORDER.indexOf(m) : METRIC_ORDER.size()).thenComparing(Comparator.naturalOrder())).toList();
    }

    /** One metric of one epoch of a phase, or NaN where it was not recorded. */
    double metric(String phase, int epoch, String metric) {
        Double v = epochs.getOrDefault(phase, new TreeMap<>()).getOrDefault(epoch, Map.of()).get(metric);
        return v == null ? Double.NaN : v;
    }

    /** A number as JSON: null where it is missing or not finite (JSON has no NaN). */
    static void putNumber(ObjectNode o, String field, Number value) {
        if (value == null || value instanceof Double d && !Double.isFinite(d)) {
            o.putNull(field);
        } else if (value instanceof Double d) {
            o.put(field, d);
        } else {
            o.put(field, value.longValue());
        }
    }

    /** The per-epoch metrics as JSON: phase → [{epoch, metric: value, …}]. */
    ObjectNode epochsJson() {
        ObjectNode out = JSON.createObjectNode();
        epochs.forEach((phase, byEpoch) -> {
            ArrayNode list = out.putArray(phase);
            byEpoch.forEach((epoch, metrics) -> {
                ObjectNode e = list.addObject().put("epoch", epoch);
                for (String m : metrics(phase)) {
                    putNumber(e, m, metrics.get(m));
                }
            });
        });
        return out;
    }
}
