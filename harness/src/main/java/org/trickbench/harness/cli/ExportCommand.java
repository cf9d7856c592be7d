package org.trickbench.harness.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.trickbench.core.UserInputException;
import org.trickbench.harness.store.EpochRow;
import org.trickbench.harness.store.EvaluationRow;
import org.trickbench.harness.store.RunRow;
import org.trickbench.harness.store.Store;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "export", mixinStandardHelpOptions = true,
        description = {
            "Writes runs (one row per run: spec fields, status, genotype, final accuracies, parameters, FLOPs, costs",
            "and the search's budget spent) as CSV, or runs with their per-epoch metrics (search and final) as JSON,",
            "to standard output.",
            ""})
final class ExportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    StoreOption store;

    @Option(names = "--format", defaultValue = "csv", paramLabel = "csv|json", description = "Output format (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--matrix", paramLabel = "NAME", description = "Only this matrix's runs (default: all).")
    String matrix;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    static final List<String> COLUMNS = List.of("run_id", "matrix", "algorithm", "algorithm_params", "dataset", "seed",
            "tricks", "status", "genotype", "test_accuracy", "train_accuracy", "params", "flops", "proxy_score",
            "search_wall_s", "final_wall_s", "evaluation_id", "error", "search_epochs", "search_evaluations",
            "search_stop");

    @Override
    public Integer call() {
        if (!format.equals("csv") && !format.equals("json")) {
            throw new UserInputException("--format '" + format + "' is not allowed; allowed: csv, json");
        }
        PrintWriter w = spec.commandLine().getOut();
        try (Store s = store.openExisting()) {
            if (format.equals("csv")) {
                w.println(String.join(",", COLUMNS));
                for (RunRow r : s.runs().list(matrix)) {
                    w.println(String.join(",", csvRow(s, r).stream().map(ExportCommand::csv).toList()));
                }
            } else {
                ArrayNode runs = JSON.createArrayNode();
                for (RunRow r : s.runs().list(matrix)) {
                    ObjectNode o = runs.addObject();
                    List<String> row = csvRow(s, r);
                    for (int i = 0; i < COLUMNS.size(); i++) {
                        o.put(COLUMNS.get(i), row.get(i));
                    }
                    o.set("spec", parse(r.spec()));
                    ArrayNode epochs = o.putArray("epochs");
                    // A supernet search's epochs (α entropy, τ) are the run's; the final training's, its evaluation's.
                    List<EpochRow> rows = new ArrayList<>(s.epochs().of(r.id()));
                    if (r.evaluationId() != null) {
                        rows.addAll(s.epochs().of(r.evaluationId()));
                    }
                    for (EpochRow e : rows) {
                        epochs.addObject().put("phase", e.phase()).put("epoch", e.epoch()).put("metric", e.metric())
                                .put("value", e.value());
                    }
                }
                try {
                    w.println(JSON.writeValueAsString(runs));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        w.flush();
        return 0;
    }

    private static List<String> csvRow(Store s, RunRow r) {
        JsonNode spec = parse(r.spec());
        EvaluationRow e = s.evaluations().find(r.evaluationId()).orElse(null);
        List<String> tricks = new ArrayList<>();
        spec.path("tricks").forEach(t -> tricks.add(t.path("id").asText()));
        return List.of(r.id(), r.matrix(), spec.path("algorithm").path("id").asText(""),
                spec.path("algorithm").path("params").toString(), spec.path("dataset").asText(""),
                spec.path("seed").asText(""), String.join("+", tricks), r.status().stored(), str(r.search().genotype()),
                e == null ? "" : str(e.testAccuracy()), e == null ? "" : str(e.trainAccuracy()),
                e == null ? "" : str(e.params()), e == null ? "" : str(e.flops()), str(r.search().proxyScore()),
                str(r.search().wallSeconds()), e == null ? "" : String.format(Locale.ROOT, "%.3f", e.wallSeconds()),
                str(r.evaluationId()), str(r.failure().summary()),
                str(r.search().epochs()), str(r.search().evaluations()), str(r.search().stop()));
    }

    private static String str(Object o) {
        return o == null ? "" : o.toString();
    }

    /** RFC 4180 quoting: fields with a comma, quote or line break are quoted, quotes doubled. */
    static String csv(String field) {
        if (field.contains(",") || field.contains("\"") || field.contains("\n") || field.contains("\r")) {
            return "\"" + field.replace("\"", "\"\"") + "\"";
        }
        return field;
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }
}
