package org.trickbench.harness.runner;

import ai.djl.Device;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.trickbench.algorithms.Algorithms;
import org.trickbench.core.UserInputException;
import org.trickbench.core.data.DataPreparation;
import org.trickbench.core.data.DataSets;
import org.trickbench.core.data.PreparedData;
import org.trickbench.core.data.RawDataset;
import org.trickbench.core.device.ConvBackend;
import org.trickbench.core.device.Determinism;
import org.trickbench.core.run.Canonical;
import org.trickbench.core.run.RunSpec;
import org.trickbench.core.run.TrickSetting;
import org.trickbench.core.search.BudgetUse;
import org.trickbench.core.search.Evaluator;
import org.trickbench.core.search.ProxyTrainingEvaluator;
import org.trickbench.core.search.SearchAlgorithm;
import org.trickbench.core.search.SearchContext;
import org.trickbench.core.search.SearchResult;
import org.trickbench.core.seed.Seeds;
import org.trickbench.core.space.nb201.Genotype;
import org.trickbench.core.space.nb201.Nb201Hooks;
import org.trickbench.core.space.nb201.Nb201Network;
import org.trickbench.core.space.nb201.Nb201Standalone;
import org.trickbench.core.space.nb201.NetworkConfig;
import org.trickbench.core.train.EpochMetrics;
import org.trickbench.core.train.Fidelity;
import org.trickbench.core.train.TrainResult;
import org.trickbench.core.train.TrainingHook;
import org.trickbench.core.train.TrainingLoop;
import org.trickbench.core.trick.Phase;
import org.trickbench.core.trick.Trick;
import org.trickbench.harness.matrix.Expansion;
import org.trickbench.harness.matrix.MatrixDefinition;
import org.trickbench.harness.store.EvaluationRow;
import org.trickbench.harness.store.RunCompletion;
import org.trickbench.harness.store.RunRow;
import org.trickbench.harness.store.RunStatus;
import org.trickbench.harness.store.Store;
import org.trickbench.tricks.Tricks;

/**
 * Runs a matrix's specs against a store: each run is claimed, executed and completed in its own
 * transactions, so a finished run is never run again and a second invocation trains nothing. Final
 * evaluations are cached by (genotype, protocol, fidelity, data set, seed): a run that finds a
 * genotype already trained reuses its result. A failing run is recorded and the matrix goes on.
 */
public final class Runner {
    private final Store store;
    private final Device device;
    private final Path dataDir;
    private final Map<String, String> env;
    private final Progress out;
    private final Options options;
    private final String owner;
    private final Map<String, RawDataset> datasets = new HashMap<>();
    /** One lock per final evaluation being trained in this process. */
    private final Map<String, Object> evaluating = new ConcurrentHashMap<>();
    private List<Expansion.Dropped> dropped = List.of();
    /** How often a running run says it is alive, and after how long without a beat it is presumed dead. */
    static final Duration HEARTBEAT = Duration.ofSeconds(30);
    static final Duration STALE = Duration.ofMinutes(3);

    /**
     * How to run: retry failed runs, the command that reproduces a single run given its id
     * ({@code bench run --matrix … --only ID}, recorded with every run), libtorch's deterministic mode,
     * and how many runs train at once in this process.
     */
    public record Options(boolean retryFailed, String reproduceCommand, boolean deterministic, int parallel) {
        public static final int MAX_PARALLEL = 64;

        public Options {
            if (parallel < 1 || parallel > MAX_PARALLEL) {
                throw new UserInputException("--parallel " + parallel + " is not allowed: use 1 to " + MAX_PARALLEL);
            }
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
        this.owner = ProcessHandle.current().pid() + "@" + Environment.host();
    }

    /**
     * Counts of what one invocation did. The cross-evaluations are those of attribution (see
     * {@link #crossEvaluate}): trained now, found in the evaluation cache, or failed.
     */
    public record Summary(int total, int alreadyDone, int ran, int failed, int skipped, int cacheHits,
            int crossTrained, int crossCacheHits, int crossFailed) {}

    public Summary run(MatrixDefinition matrix, List<RunSpec> specs) {
        return run(matrix, specs, List.of());
    }

