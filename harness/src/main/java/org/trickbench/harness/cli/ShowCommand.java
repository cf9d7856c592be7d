package org.trickbench.harness.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.trickbench.harness.store.EvaluationRow;
import org.trickbench.harness.store.RunRow;
import org.trickbench.harness.store.Store;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "show", mixinStandardHelpOptions = true,
        description = {
            "Prints everything stored about one run: its status and outcome, the command that reruns it alone,"
                    + " its spec (the canonical JSON its id hashes), its environment (code version, device,"
                    + " libtorch, threads, ...), its final evaluation and its per-epoch metrics as a table"
                    + " (search and final training).",
            "",
            "RUN_ID is a run's id or a unique prefix of it (at least 6 characters); `bench export` lists the ids.",
            "",
            "Examples:",
            "  bench show 3f9a0c1b --db results.db",
            "  bench show 3f9a0c1b --json | jq .evaluation.test_accuracy",
            ""})
final class ShowCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    StoreOption store;

    @Parameters(paramLabel = "RUN_ID", description = "The run's id, or a unique prefix of it (6 or more hex digits).")
    String runId;

    @Option(names = "--json", description = "Print it all as one JSON object instead (numbers unformatted, null where missing).")
    boolean json;

    @Override
    public Integer call() {
        StoredRun run;
        try (Store s = store.openExisting()) {
            run = StoredRun.load(s, RunIds.resolve(s, runId));
        }
        PrintWriter w = spec.commandLine().getOut();
        String reproduce = StoredRun.reproduce(run.id(), store.db);
        if (json) {
            try {
                w.println(StoredRun.JSON.writeValueAsString(asJson(run, reproduce)));
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
        } else {
            print(w, run, reproduce);
        }
        w.flush();
        return 0;
    }

    private static void print(PrintWriter w, StoredRun run, String reproduce) {
        RunRow r = run.row();
        RunRow.Attempt attempt = r.attempt();
        RunRow.Search found = r.search();
        TextTable head = new TextTable()
                .row("run", r.id())
                .row("matrices", String.join(", ", run.matrices()))
                .row("status", r.status() + " (attempt " + attempt.number() + (attempt.startedAt() == null ? ""
                        : ", started " + attempt.startedAt()) + (attempt.finishedAt() == null ? ""
                        : ", finished " + attempt.finishedAt()) + ")")
                .row("reproduce", reproduce);
        if (found.genotype() != null) {
            head.row("genotype", found.genotype());
        }
        if (found.wallSeconds() != null) {
            StringBuilder search = new StringBuilder(String.format(Locale.ROOT, "%.1f s wall", found.wallSeconds()));
            if (found.deviceSeconds() != null) {
                search.append(String.format(Locale.ROOT, ", %.1f s device", found.deviceSeconds()));
            }
            if (found.epochs() != null) {
                search.append(", ").append(found.epochs()).append(" supernet epoch(s)");
            }
            if (found.evaluations() != null) {
                search.append(", ").append(found.evaluations()).append(" candidate(s) scored");
            }
            if (found.stop() != null) {
                search.append("; ended: ").append(found.stop());
            }
            head.row("search", search);
        }
        if (found.proxyScore() != null) {
            head.row("proxy score", found.proxyScore());
        }
        RunRow.Failure failure = r.failure();
        if (failure.errorClass() != null || failure.errorMessage() != null) {
            head.row("error", failure.errorClass() + ": " + failure.errorMessage());
        }
        if (r.skipReason() != null) {
            head.row("skipped", r.skipReason());
        }
        head.print(w, "");
        run.evaluation().ifPresent(e -> {
            w.println();
            w.printf("evaluation %s (%s)%n", e.id(), e.status());
            TextTable t = new TextTable().row("test accuracy", e.testAccuracy()).row("train accuracy", e.trainAccuracy())
                    .row("train loss", e.trainLoss()).row("parameters", e.params()).row("FLOPs", e.flops())
                    .row("epochs", e.epochs()).row("wall", String.format(Locale.ROOT, "%.1f s", e.wallSeconds()));
            if (e.divergedEpoch() != null) {
                t.row("diverged at epoch", e.divergedEpoch());
            }
            t.print(w, "  ");
        });
        w.println();
        w.println("spec");
        w.println(run.spec().toPrettyString());
        w.println();
        w.println("environment");
        TextTable env = new TextTable();
        run.environment().forEach(env::row);
        if (env.isEmpty()) {
            w.println("  (none recorded)");
        }
        env.print(w, "  ");
        run.epochs().forEach((phase, byEpoch) -> {
            w.println();
            w.printf("epochs (%s)%n", phase);
            List<String> metrics = run.metrics(phase);
            TextTable t = new TextTable();
            Object[] header = new Object[metrics.size() + 1];
            header[0] = "epoch";
            for (int i = 0; i < metrics.size(); i++) {
                header[i + 1] = metrics.get(i);
            }
            t.row(header);
            byEpoch.keySet().forEach(epoch -> {
                Object[] cells = new Object[metrics.size() + 1];
                cells[0] = epoch.toString();
                for (int i = 0; i < metrics.size(); i++) {
                    cells[i + 1] = run.metric(phase, epoch, metrics.get(i));
                }
                t.row(cells);
            });
            t.print(w, "  ");
        });
    }

    static ObjectNode asJson(StoredRun run, String reproduce) {
        RunRow r = run.row();
        ObjectNode o = StoredRun.JSON.createObjectNode();
        o.put("id", r.id());
        o.putPOJO("matrices", run.matrices());
        o.put("status", r.status().stored());
        o.put("attempt", r.attempt().number());
        o.put("started_at", r.attempt().startedAt());
        o.put("finished_at", r.attempt().finishedAt());
        o.put("reproduce", reproduce);
        o.put("genotype", r.search().genotype());
        StoredRun.putNumber(o, "proxy_score", r.search().proxyScore());
        ObjectNode search = o.putObject("search");
        StoredRun.putNumber(search, "wall_s", r.search().wallSeconds());
        StoredRun.putNumber(search, "device_s", r.search().deviceSeconds());
        StoredRun.putNumber(search, "epochs", r.search().epochs());
        StoredRun.putNumber(search, "evaluations", r.search().evaluations());
        search.put("stop", r.search().stop());
        o.put("error_class", r.failure().errorClass());
        o.put("error_message", r.failure().errorMessage());
        o.put("skip_reason", r.skipReason());
        o.set("spec", run.spec());
        o.putPOJO("environment", run.environment());
        if (run.evaluation().isPresent()) {
            EvaluationRow e = run.evaluation().get();
            ObjectNode ev = o.putObject("evaluation");
            ev.put("id", e.id());
            ev.put("status", e.status().stored());
            StoredRun.putNumber(ev, "test_accuracy", e.testAccuracy());
            StoredRun.putNumber(ev, "train_accuracy", e.trainAccuracy());
            StoredRun.putNumber(ev, "train_loss", e.trainLoss());
            StoredRun.putNumber(ev, "params", e.params());
            StoredRun.putNumber(ev, "flops", e.flops());
            ev.put("epochs", e.epochs());
            StoredRun.putNumber(ev, "diverged_epoch", e.divergedEpoch());
            StoredRun.putNumber(ev, "wall_s", e.wallSeconds());
            StoredRun.putNumber(ev, "device_s", e.deviceSeconds());
        } else {
            o.putNull("evaluation");
        }
        o.set("epochs", run.epochsJson());
        return o;
    }
}
