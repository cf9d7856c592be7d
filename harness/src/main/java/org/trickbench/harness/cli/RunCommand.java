package org.trickbench.harness.cli;

import ai.djl.Device;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.trickbench.core.UserInputException;
import org.trickbench.core.device.DeviceChoice;
import org.trickbench.core.device.LibtorchInstall;
import org.trickbench.core.device.Runtime;
import org.trickbench.core.run.Canonical;
import org.trickbench.core.run.RunSpec;
import org.trickbench.core.space.SearchSpaces;
import org.trickbench.harness.matrix.Expansion;
import org.trickbench.harness.matrix.Matrices;
import org.trickbench.harness.matrix.MatrixDefinition;
import org.trickbench.harness.report.HtmlReport;
import org.trickbench.harness.runner.Batching;
import org.trickbench.harness.runner.CostEstimate;
import org.trickbench.harness.runner.Environment;
import org.trickbench.harness.report.ReportBuilder;
import org.trickbench.harness.runner.Progress;
import org.trickbench.harness.runner.Runner;
import org.trickbench.harness.runner.Selection;
import org.trickbench.harness.store.RunRow;
import org.trickbench.harness.store.RunStatus;
import org.trickbench.harness.store.Store;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = {
            "Expands a matrix into runs and executes those not yet done.",
            "",
            "Every run (data set, algorithm + parameters, tricks, fidelities, protocol, seed) has an id that is"
                    + " the SHA-256 of its canonical JSON. A run already 'done' in the database is never trained"
                    + " again, so re-running a matrix after an interruption continues where it stopped. Final"
                    + " evaluations are cached: two runs that find the same genotype train it once.",
            "",
            "--only RUN_ID without --matrix runs one run again from the spec stored in --db (no matrix file"
                    + " needed), after checking that the stored spec still hashes to the run's id; a run already"
                    + " done is reported, not trained. RUN_ID is an id or a unique prefix of one (at least 6"
                    + " characters).",
            "",
            "Examples:",
            "  bench run --matrix smoke --report          the smoke preset, and its report",
            "  bench run --matrix study.yaml --shard 2/8  one eighth of a matrix",
            "  bench run --only 3f9a0c1b --db results.db  one stored run, from its spec",
            ""})