    /** Runs the specs and records the design's dropped cells as skipped, with their reasons. */
    public Summary run(MatrixDefinition matrix, List<RunSpec> specs, List<Expansion.Dropped> dropped) {
        this.dropped = dropped;
        ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "heartbeat");
            t.setDaemon(true);
            return t;
        });
        try {
            return run(matrix, specs, heartbeats);
        } finally {
            heartbeats.shutdownNow();
        }
    }

    private Summary run(MatrixDefinition matrix, List<RunSpec> specs, ScheduledExecutorService heartbeats) {
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
        int recovered = recoverInterrupted(matrix.name());
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
        ConvBackend.Decision convolutions = ConvBackend.decide(convolutionShapes(matrix, specs));
        out.line("convolutions: %s kernels (%s)", convolutions.backend() == ConvBackend.Backend.ONEDNN ? "oneDNN"
                : "libtorch's native", convolutions.reason());
        Map<String, String> environment = Environment.collect(device, determinism);
        environment.put("parallel_runs", Integer.toString(options.parallel()));
        Tally tally = new Tally();
        AtomicInteger next = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        onWorkers(options.parallel(), stop, () -> {
            for (int i = next.getAndIncrement(); i < specs.size() && !stop.get(); i = next.getAndIncrement()) {
                runOne(i + 1, specs.size(), specs.get(i), environment, heartbeats, tally);
            }
        });
        int[] cross = matrix.attribution() ? crossEvaluate(specs) : new int[3];
        return tally.summary(specs.size(), cross);
    }

    /** Counts of what the runs did, from every worker. */
    private static final class Tally {
        private int alreadyDone;
        private int ran;
        private int failed;
        private int skipped;
        private int cacheHits;

        synchronized Summary summary(int total, int[] cross) {
            return new Summary(total, alreadyDone, ran, failed, skipped, cacheHits, cross[0], cross[1], cross[2]);
        }
    }

    /**
     * Runs {@code work} on the calling thread, or on n threads at once. Workers take the caller's
     * autograd switch and intra-op thread count, which libtorch keeps per thread, so a run computes the
     * same whichever thread runs it. A worker that fails stops the others from taking new runs (they
     * finish the one in hand), and its error is rethrown here.
     */
    private static void onWorkers(int n, AtomicBoolean stop, Runnable work) {
        if (n == 1) {
            work.run();
            return;
        }
        boolean recording = JniUtils.isGradMode();
        int threads = JniUtils.getNumThreads();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> workers = new ArrayList<>();
        for (int k = 1; k <= n; k++) {
            Thread t = new Thread(() -> {
                JniUtils.setGradMode(recording);
                JniUtils.setNumThreads(threads);
                try {
                    work.run();
                } catch (RuntimeException | Error e) {
                    failure.compareAndSet(null, e);
                    stop.set(true);
                }
            }, "run-" + k);
            t.start();
            workers.add(t);
        }
        boolean interrupted = false;
        for (Thread t : workers) {
            while (t.isAlive()) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                    stop.set(true);
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        Throwable e = failure.get();
        if (e instanceof RuntimeException r) {
            throw r;
        }
        if (e instanceof Error r) {
            throw r;
        }
    }

    /** Claims, executes and completes the run at {@code position} (1-based) of the plan. */
    private void runOne(int position, int total, RunSpec spec, Map<String, String> environment,
            ScheduledExecutorService heartbeats, Tally tally) {
        String id = spec.id();
        RunRow row = store.runs().find(id).orElseThrow();
        if (row.status() == RunStatus.DONE) {
            synchronized (tally) {
                tally.alreadyDone++;
            }
            return;
        }
        if (!store.runs().claim(id, owner, Environment.host())) {
            String why = row.status() == RunStatus.RUNNING ? "running in another process"
                    : row.status() + " earlier, not retried (use --retry-failed)";
            out.line("[%d/%d] %s %s: %s", position, total, Canonical.shortId(id), describe(spec), why);
            out.skipEpochs(spec.protocol().epochs());
            synchronized (tally) {
                tally.skipped++;
            }
            return;
        }
        Map<String, String> runEnvironment = new LinkedHashMap<>(environment);
        runEnvironment.put("reproduce", options.reproduceCommand() + " --only " + id);
        ConvBackend.current().ifPresent(d -> runEnvironment.putAll(d.asMap()));
        store.environment().save(id, runEnvironment);
        Progress.Run log = out.run(Canonical.shortId(id), options.parallel() > 1);
        log.started(position, total, Canonical.shortId(id) + " " + describe(spec));
        ScheduledFuture<?> beat = heartbeats.scheduleAtFixedRate(() -> store.runs().heartbeat(id, owner),
                HEARTBEAT.toSeconds(), HEARTBEAT.toSeconds(), TimeUnit.SECONDS);
        boolean ok = false;
        boolean hit = false;
        try {
            hit = execute(spec, log);
            ok = true;
            // A network with a shape the plan did not foresee may have switched the backend while training.
            Map<String, String> convolutions = ConvBackend.current().map(ConvBackend.Decision::asMap).orElse(Map.of());
            if (!runEnvironment.entrySet().containsAll(convolutions.entrySet())) {
                runEnvironment.putAll(convolutions);
                store.environment().save(id, runEnvironment);
            }
        } catch (Diverged d) {
            store.runs().fail(id, owner, RunStatus.DIVERGED, d);
            log.line("  diverged: %s", d.getMessage());
        } catch (EngineException e) {
            boolean oom = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT).contains("out of memory");
            store.runs().fail(id, owner, oom ? RunStatus.OUT_OF_MEMORY : RunStatus.ERROR, e);
            log.line("  %s: %s", oom ? "out of memory" : "error", e.getMessage());
        } catch (RuntimeException e) {
            store.runs().fail(id, owner, RunStatus.ERROR, e);
            log.line("  error: %s: %s", e.getClass().getSimpleName(), e.getMessage());
        } finally {
            beat.cancel(false);
        }
        synchronized (tally) {
            tally.ran += ok ? 1 : 0;
            tally.failed += ok ? 0 : 1;
            tally.cacheHits += hit ? 1 : 0;
        }
    }

    /**
     * The extra evaluations of attribution: for every run with tricks on and its base run (same spec,
     * every trick off), both done, the run's genotype trained under the base's final protocol and the
     * base's genotype under the run's. Each is an ordinary evaluation, keyed and cached like a run's own:
     * where the tricks did not change the genotype both are cache hits, and a genotype two runs share is
     * trained once. A pair whose runs are not both done in this database (another shard's, not yet run)
     * waits for a later `bench run`, for example on the merged database. Returns {trained, cache hits,
     * failed}.
     */
    private int[] crossEvaluate(List<RunSpec> specs) {
        List<RunSpec[]> pairs = new ArrayList<>();
        for (RunSpec spec : specs) {
            Optional<RunSpec> base = Expansion.attributionBase(spec);
            if (base.isPresent() && done(spec.id()) && done(base.get().id())) {
                pairs.add(new RunSpec[] {spec, base.get()});
                pairs.add(new RunSpec[] {base.get(), spec});
            }
        }
        List<RunSpec[]> todo = pairs.stream().filter(p -> store.evaluations().crossEvaluation(p[0].id(), p[1].id())
                .flatMap(store.evaluations()::find).filter(e -> e.status() == RunStatus.DONE || !options.retryFailed()).isEmpty())
                .toList();
        if (todo.isEmpty()) {
            return new int[3];
        }
        out.line("attribution: %d cross-evaluation(s) of %d to do (each run's genotype under its base's protocol and"
                + " back)", todo.size(), pairs.size());
        out.plan(todo.stream().mapToLong(p -> p[1].protocol().epochs()).sum());
        int[] counts = new int[3];
        int position = 0;
        for (RunSpec[] pair : todo) {
            position++;
            RunSpec genotypeRun = pair[0];
            RunSpec protocolRun = pair[1];
            Progress.Run log = out.run(Canonical.shortId(genotypeRun.id()), false);
            log.started(position, todo.size(), "cross " + Canonical.shortId(genotypeRun.id()) + " genotype under "
                    + Canonical.shortId(protocolRun.id()) + " protocol: " + describe(protocolRun)
                    + (protocolRun.tricks().isEmpty() ? " no tricks" : " " + trickIds(protocolRun)));
            try {
                Genotype genotype = Genotype.parse(store.runs().find(genotypeRun.id()).orElseThrow().search().genotype());
                String evaluationId = evaluationId(protocolRun, genotype);
                Optional<EvaluationRow> cached = store.evaluations().find(evaluationId).filter(e -> e.status() == RunStatus.DONE);
                EvaluationRow evaluation = cached.orElseGet(() -> train(protocolRun, genotype, new Seeds(protocolRun.seed()),
                        evaluationId, log));
                store.evaluations().saveCrossEvaluation(genotypeRun.id(), protocolRun.id(), evaluationId);
                if (cached.isPresent()) {
                    log.skipEpochs(protocolRun.protocol().epochs());
                    log.line("  cache hit: evaluation %s, test %.2f%%", Canonical.shortId(evaluationId), 100 * evaluation.testAccuracy());
                    counts[1]++;
                } else if (evaluation.status() == RunStatus.DONE) {
                    counts[0]++;
                } else {
                    log.line("  diverged at epoch %d; the attribution of this pair leaves it out",
                            evaluation.divergedEpoch() + 1);
                    counts[2]++;
                }
            } catch (RuntimeException e) {
                log.line("  error: %s: %s; the attribution of this pair leaves it out", e.getClass().getSimpleName(),
                        e.getMessage());
                counts[2]++;
            }
        }
        return counts;
    }

    private boolean done(String runId) {
        return store.runs().find(runId).map(r -> r.status() == RunStatus.DONE).orElse(false);
    }

    private static List<String> trickIds(RunSpec spec) {
        return spec.tricks().stream().map(TrickSetting::id).toList();
    }

    /**
     * The evaluation a genotype gets under a run's final training: genotype, protocol, final fidelity, data
     * set, seed and the train-phase tricks. Equal keys are one evaluation, trained once.
     */
    public static String evaluationId(RunSpec spec, Genotype genotype) {
        Map<String, Object> key = new LinkedHashMap<>();
        key.put("genotype", genotype.toString());
        key.put("protocol", spec.protocol());
        key.put("fidelity", spec.finalFidelity());
        key.put("dataset", spec.dataset());
        key.put("seed", spec.seed());
        key.put("tricks", spec.tricks().stream().filter(t -> Tricks.byId(t.id()).phases().contains(Phase.TRAIN)).toList());
        return Canonical.hash(key);
    }

    /**
     * Runs left {@code running} by a process that no longer exists become interrupted and run again:
     * on this host, a dead owner pid is certain; elsewhere, a heartbeat older than {@link #STALE} is.
     */
    private int recoverInterrupted(String matrix) {
        int recovered = store.runs().markStaleRunning(STALE);
        String host = Environment.host();
        for (RunRow row : store.runs().list(matrix)) {
            if (row.status() != RunStatus.RUNNING || row.attempt().owner() == null || !host.equals(row.attempt().host())) {
                continue;
            }
            int at = row.attempt().owner().indexOf('@');
            long pid;
            try {
                pid = Long.parseLong(row.attempt().owner().substring(0, at < 0 ? row.attempt().owner().length() : at));
            } catch (NumberFormatException e) {
                continue;
            }
            boolean alive = ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
            if (!alive && store.runs().markInterrupted(row.id(), row.attempt().owner())) {
                recovered++;
            }
        }
        return recovered;
    }

    /** Runs one spec; returns whether its final evaluation came from the cache. */
    private boolean execute(RunSpec spec, Progress.Run log) {
        Seeds seeds = new Seeds(spec.seed());
        SearchAlgorithm algorithm = Algorithms.byId(spec.algorithm().id());
        long searchStart = System.nanoTime();
        SearchResult found;
        RawDataset raw = datasets.get(spec.dataset());
        try (NDManager searchManager = NDManager.newBaseManager(device)) {
            Supplier<PreparedData> searchData = memoize(() -> DataPreparation.prepare(raw, spec.searchFidelity(), seeds,
                    DataPreparation.Purpose.SEARCH, searchManager, device));
            Evaluator evaluator = new ProxyTrainingEvaluator(searchData, spec.protocol(), spec.searchFidelity(), seeds,
                    hooks(spec, TrickUse.PROXY));
            found = algorithm.search(new SearchContext(spec, seeds, evaluator, searchData, hooks(spec, TrickUse.SEARCH)));
        }
        recordSearchEpochs(spec.id(), found);
        double searchSeconds = found.wallSeconds() > 0 ? found.wallSeconds() : (System.nanoTime() - searchStart) / 1e9;
        Genotype genotype = found.genotype();
        log.line("  genotype %s (index %d)", genotype, genotype.index());

        String evaluationId = evaluationId(spec, genotype);
        Optional<EvaluationRow> cached;
        EvaluationRow evaluation;
        // Two runs of this process that find one genotype train it once: the second waits for the first.
        synchronized (evaluating.computeIfAbsent(evaluationId, k -> new Object())) {
            cached = store.evaluations().find(evaluationId).filter(e -> e.status() == RunStatus.DONE);
            evaluation = cached.orElseGet(() -> train(spec, genotype, seeds, evaluationId, log));
        }
        if (cached.isPresent()) {
            log.skipEpochs(spec.protocol().epochs());
            log.line("  cache hit: evaluation %s, test %.2f%%", Canonical.shortId(evaluationId), 100 * evaluation.testAccuracy());
        }
        if (evaluation.status() == RunStatus.DIVERGED) {
            throw new Diverged("loss became NaN or infinite at epoch " + (evaluation.divergedEpoch() + 1));
        }
        BudgetUse spent = found.budget();
        store.runs().complete(spec.id(), owner, new RunCompletion(genotype.toString(),
                Double.isNaN(found.proxyScore()) ? null : found.proxyScore(), searchSeconds, found.deviceSeconds(),
                evaluationId, spent.epochs(), spent.evaluations(), spent.stop().label()));
        return cached.isPresent();
    }

    /**
     * A supernet search's per-epoch metrics (α entropy, τ, losses), under the run's id in phase
     * {@code search}; a retry replaces an earlier attempt's. They arrive when the search ends, which is
     * early enough: a search cut off by a crash runs again from its start.
     */
    private void recordSearchEpochs(String runId, SearchResult found) {
        store.epochs().clear(runId);
        for (int epoch = 0; epoch < found.epochs().size(); epoch++) {
            store.epochs().append(runId, "search", epoch, found.epochs().get(epoch));
        }
    }

    private EvaluationRow train(RunSpec spec, Genotype genotype, Seeds seeds, String evaluationId, Progress.Run log) {
        RawDataset raw = datasets.get(spec.dataset());
        try (NDManager manager = NDManager.newBaseManager(device)) {
            PreparedData data = DataPreparation.prepare(raw, spec.finalFidelity(), seeds,
                    DataPreparation.Purpose.FINAL, manager, device);
            store.environment().save(spec.id(), Map.of("data_split", data.splitDescription()));
            store.epochs().clear(evaluationId);
            TrainingLoop.Request request = new TrainingLoop.Request(new Nb201Standalone(genotype,
                    spec.finalFidelity().channels(), spec.finalFidelity().cells()), spec.protocol(), data, seeds, hooks(spec, TrickUse.FINAL));
            int epochs = spec.protocol().epochs();
            TrainResult result = TrainingLoop.train(request, new TrainingLoop.Listener() {
                @Override
                public void onEpoch(EpochMetrics m) {
                    store.epochs().append(evaluationId, "final", m.epoch(), m.asMap(data.evalName()));
                    log.epoch(m.epoch() + 1, epochs, String.format(Locale.ROOT,
                            "loss %.4f  train %.2f%%  %s %.2f%%  lr %.4f  %.1fs", m.trainLoss(), 100 * m.trainAccuracy(),
                            data.evalName(), 100 * m.evalAccuracy(), m.learningRate(), m.seconds()));
                }
            });
            EvaluationRow row = new EvaluationRow(evaluationId, genotype.toString(), Canonical.hash(spec.protocol()),
                    spec.dataset(), spec.seed(), Canonical.json(spec.finalFidelity()),
                    result.diverged() ? RunStatus.DIVERGED : RunStatus.DONE, finite(result.finalEvalAccuracy()),
                    finite(result.finalTrainAccuracy()), finite(result.finalTrainLoss()), result.parameters(),
                    result.flops(), result.epochs().size(), result.divergedEpoch(), result.wallSeconds(),
                    null /* device time is not measured */);
            store.evaluations().save(row);
            if (result.diverged()) {
                log.skipEpochs(epochs - result.epochs().size() - 1L);
            } else {
                log.line("  done: test %.2f%%, %,d parameters, %,d FLOPs, %.1f s", 100 * result.finalEvalAccuracy(),
                        result.parameters(), result.flops(), result.wallSeconds());
            }
            return row;
        }
    }

    /** Where a run's tricks act. */
    enum TrickUse {
        /** The final training: train-phase tricks. */
        FINAL,
        /** A black-box search's standalone proxy trainings: train-phase tricks that act there, and search-phase ones. */
        PROXY,
        /** A supernet search's own training: search-phase tricks. */
        SEARCH
    }

    /**
     * The convolutions every run of the matrix may train, listed and given alike, so that every process
     * of one matrix (a shard, {@code --only}, a rerun) makes the same backend choice: the networks at the
     * search and the final fidelity, with the channels as the runs' tricks configure them.
     */
    private Set<ConvBackend.ConvShape> convolutionShapes(MatrixDefinition matrix, List<RunSpec> specs) {
        Set<RunSpec> all = new LinkedHashSet<>(specs);
        all.addAll(Expansion.plan(matrix).runs());
        Set<ConvBackend.ConvShape> shapes = new LinkedHashSet<>();
        for (RunSpec spec : all) {
            RawDataset raw = datasets.get(spec.dataset());
            int imageChannels = raw == null ? 3 : raw.train().channels();
            int classes = raw == null ? 10 : raw.train().classes();
            for (Fidelity fidelity : List.of(spec.searchFidelity(), spec.finalFidelity())) {
                NetworkConfig config = new NetworkConfig(imageChannels, 16, 16, classes, fidelity.channels(),
                        fidelity.cells());
                for (TrickUse use : TrickUse.values()) {
                    NetworkConfig configured = new Nb201Hooks(hooks(spec, use)).configureNetworkConfig(config);
                    shapes.addAll(Nb201Network.convolutionShapes(configured));
                }
            }
        }
        return shapes;
    }

    /** The hooks of the run's tricks that act in {@code use}, in the spec's (sorted) order. */
    static List<TrainingHook> hooks(RunSpec spec, TrickUse use) {
        List<TrainingHook> hooks = new ArrayList<>();
        for (TrickSetting setting : spec.tricks()) {
            Trick trick = Tricks.byId(setting.id());
            boolean train = trick.phases().contains(Phase.TRAIN);
            boolean search = trick.phases().contains(Phase.SEARCH);
            boolean acts = switch (use) {
                case FINAL -> train;
                case PROXY -> search || train && trick.inProxyTraining();
                case SEARCH -> search;
            };
            if (acts) {
                hooks.add(trick.hook(setting.params()));
            }
        }
        return hooks;
    }

    /** The search split is prepared only if the algorithm asks for it, and then once. */
    private static <T> Supplier<T> memoize(Supplier<T> supplier) {
        Object[] cell = new Object[1];
        return () -> {
            if (cell[0] == null) {
                cell[0] = supplier.get();
            }
            @SuppressWarnings("unchecked")
            T value = (T) cell[0];
            return value;
        };
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    static String describe(RunSpec spec) {
        StringBuilder sb = new StringBuilder(spec.algorithm().id());
        spec.algorithm().params().forEach((k, v) -> sb.append(' ').append(k).append('=').append(v));
        return sb.append(" seed=").append(spec.seed()).append(' ').append(spec.dataset()).toString();
    }

    /** A training whose loss became NaN or infinite: recorded as {@code diverged}, not as an error. */
    static final class Diverged extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Diverged(String message) {
            super(message);
        }
    }
}
