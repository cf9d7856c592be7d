package org.trickbench.harness.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.trickbench.core.UserInputException;
import org.trickbench.harness.imports.ImportedResult;
import org.trickbench.harness.report.HtmlReport;
import org.trickbench.harness.report.ReportBuilder;
import org.trickbench.harness.store.Store;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "report", mixinStandardHelpOptions = true,
        description = {
            "Writes reports/<matrix>/index.html and analysis.json from the database: one self-contained page (no",
            "network; charts drawn by inline ECharts, every number also in a table) with the attribution analysis,",
            "the runs, their genotypes, accuracies, per-epoch curves, failures and environment.",
            ""})
final class ReportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    StoreOption store;

    @Option(names = "--matrix", paramLabel = "NAME", description = "Matrix to report (default: every matrix in the database).")
    String matrix;

    @Option(names = "--out", defaultValue = "reports", paramLabel = "DIR", description = "Output root (default: ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() {
        if (!Files.isRegularFile(store.db)) {
            throw new UserInputException("--db " + store.db + ": no such database; run `bench run --matrix smoke` first");
        }
        PrintWriter w = spec.commandLine().getOut();
        try (Store s = Store.open(store.db)) {
            List<String> names = matrix == null ? s.matrixNames() : List.of(matrix);
            if (names.isEmpty()) {
                throw new UserInputException(store.db + " holds no matrix yet; run `bench run --matrix smoke` first");
            }
            for (String name : names) {
                if (!s.matrixNames().contains(name)) {
                    throw new UserInputException("--matrix '" + name + "' is not in " + store.db + "; it holds: "
                            + String.join(", ", s.matrixNames()));
                }
                boolean imported = s.matrixDefinition(name).orElse("").equals(ImportedResult.MATRIX_DEFINITION);
                String reproduce = imported ? "bench import FILE.csv --matrix " + name
                        + " (imported runs: each run's environment names its file and line)" : "bench run --matrix " + name;
                Path page = HtmlReport.write(ReportBuilder.from(s, name, reproduce), out);
                w.printf("report: %s%n", page.toAbsolutePath());
            }
        }
        w.flush();
        return 0;
    }
}
