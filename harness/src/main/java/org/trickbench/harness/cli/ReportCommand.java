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
            "",
            "Several matrices in one report (--matrix a,b or --all): their runs are analysed together where they",
            "share a data set and a final-training protocol, so imported results sit beside trained ones; runs",
            "under other protocols, and imported runs (whose protocol is another tool's), get analyses of their own",
            "on the same page.",
            ""})
final class ReportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    StoreOption store;

    @Option(names = "--matrix", paramLabel = "NAME[,NAME…]", split = ",",
            description = "Matrix to report; several, comma-separated, make one report of them together, in"
                    + " reports/<a+b>/ (default: one report per matrix in the database).")
    List<String> matrices;

    @Option(names = "--all", description = "One report of every matrix in the database together, in reports/all/.")
    boolean all;

    @Option(names = "--name", paramLabel = "NAME",
            description = "Folder under --out for a report of several matrices (default: their names joined by '+', or"
                    + " 'all' with --all).")
    String name;

    @Option(names = "--out", defaultValue = "reports", paramLabel = "DIR", description = "Output root (default: ${DEFAULT-VALUE}).")
    Path out;

    private static String reproduce(Store s, String matrix) {
        boolean imported = s.matrices().definition(matrix).orElse("").equals(ImportedResult.MATRIX_DEFINITION);
        return imported ? "bench import FILE.csv --matrix " + matrix
                + " (imported runs: each run's environment names its file and line)" : "bench run --matrix " + matrix;
    }

    @Override
    public Integer call() {
        if (!Files.isRegularFile(store.db)) {
            throw new UserInputException("--db " + store.db + ": no such database; run `bench run --matrix smoke` first");
        }
        PrintWriter w = spec.commandLine().getOut();
        if (all && matrices != null) {
            throw new UserInputException("give --matrix or --all, not both");
        }
        try (Store s = Store.open(store.db)) {
            List<String> names = all || matrices == null ? s.matrices().names() : matrices.stream().map(String::strip).toList();
            if (names.isEmpty()) {
                throw new UserInputException(store.db + " holds no matrix yet; run `bench run --matrix smoke` first");
            }
            for (String matrix : names) {
                if (!s.matrices().names().contains(matrix)) {
                    throw new UserInputException("--matrix '" + matrix + "' is not in " + store.db + "; it holds: "
                            + String.join(", ", s.matrices().names()));
                }
            }
            boolean together = all || names.size() > 1 && matrices != null;
            if (name != null && !together) {
                throw new UserInputException("--name names a report of several matrices; with one matrix the report is"
                        + " reports/<matrix>/");
            }
            if (together) {
                String folder = name != null ? name : all ? "all" : String.join("+", names);
                String reproduce = String.join("; ", names.stream().map(m -> reproduce(s, m)).toList());
                Path page = HtmlReport.write(ReportBuilder.from(s, names, folder, reproduce), out);
                w.printf("report: %s%n", page.toAbsolutePath());
            } else {
                for (String matrix : names) {
                    Path page = HtmlReport.write(ReportBuilder.from(s, matrix, reproduce(s, matrix)), out);
                    w.printf("report: %s%n", page.toAbsolutePath());
                }
            }
        }
        w.flush();
        return 0;
    }
}
