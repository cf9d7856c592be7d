package org.trickbench.harness.runner;

import ai.djl.Device;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.trickbench.core.UserInputException;
import org.trickbench.core.data.DataSets;
import org.trickbench.core.data.RawDataset;
import org.trickbench.core.device.ConvBackend;
import org.trickbench.core.device.Determinism;
import org.trickbench.core.run.Canonical;
import org.trickbench.core.run.RunSpec;
import org.trickbench.core.space.Architecture;
import org.trickbench.harness.matrix.Expansion;
import org.trickbench.harness.matrix.MatrixDefinition;
import org.trickbench.harness.store.RunStatus;
import org.trickbench.harness.store.Store;

/**
 * Runs a matrix's specs against a store: each run is claimed, executed and completed in its own
 * transactions, so a finished run is never run again and a second invocation trains nothing. Final
 * evaluations are cached by (genotype, protocol, fidelity, data set, seed): a run that finds a
 * genotype already trained reuses its result. A failing run is recorded and the matrix goes on.
 *
 * <p>The work is done by a {@link RunScheduler} (claims, heartbeats, recovery, workers), a
 * {@link RunExecutor} (one run's search and final training), the {@link EvaluationCache} and, for
 * attribution, an {@link AttributionPlanner}; this class prepares a matrix and wires them.
 */
public final class Runner {
    private final Store store;
    private final Device device;
    private final Path dataDir;
    private final Map<String, String> env;
    private final Progress out;
    private final Options options;
    private final Map<String, RawDataset> datasets = new HashMap<>();
    private final RunScheduler scheduler;
    private final RunExecutor executor;

    /**
     * How to run: retry failed runs, the command that reproduces a single run given its id
     * ({@code bench run --matrix … --only ID}, recorded with every run), libtorch's deterministic mode,
     * and how many runs train at once in this process.
     */
    public record Options(boolean retryFailed, String reproduceCommand, boolean deterministic, int parallel,
            Integer batchRuns) {
        public static final int MAX_PARALLEL = 64;

        public Options {
            if (parallel < 1 || parallel > MAX_PARALLEL) {
                throw new UserInputException("--parallel " + parallel + " is not allowed: use 1 to " + MAX_PARALLEL);
            }
            if (batchRuns != null) {
                MatrixDefinition.checkBatchRuns("--batch-runs", batchRuns);
            }
        }

        /** Runs batched as the matrix says ({@code batch-runs}, 1 when it says nothing). */
        public Options(boolean retryFailed, String reproduceCommand, boolean deterministic, int parallel) {
            this(retryFailed, reproduceCommand, deterministic, parallel, null);
        }

        /** Deterministic, one run at a time. */
        public Options(boolean retryFailed, String reproduceCommand) {
            this(retryFailed, reproduceCommand, true, 1);
        }

        public static Options defaults(String matrixArgument) {
            return new Options(false, "bench run --matrix " + matrixArgument);
        }
    }

    public Runner(Store store, Device device, Path dataDir, Map<String, String> env, PrintWriter out) {
        this(store, device, dataDir, env, new Progress(out, false), Options.defaults("<matrix>"));
    }

    public Runner(Store store, Device device, Path dataDir, Map<String, String> env, Progress out, Options options) {
        this.store = store;
        this.device = device;
        this.dataDir = dataDir;
        this.env = env;
        this.out = out;
        this.options = options;
        this.scheduler = new RunScheduler(store, out);
        this.executor = new RunExecutor(store, device, datasets, new EvaluationCache(store), out, scheduler.owner());
    }

    /**
     * Counts of what one invocation did. The cross-evaluations are those of attribution (see
     * {@link AttributionPlanner}): trained now, found in the evaluation cache, or failed.
     */
    public record Summary(int total, int alreadyDone, int ran, int failed, int skipped, int cacheHits,
            int crossTrained, int crossCacheHits, int crossFailed) {}

    public Summary run(MatrixDefinition matrix, List<RunSpec> specs) {
        return run(matrix, specs, List.of());
    }

