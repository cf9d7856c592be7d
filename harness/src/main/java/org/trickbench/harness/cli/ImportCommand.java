package org.trickbench.harness.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import org.trickbench.algorithms.RandomBaseline;
import org.trickbench.core.UserInputException;
import org.trickbench.core.trick.Phase;
import org.trickbench.harness.imports.ImportedResult;
import org.trickbench.harness.imports.ResultsCsv;
import org.trickbench.harness.runner.Environment;
import org.trickbench.harness.store.Store;
import org.trickbench.tricks.Tricks;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "import", mixinStandardHelpOptions = true,
        description = {
            "Stores results from other tools as finished runs, so that `bench report` analyses them like its own.",
            "",
            "FILE is UTF-8 CSV (RFC 4180) with a header row and one row per run (docs/import.md):",
            "  algorithm         required; an id (letters, digits, . _ -); 'random' marks random-baseline runs",
            "  dataset           required; an id, e.g. cifar10",
            "  seed              required; an integer",
            "  accuracy          final test accuracy as a fraction in [0, 1]  } exactly one",
            "  accuracy-percent  the same in percent, in [0, 100]             } of the two",
            "  proxy-score       optional; a finite number (empty: none)",
            "  search-seconds    optional; search cost in seconds, >= 0 (empty: none)",
            "  genotype          optional; a genotype of the row's space, in its notation (empty: none)",
            "  space             optional; nb201 (also when empty) or darts, the genotype's search space",
            "  trick:<id>        any number; 1, on, true = on; 0, off, false = off (any case). Ids outside",
            "                    `bench list tricks` are accepted as free-form factors.",
            "Any other column is an error. The whole file is checked before anything is stored; an error names",
            "the file, line and column and exits 2. A run's id is the hash of its row's content, so importing",
            "a file again adds nothing. Imported runs are marked \"source\": \"import\" in their spec.",
            ""})
final class ImportCommand implements Callable<Integer> {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+");

    @Spec
    CommandSpec spec;

    @Mixin
    StoreOption store;

    @Parameters(index = "0", paramLabel = "FILE.csv", description = "The results file.")
    Path file;

    @Option(names = "--matrix", paramLabel = "NAME",
            description = "Matrix the runs are listed in, as `bench report --matrix NAME` names it (default: the file"
                    + " name without its extension).")
    String matrix;

    @Override
    public Integer call() {
        if (!Files.isRegularFile(file)) {
            throw new UserInputException(file + ": no such file");
        }
        String name = matrix != null ? matrix : file.getFileName().toString().replaceFirst("\\.[^.]*$", "");
        if (!NAME.matcher(name).matches() || name.equals(".") || name.equals("..")) {
            throw new UserInputException((matrix != null ? "--matrix '" : "the matrix name '") + name + "' is not"
                    + " allowed: use letters, digits, '.', '_' and '-'" + (matrix == null ? "; name one with --matrix" : ""));
        }
        List<ImportedResult> results = ResultsCsv.read(file);
        Map<String, Store.ImportedRun> runs = new LinkedHashMap<>();
        String importedBy = "TrickBench " + Environment.codeVersion();
        for (ImportedResult r : results) {
            Map<String, String> environment = Map.of("source", ImportedResult.SOURCE, "file", file.getFileName().toString(),
                    "line", Integer.toString(r.line()), "imported_by", importedBy);
            runs.putIfAbsent(r.id(), new Store.ImportedRun(r.id(), r.specJson(), r.dataset(), r.seed(), r.genotype(),
                    r.proxyScore(), r.searchSeconds(), r.accuracy(), environment));
        }
        PrintWriter w = spec.commandLine().getOut();
        int added;
        try (Store s = Store.open(store.db)) {
            Optional<String> definition = s.matrices().definition(name);
            if (definition.isPresent() && !definition.get().equals(ImportedResult.MATRIX_DEFINITION)) {
                throw new UserInputException("matrix '" + name + "' in " + store.db + " holds runs of `bench run`; import"
                        + " into another matrix (--matrix NAME) so the two are not mixed");
            }
            added = s.importRuns(name, ImportedResult.MATRIX_DEFINITION, new ArrayList<>(runs.values()));
        }
        TreeSet<String> freeForm = new TreeSet<>();
        results.forEach(r -> freeForm.addAll(r.tricks().keySet()));
        Tricks.all().forEach(t -> freeForm.remove(t.id()));
        w.printf("%s: %d row(s), %d run(s), %d new, %d already in %s (matrix %s)%n", file, results.size(), runs.size(),
                added, runs.size() - added, store.db, name);
        if (runs.size() < results.size()) {
            w.printf("  %d row(s) repeat an earlier row exactly and count once%n", results.size() - runs.size());
        }
        if (!freeForm.isEmpty()) {
            w.printf("  free-form trick(s), not in `bench list tricks`: %s%n", String.join(", ", freeForm));
        }
        // A random genotype is drawn, not searched, so a trick that acts only in the search cannot have acted on
        // it; relative improvement matches the baseline on final-training tricks only and pools over these.
        TreeSet<String> searchOnly = new TreeSet<>();
        Tricks.all().stream().filter(t -> !t.phases().contains(Phase.TRAIN)).forEach(t -> searchOnly.add(t.id()));
        java.util.Map<String, Integer> onInRandomRows = new java.util.TreeMap<>();
        for (ImportedResult r : results) {
            if (r.algorithm().equals(RandomBaseline.ID)) {
                r.tricks().forEach((id, on) -> {
                    if (on && searchOnly.contains(id)) {
                        onInRandomRows.merge(id, 1, Integer::sum);
                    }
                });
            }
        }
        if (!onInRandomRows.isEmpty()) {
            PrintWriter e = spec.commandLine().getErr();
            onInRandomRows.forEach((id, rows) -> e.printf("warning: %s: %d random-baseline row(s) record %s as on, but %s"
                    + " acts only in the search and a random baseline has no search; relative improvement matches the"
                    + " baseline on final-training tricks only and pools over %s (docs/import.md)%n", file, rows, id, id, id));
            e.flush();
        }
        w.printf("report: bench report --matrix %s --db %s%n", name, store.db);
        w.flush();
        return 0;
    }
}
