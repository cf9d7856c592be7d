package org.trickbench.harness.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.util.Map;
import java.util.concurrent.Callable;
import org.trickbench.core.UserInputException;
import org.trickbench.core.run.Canonical;
import org.trickbench.harness.store.RunRow;
import org.trickbench.harness.store.RunStatus;
import org.trickbench.harness.store.Store;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Summarises the database: runs per matrix and status, and every failure with its reason.", ""})
final class StatusCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    StoreOption store;

    @Override
    public Integer call() {
        if (!Files.isRegularFile(store.db)) {
            throw new UserInputException("--db " + store.db + ": no such database; run `bench run --matrix smoke` first");
        }
        PrintWriter w = spec.commandLine().getOut();
        try (Store s = Store.open(store.db)) {
            if (s.matrices().names().isEmpty()) {
                w.println("no runs yet");
            }
            for (String name : s.matrices().names()) {
                Map<String, Integer> counts = s.runs().statusCounts(name);
                int total = counts.values().stream().mapToInt(Integer::intValue).sum();
                w.printf("%s: %d runs", name, total);
                counts.forEach((status, n) -> w.printf(", %d %s", n, status));
                w.println();
                Map<String, Integer> skipReasons = new java.util.TreeMap<>();
                for (RunRow r : s.runs().list(name)) {
                    if (r.skipReason() != null) {
                        skipReasons.merge(r.skipReason(), 1, Integer::sum);
                    }
                }
                skipReasons.forEach((reason, n) -> w.printf("  %d skipped: %s%n", n, reason));
                for (RunRow r : s.runs().list(name)) {
                    if (r.failure().errorMessage() != null || r.status() == RunStatus.DIVERGED
                            || r.status() == RunStatus.ERROR) {
                        w.printf("  %s %s: %s %s%n", Canonical.shortId(r.id()), r.status(),
                                r.failure().errorClass() == null ? "" : r.failure().errorClass(),
                                r.failure().errorMessage() == null ? "" : r.failure().errorMessage());
                    }
                }
            }
        }
        w.flush();
        return 0;
    }
}