    /** Runs the specs and records the design's dropped cells as skipped, with their reasons. */
    public Summary run(MatrixDefinition matrix, List<RunSpec> specs, List<Expansion.Dropped> dropped) {
        // Fail before any training if a data set is missing or corrupt, not hours into the matrix.
        for (String id : matrix.datasets()) {
            datasets.computeIfAbsent(id, k -> DataSets.load(k, dataDir, env));
        }
        store.matrices().upsert(matrix.name(), Canonical.json(matrix));
        for (RunSpec spec : specs) {
            store.runs().insertIfAbsent(spec.id(), matrix.name(), spec.canonicalJson());
        }
        for (Expansion.Dropped d : dropped) {
            if (store.runs().insertIfAbsent(d.spec().id(), matrix.name(), d.spec().canonicalJson())) {
                store.runs().skip(d.spec().id(), d.reason());
            }
        }
        if (!dropped.isEmpty()) {
            out.line("%d cell(s) of the design dropped: their tricks do not apply to the algorithm (see bench status)",
                    dropped.size());
        }
        int recovered = scheduler.recoverInterrupted(matrix.name());
        if (recovered > 0) {
            out.line("%d run(s) left running by a stopped process will run again", recovered);
        }
        if (options.retryFailed()) {
            int reset = store.runs().resetFailed(matrix.name());
            out.line("--retry-failed: %d failed run(s) will run again", reset);
        }
        long plannedEpochs = 0;
        for (RunSpec spec : specs) {
            if (store.runs().find(spec.id()).orElseThrow().status() != RunStatus.DONE) {
                plannedEpochs += spec.protocol().epochs();
            }
        }
        out.plan(plannedEpochs);
        Determinism.Outcome determinism = Determinism.apply(options.deterministic());
        if (determinism.warning() != null) {
            out.line("warning: %s", determinism.warning());
        }
        // Every process of one matrix (a shard, --only, a rerun) lists the same convolutions, so makes the
        // same backend choice.
        Set<RunSpec> all = new LinkedHashSet<>(specs);
        all.addAll(Expansion.plan(matrix).runs());
        Set<ConvBackend.ConvShape> shapes = TrickUse.convolutionShapes(all, datasets);
        if (shapes.isEmpty()) {
            // Networks of other spaces are probed when each is built; their runs record the choice.
            out.line("convolutions: chosen for each network as it is built (recorded with every run)");
        } else {
            ConvBackend.Decision convolutions = ConvBackend.decide(shapes);
            out.line("convolutions: %s kernels (%s)", convolutions.backend() == ConvBackend.Backend.ONEDNN ? "oneDNN"
                    : "libtorch's native", convolutions.reason());
        }
        Map<String, String> environment = Environment.collect(device, determinism);
        environment.put("parallel_runs", Integer.toString(options.parallel()));
        int batchRuns = options.batchRuns() != null ? options.batchRuns() : matrix.runsPerBatch();
        environment.put("batch_runs_limit", Integer.toString(batchRuns));
        executor.batchCandidates(batchRuns);
        Function<RunSpec, Map<String, String>> runEnvironment = spec -> {
            Map<String, String> e = new LinkedHashMap<>(environment);
            e.put("reproduce", options.reproduceCommand() + " --only " + spec.id());
            return e;
        };
        RunScheduler.ClaimedRun single = (position, total, spec) -> {
            Map<String, String> e = runEnvironment.apply(spec);
            e.put("batch_runs", "1");
            return executor.run(position, total, spec, e, options.parallel() > 1 || batchRuns > 1);
        };
        RunScheduler.Counts runs;
        if (batchRuns == 1) {
            runs = scheduler.runAll(specs, options.parallel(), single);
        } else {
            List<List<Batching.Member>> batches = Batching.plan(specs, batchRuns);
            out.line("batch-runs %d: %d run(s) in %d batch(es) of runs with one final training but for the"
                    + " architecture and seed; each batch's final trainings train as one network", batchRuns,
                    specs.size(), batches.size());
            Batching.refusals(specs).forEach((why, n) -> out.line("  %d run(s) train alone: %s", n, why));
            runs = scheduler.runBatches(batches, specs.size(), options.parallel(), single,
                    (members, total) -> executor.runBatch(members, total, runEnvironment));
        }
        Map<RunExecutor.Outcome, Integer> cross = matrix.attribution() ? crossEvaluate(specs) : Map.of();
        return new Summary(specs.size(), runs.alreadyDone(), runs.ran(), runs.failed(), runs.skipped(),
                runs.cacheHits(), cross.getOrDefault(RunExecutor.Outcome.TRAINED, 0),
                cross.getOrDefault(RunExecutor.Outcome.CACHE_HIT, 0), cross.getOrDefault(RunExecutor.Outcome.FAILED, 0));
    }

    /**
     * Executes the cross-evaluations of attribution that the store does not have yet, one at a time, and
     * counts how they ended.
     */
    private Map<RunExecutor.Outcome, Integer> crossEvaluate(List<RunSpec> specs) {
        AttributionPlanner.Plan plan = new AttributionPlanner(store, options.retryFailed()).plan(specs);
        Map<RunExecutor.Outcome, Integer> counts = new EnumMap<>(RunExecutor.Outcome.class);
        if (plan.todo().isEmpty()) {
            return counts;
        }
        out.line("attribution: %d cross-evaluation(s) of %d to do (each run's genotype under its base's protocol and"
                + " back)", plan.todo().size(), plan.needed().size());
        out.plan(plan.epochs());
        for (int i = 0; i < plan.todo().size(); i++) {
            counts.merge(executor.crossEvaluate(i + 1, plan.todo().size(), plan.todo().get(i)), 1, Integer::sum);
        }
        return counts;
    }

    /**
     * The evaluation a genotype gets under a run's final training: genotype, protocol, final fidelity, data
     * set, seed and the train-phase tricks. Equal keys are one evaluation, trained once.
     */
    public static String evaluationId(RunSpec spec, Architecture genotype) {
        return EvaluationCache.id(spec, genotype);
    }
}