final class RunCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    StoreOption store;

    @Option(names = "--matrix", paramLabel = "NAME|FILE",
            description = "A preset (${COMPLETION-CANDIDATES}) or a YAML matrix file. Required unless --only names a"
                    + " stored run.",
            completionCandidates = Presets.class)
    String matrix;

    @Option(names = "--device", defaultValue = "auto", paramLabel = "auto|cpu|gpu",
            description = "Where to train: auto (the GPU when DJL sees one, else the CPU), cpu, or gpu (exit 2 if none)."
                    + " Default: ${DEFAULT-VALUE}.")
    String device;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Folder holding the data set files. Default search: $TRICKBENCH_DATA, then"
                    + " /usr/share/datasets/fashion-mnist (Debian package dataset-fashion-mnist).")
    Path dataDir;

    @Option(names = "--report", description = "Write the HTML report when the runs finish and print its path.")
    boolean report;

    @Option(names = "--out", defaultValue = "reports", paramLabel = "DIR",
            description = "Report folder root, with --report (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--dry-run", description = "Print the runs the matrix expands to, without running anything.")
    boolean dryRun;

    @Option(names = "--retry-failed", description = "Run again the runs that ended diverged, out-of-memory or error.")
    boolean retryFailed;

    @Option(names = "--shard", paramLabel = "i/n", description = {
        "Take only shard i of n: runs are split by id, deterministically, so n processes or Slurm array tasks",
        "(each with its own --db) cover the matrix exactly once; `bench merge` unions their databases."})
    String shard;

    @Option(names = "--only", paramLabel = "RUN_ID", description = {"Run just this run (an id or a unique prefix of one):"
            + " with --matrix, one of the matrix's runs; without it, the run stored in --db, from its stored spec."})
    String only;

    @Mixin
    DeterminismOption determinism;

    @Mixin
    LibtorchOption libtorch;

    @Option(names = "--parallel", defaultValue = "1", paramLabel = "N",
            description = "Train N runs at once in this process, on the one device (1 to 64; default: ${DEFAULT-VALUE})."
                    + " Each run has its own models and memory and computes exactly what it computes alone. Every run"
                    + " uses libtorch's intra-op threads (OMP_NUM_THREADS): on a CPU, N x threads beyond the cores only"
                    + " oversubscribes them.")
    int parallel;

    @Option(names = "--batch-runs", paramLabel = "K",
            description = {"Train the final evaluations of up to K runs whose final trainings differ only in architecture"
                    + " and seed (same space, data set, protocol, final fidelity and train-phase tricks; any"
                    + " algorithm) as one network: channels stacked K-fold with grouped convolutions, each run with its own initial weights, data, draws and"
                    + " results, stored as its own run (1 to 64; default: the matrix's batch-runs, else 1). Runs whose"
                    + " training cannot be grouped (a space without a grouped network, grad-clip, tricks such as sam)"
                    + " train alone and are listed. random-search, rea's first population and local-search's"
                    + " neighbourhoods also train up to K candidates at a time as one network. Batched results equal"
                    + " unbatched ones up to rounding, not bit for"
                    + " bit; see the README's \"Run batching\"."})
    Integer batchRuns;

    @Override
    public Integer call() {
        LibtorchInstall install = libtorch.apply();
        PrintWriter w = spec.commandLine().getOut();
        String source = matrix == null ? "" : " --matrix " + matrix;
        String reproduce = "bench run" + source + " --db " + store.db
                + (dataDir == null ? "" : " --data-dir " + dataDir) + (determinism.deterministic ? "" : " --no-deterministic");
        Runner.Options options = new Runner.Options(retryFailed, reproduce, determinism.deterministic, parallel,
                batchRuns);
        MatrixDefinition definition;
        Expansion.Plan plan;
        List<RunSpec> specs;
        if (matrix == null) {
            StoredSpec stored = storedSpec(!dryRun && !report);
            if (stored.spec() == null) {
                w.printf("run %s is already done in %s; nothing to train. `bench show %s --db %s` prints its results%n",
                        stored.id(), store.db, Canonical.shortId(stored.id()), store.db);
                w.flush();
                return 0;
            }
            definition = stored.matrix();
            plan = Expansion.plan(definition);
            specs = List.of(stored.spec());
        } else {
            definition = Matrices.load(matrix);
            plan = Expansion.plan(definition);
            specs = plan.runs();
            if (shard != null) {
                specs = Selection.shard(specs, Selection.Shard.parse(shard));
            }
            if (only != null) {
                specs = Selection.only(specs, only);
            }
        }
        Device d = DeviceChoice.parse(device).resolve();
        if (dryRun) {
            return dryRun(w, definition, plan, specs, d);
        }
        Runtime runtime = Runtime.describe();
        w.printf("TrickBench: matrix %s (%d runs) on %s; DJL %s, %s engine, libtorch %s (%s build)%n", definition.name(),
                specs.size(), Environment.deviceName(d), runtime.djlVersion(), runtime.engine(), runtime.libtorchVersion(),
                runtime.flavor());
        w.printf("libtorch: %s%n", install.summary());
        w.printf("database %s%n", store.db.toAbsolutePath());
        w.flush();
        Runner.Summary summary;
        try (Store s = Store.open(store.db)) {
            summary = new Runner(s, d, dataDir, System.getenv(), new Progress(w, Progress.stdoutIsTerminal()), options)
                    .run(definition, specs, plan.dropped());
            if (summary.ran() == 0 && summary.failed() == 0) {
                w.printf("nothing to train: all %d runs of matrix %s are already done in %s%n", summary.alreadyDone(),
                        definition.name(), store.db);
            } else {
                w.printf("finished: %d trained, %d already done, %d failed, %d not retried, %d evaluation cache hits%n",
                        summary.ran(), summary.alreadyDone(), summary.failed(), summary.skipped(), summary.cacheHits());
            }
            if (summary.crossTrained() + summary.crossCacheHits() + summary.crossFailed() > 0) {
                w.printf("attribution: %d cross-evaluation(s) trained, %d from the evaluation cache, %d failed%n",
                        summary.crossTrained(), summary.crossCacheHits(), summary.crossFailed());
            }
            if (report) {
                Path page = HtmlReport.write(ReportBuilder.from(s, definition.name(),
                        "bench run" + source + " --db " + store.db), out);
                w.printf("report: %s%n", page.toAbsolutePath());
            }
        }
        w.flush();
        return summary.failed() > 0 ? Bench.EXIT_FAILED : 0;
    }

    /** A run stored in the database and its matrix's definition; no spec when it is done and that is enough. */
    private record StoredSpec(String id, RunSpec spec, MatrixDefinition matrix) {}

    /**
     * The run {@code --only} names, from the database alone: its stored spec, checked to hash to its id
     * (an edited row, or a spec this version reads differently, would otherwise train under another id),
     * and its matrix's stored definition, which decides the data sets and the convolution backend as a
     * run of the whole matrix would. With {@code doneIsEnough}, a done run returns without its spec.
     */
    private StoredSpec storedSpec(boolean doneIsEnough) {
        if (only == null) {
            throw new UserInputException("--matrix is required: a preset (" + String.join(", ", Matrices.PRESETS)
                    + ") or a YAML matrix file; or --only RUN_ID alone, to run one stored run again from --db");
        }
        if (shard != null) {
            throw new UserInputException("--shard " + shard + " needs --matrix: --only " + only
                    + " without a matrix is one run, nothing to split");
        }
        try (Store s = store.openExisting()) {
            String id = RunIds.resolve(s, only);
            RunRow row = s.runs().find(id).orElseThrow();
            String hash = Canonical.sha256(row.spec());
            if (!hash.equals(id)) {
                throw new UserInputException("run " + id + " in " + store.db + ": its stored spec hashes to " + hash
                        + ", not to its id: the row was changed after it was stored; nothing was run");
            }
            if (doneIsEnough && row.status() == RunStatus.DONE) {
                return new StoredSpec(id, null, null);
            }
            String fromMatrix = "; run it from its matrix: bench run --matrix FILE --only " + Canonical.shortId(id);
            RunSpec spec;
            try {
                spec = RunSpec.fromJson(row.spec());
            } catch (IllegalArgumentException e) {
                throw new UserInputException("run " + id + " in " + store.db + ": this TrickBench cannot read its stored"
                        + " spec (" + e.getMessage() + ")" + fromMatrix);
            }
            if (!spec.id().equals(id)) {
                throw new UserInputException("run " + id + " in " + store.db + ": this TrickBench reads its stored spec"
                        + " as run " + spec.id() + " (it was stored by another version)" + fromMatrix);
            }
            String definition = s.matrices().definition(row.matrix()).orElseThrow(() -> new UserInputException("run " + id
                    + " in " + store.db + ": its matrix " + row.matrix() + " is not stored" + fromMatrix));
            return new StoredSpec(id, spec, Matrices.fromStored(definition, "matrix " + row.matrix() + " in " + store.db));
        }
    }

    /** The plan: runs per algorithm, each run's id, and the final-training cost from a measured step. */
    private int dryRun(PrintWriter w, MatrixDefinition definition, Expansion.Plan plan, List<RunSpec> specs, Device d) {
        w.printf("matrix %s: %d runs, design %s over %d trick(s): %d rows, resolution %s%n", definition.name(),
                specs.size(), plan.design().type(), plan.design().factors().size(), plan.design().runs(),
                plan.design().resolutionName());
        if (!plan.design().definingRelation().isEmpty()) {
            w.printf("  defining relation: I = %s%n", String.join(" = ", plan.design().definingRelation()));
            w.printf("  factors: %s%n", letters(plan.design().factors()));
            plan.design().aliases().forEach(a -> w.printf("  alias: %s%n", a));
        }
        plan.dropped().forEach(x -> w.printf("  dropped: %s %s seed=%d: %s%n", Canonical.shortId(x.spec().id()),
                x.spec().algorithm().id(), x.spec().seed(), x.reason()));
        if (definition.attribution()) {
            long crossed = specs.stream().filter(s -> Expansion.attributionBase(s).isPresent()).count();
            w.printf("  attribution: up to %d cross-evaluation(s), two per searched run with tricks on (cache hits where"
                    + " the tricks leave the genotype unchanged)%n", 2 * crossed);
        }
        Map<String, Integer> perAlgorithm = new TreeMap<>();
        specs.forEach(s -> perAlgorithm.merge(s.algorithm().id(), 1, Integer::sum));
        perAlgorithm.forEach((a, n) -> w.printf("  %-14s %d runs%n", a, n));
        int k = batchRuns != null ? batchRuns : definition.runsPerBatch();
        if (k > 1) {
            w.printf("  batch-runs %d: %d batch(es) of runs with one final training but for the architecture and seed;"
                    + " each batch's final trainings train as one network%n", k, Batching.plan(specs, k).size());
            Batching.refusals(specs).forEach((why, n) -> w.printf("    %d run(s) train alone: %s%n", n, why));
        }
        double total = 0;
        if (!specs.isEmpty()) {
            RunSpec first = specs.get(0);
            DatasetShape shape = DatasetShape.of(first.dataset());
            int side = first.finalFidelity().resolution() == 0 ? shape.side() : first.finalFidelity().resolution();
            w.printf("measuring a training step (C=%d, N=%d, %d px, batch %d on %s) ...%n", first.finalFidelity().channels(),
                    first.finalFidelity().cells(), side, first.protocol().batchSize(), Environment.deviceName(d));
            w.flush();
            double step = CostEstimate.stepSeconds(SearchSpaces.byId(first.space()), first.finalFidelity(), first.protocol(), shape.channels(), side,
                    shape.classes(), d);
            for (RunSpec s : specs) {
                total += CostEstimate.finalSeconds(s, DatasetShape.of(s.dataset()).trainImages(), step);
            }
            w.printf("step %.1f ms; final trainings ≈ %s on %s (search cost not included)%n", step * 1000,
                    CostEstimate.human(total), Environment.deviceName(d));
        }
        for (RunSpec s : specs) {
            w.printf("  %s  %s seed=%d %s%s%n", Canonical.shortId(s.id()), s.algorithm().id() + s.algorithm().params(),
                    s.seed(), s.dataset(), s.tricks().isEmpty() ? "" : " tricks=" + s.tricks().stream()
                            .map(t -> t.id()).toList());
        }
        w.flush();
        return 0;
    }

    private static String letters(List<String> factors) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < factors.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append((char) ('A' + i)).append(" = ").append(factors.get(i));
        }
        return sb.toString();
    }

    /** Shapes of the known data sets, for planning without loading them. */
    record DatasetShape(int channels, int side, int classes, int trainImages) {
        static DatasetShape of(String dataset) {
            return switch (dataset) {
                case "cifar10" -> new DatasetShape(3, 32, 10, 50_000);
                case "cifar100" -> new DatasetShape(3, 32, 100, 50_000);
                default -> new DatasetShape(1, 28, 10, 60_000);
            };
        }
    }

    static final class Presets extends java.util.ArrayList<String> {
        private static final long serialVersionUID = 1L;

        Presets() {
            super(Matrices.PRESETS);
        }
    }
}
