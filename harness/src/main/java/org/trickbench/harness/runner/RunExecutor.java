package org.trickbench.harness.runner;

import ai.djl.Device;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.trickbench.algorithms.Algorithms;
import org.trickbench.core.data.DataPreparation;
import org.trickbench.core.data.PreparedData;
import org.trickbench.core.data.RawDataset;
import org.trickbench.core.device.ConvBackend;
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
import org.trickbench.core.space.Architecture;
import org.trickbench.core.space.SearchSpace;
import org.trickbench.core.space.SearchSpaces;
import org.trickbench.core.space.nb201.Genotype;
import org.trickbench.core.train.EpochMetrics;
import org.trickbench.core.train.GroupedTrainingLoop;
import org.trickbench.core.train.TrainResult;
import org.trickbench.core.train.TrainingLoop;
import org.trickbench.harness.store.EvaluationRow;
import org.trickbench.harness.store.RunCompletion;
import org.trickbench.harness.store.RunStatus;
import org.trickbench.harness.store.Store;

/**
 * Executes one claimed run of any space: its search, the final training of the architecture found (or that evaluation from
 * the {@link EvaluationCache}) and what the store keeps of both, a failure included. It also executes the
 * cross-evaluations of attribution ({@link AttributionPlanner}), final trainings through the same cache.
 */
final class RunExecutor {
    private final Store store;
    private final Device device;
    private final Map<String, RawDataset> datasets;
    private final EvaluationCache cache;
    private final Progress out;
    private final String owner;
    /** How many candidates a black-box search trains together ({@link ProxyTrainingEvaluator}); 1: one by one. */
    private int candidateBatch = 1;

    /** How an execution ended. */
    enum Outcome {
        /** Its final evaluation was trained now. */
        TRAINED,
        /** Its final evaluation was done in the store already. */
        CACHE_HIT,
        /** It diverged or failed, and is recorded so. */
        FAILED
    }

    /**
     * @param datasets the data sets by id, loaded before any run executes
     * @param owner the owner name under which this process claims runs
     */
    RunExecutor(Store store, Device device, Map<String, RawDataset> datasets, EvaluationCache cache, Progress out,
            String owner) {
        this.store = store;
        this.device = device;
        this.datasets = datasets;
        this.cache = cache;
        this.out = out;
        this.owner = owner;
    }

    /**
     * Lets black-box searches train up to {@code k} of their candidates as one grouped network where they
     * can ({@code --batch-runs K}); 1, the default, scores them one by one.
     */
    void batchCandidates(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("a batch of candidates is at least 1, got " + k);
        }
        candidateBatch = k;
    }

    /**
     * Executes the claimed run at {@code position} (1-based) of {@code total} and completes it in the
     * store, or records its failure. {@code environment} is stored with it, with the convolution backend
     * added; {@code labelled}: several runs report at once.
     */
    Outcome run(int position, int total, RunSpec spec, Map<String, String> environment, boolean labelled) {
        String id = spec.id();
        Map<String, String> runEnvironment = new LinkedHashMap<>(environment);
        ConvBackend.current().ifPresent(d -> runEnvironment.putAll(d.asMap()));
        store.environment().save(id, runEnvironment);
        Progress.Run log = out.run(Canonical.shortId(id), labelled);
        log.started(position, total, Canonical.shortId(id) + " " + describe(spec));
        try {
            boolean hit = execute(spec, log);
            recordConvolutions(id, runEnvironment);
            return hit ? Outcome.CACHE_HIT : Outcome.TRAINED;
        } catch (RuntimeException e) {
            return failed(id, e, log);
        }
    }

    /** A claimed run of a batch: its place, spec, seeds and log; then its search and final evaluation. */
    private static final class BatchRun {
        final int index;
        final RunSpec spec;
        final Seeds seeds;
        final Progress.Run log;
        final Map<String, String> environment;
        Searched searched;
        String evaluationId;
        EvaluationRow evaluation;
        boolean cached;
        int trainedWith = 1;
        RuntimeException failure;

        BatchRun(int index, RunSpec spec, Progress.Run log, Map<String, String> environment) {
            this.index = index;
            this.spec = spec;
            this.seeds = new Seeds(spec.seed());
            this.log = log;
            this.environment = environment;
        }

        RunSpec spec() {
            return spec;
        }

        Seeds seeds() {
            return seeds;
        }

        Progress.Run log() {
            return log;
        }

        Searched searched() {
            return searched;
        }

        String evaluationId() {
            return evaluationId;
        }
    }

    /**
     * Executes a batch of claimed runs whose final trainings differ only in architecture and seed
     * ({@link Batching}): searches each run, then trains the final evaluations the batch lacks as one grouped
     * network, of one architecture or of several (runs whose evaluation is done in the store take it from
     * there, and a run whose evaluation another run of the batch trains takes it from that one; a group
     * that cannot be grouped, or a run alone, trains as {@link #run} trains it), and completes the runs, or
     * records their failures, in one transaction. Every run's environment records {@code batch_runs}: how many runs its final evaluation
     * trained with (1: alone, or taken from the cache). Returns the outcomes in the members' order.
     *
     * @param environments the environment stored with each run, by its spec
     */
    List<Outcome> runBatch(List<Batching.Member> members, int total, Function<RunSpec, Map<String, String>> environments) {
        Outcome[] outcomes = new Outcome[members.size()];
        List<BatchRun> searched = new ArrayList<>();
        for (int i = 0; i < members.size(); i++) {
            Batching.Member member = members.get(i);
            RunSpec spec = member.spec();
            Map<String, String> environment = new LinkedHashMap<>(environments.apply(spec));
            ConvBackend.current().ifPresent(d -> environment.putAll(d.asMap()));
            store.environment().save(spec.id(), environment);
            Progress.Run log = out.run(Canonical.shortId(spec.id()), true);
            log.started(member.position(), total, Canonical.shortId(spec.id()) + " " + describe(spec) + " (batch of "
                    + members.size() + ")");
            BatchRun run = new BatchRun(i, spec, log, environment);
            try {
                run.searched = search(spec, run.seeds, log);
                run.evaluationId = EvaluationCache.id(spec, run.searched.genotype());
                searched.add(run);
            } catch (RuntimeException e) {
                outcomes[i] = failed(spec.id(), e, log);
            }
        }
        cache.whileHolding(searched.stream().map(BatchRun::evaluationId).toList(), () -> {
            trainFinal(searched);
            store.atomically(() -> searched.forEach(run -> outcomes[run.index] = end(run)));
            return null;
        });
        searched.forEach(run -> recordConvolutions(run.spec.id(), run.environment));
        return List.of(outcomes);
    }

    /**
     * The batch's final evaluations: from the store, or trained together (or alone where they cannot be).
     * Runs that need one evaluation (the same architecture under the same seed and final training, found
     * by runs of different algorithms) train it once; the others take it as from the cache.
     */
    private void trainFinal(List<BatchRun> runs) {
        Map<String, List<BatchRun>> groups = new LinkedHashMap<>();
        Map<String, BatchRun> trainers = new LinkedHashMap<>();
        List<BatchRun> sharing = new ArrayList<>();
        for (BatchRun run : runs) {
            Optional<EvaluationRow> done = cache.find(run.evaluationId);
            if (done.isPresent()) {
                run.evaluation = done.get();
                run.cached = true;
                logCacheHit(run.spec, run.evaluation, run.log);
            } else if (trainers.putIfAbsent(run.evaluationId, run) != null) {
                sharing.add(run);
            } else {
                groups.computeIfAbsent(EvaluationCache.groupKey(run.spec), k -> new ArrayList<>()).add(run);
            }
        }
        for (List<BatchRun> group : groups.values()) {
            if (group.size() > 1) {
                try {
                    List<EvaluationRow> rows = trainGrouped(group);
                    for (int i = 0; i < group.size(); i++) {
                        group.get(i).evaluation = rows.get(i);
                        group.get(i).trainedWith = group.size();
                    }
                    continue;
                } catch (IllegalArgumentException e) {
                    group.get(0).log.line("  %d runs train alone: %s", group.size(), e.getMessage());
                } catch (RuntimeException e) {
                    group.forEach(run -> run.failure = e);
                    continue;
                }
            }
            for (BatchRun run : group) {
                try {
                    run.evaluation = train(run.spec, run.searched.genotype(), run.seeds, run.evaluationId, run.log);
                } catch (RuntimeException e) {
                    run.failure = e;
                }
            }
        }
        for (BatchRun run : sharing) {
            BatchRun trainer = trainers.get(run.evaluationId);
            run.failure = trainer.failure;
            if (run.failure == null) {
                run.evaluation = trainer.evaluation;
                run.cached = true;
                logCacheHit(run.spec, run.evaluation, run.log);
            }
        }
    }

    /** Completes a run of a batch, or records its failure; inside the batch's transaction. */
    private Outcome end(BatchRun run) {
        store.environment().save(run.spec.id(), Map.of("batch_runs", Integer.toString(run.trainedWith)));
        try {
            if (run.failure != null) {
                throw run.failure;
            }
            complete(run.spec, run.searched, run.evaluation);
            return run.cached ? Outcome.CACHE_HIT : Outcome.TRAINED;
        } catch (RuntimeException e) {
            return failed(run.spec.id(), e, run.log);
        }
    }

    /** A network with a shape the plan did not foresee may have switched the backend while training. */
    private void recordConvolutions(String id, Map<String, String> runEnvironment) {
        Map<String, String> convolutions = ConvBackend.current().map(ConvBackend.Decision::asMap).orElse(Map.of());
        if (!runEnvironment.entrySet().containsAll(convolutions.entrySet())) {
            runEnvironment.putAll(convolutions);
            store.environment().save(id, runEnvironment);
        }
    }

    /** Records how a claimed run failed: diverged, out of memory, or an error. */
    private Outcome failed(String id, RuntimeException failure, Progress.Run log) {
        if (failure instanceof Diverged d) {
            store.runs().fail(id, owner, RunStatus.DIVERGED, d);
            log.line("  diverged: %s", d.getMessage());
        } else if (failure instanceof EngineException e
                && String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT).contains("out of memory")) {
            store.runs().fail(id, owner, RunStatus.OUT_OF_MEMORY, e);
            log.line("  out of memory: %s", e.getMessage());
        } else if (failure instanceof EngineException e) {
            store.runs().fail(id, owner, RunStatus.ERROR, e);
            log.line("  error: %s", e.getMessage());
        } else {
            store.runs().fail(id, owner, RunStatus.ERROR, failure);
            log.line("  error: %s: %s", failure.getClass().getSimpleName(), failure.getMessage());
        }
        return Outcome.FAILED;
    }

    /**
     * Executes the cross-evaluation at {@code position} (1-based) of {@code total}: trains the genotype
     * that one run found under the other's final training, or finds it in the cache, and records it. A
     * failure is logged and left out of the attribution.
     */
    Outcome crossEvaluate(int position, int total, AttributionPlanner.CrossEvaluation cross) {
        RunSpec genotypeRun = cross.genotypeRun();
        RunSpec protocolRun = cross.protocolRun();
        Progress.Run log = out.run(Canonical.shortId(genotypeRun.id()), false);
        log.started(position, total, "cross " + Canonical.shortId(genotypeRun.id()) + " genotype under "
                + Canonical.shortId(protocolRun.id()) + " protocol: " + describe(protocolRun)
                + (protocolRun.tricks().isEmpty() ? " no tricks" : " " + trickIds(protocolRun)));
        try {
            Architecture genotype = SearchSpaces.byId(genotypeRun.space()).parse(
                    store.runs().find(genotypeRun.id()).orElseThrow().search().genotype());
            EvaluationCache.Lookup evaluation = finalEvaluation(protocolRun, genotype, new Seeds(protocolRun.seed()), log);
            store.evaluations().saveCrossEvaluation(genotypeRun.id(), protocolRun.id(), evaluation.row().id());
            if (evaluation.cached()) {
                return Outcome.CACHE_HIT;
            }
            if (evaluation.row().status() == RunStatus.DONE) {
                return Outcome.TRAINED;
            }
            log.line("  diverged at epoch %d; the attribution of this pair leaves it out",
                    evaluation.row().divergedEpoch() + 1);
        } catch (RuntimeException e) {
            log.line("  error: %s: %s; the attribution of this pair leaves it out", e.getClass().getSimpleName(),
                    e.getMessage());
        }
        return Outcome.FAILED;
    }

    private static List<String> trickIds(RunSpec spec) {
        return spec.tricks().stream().map(TrickSetting::id).toList();
    }

    /** Runs one spec; returns whether its final evaluation came from the cache. */
    private boolean execute(RunSpec spec, Progress.Run log) {
        Seeds seeds = new Seeds(spec.seed());
        Searched searched = search(spec, seeds, log);
        EvaluationCache.Lookup evaluation = finalEvaluation(spec, searched.genotype(), seeds, log);
        complete(spec, searched, evaluation.row());
        return evaluation.cached();
    }

    /** What a run's search found, and its wall time in seconds. */
    private record Searched(SearchResult found, double seconds) {
        Architecture genotype() {
            return found.genotype();
        }
    }

    /** Searches as the spec says, records the search's epochs and logs the genotype found. */
    private Searched search(RunSpec spec, Seeds seeds, Progress.Run log) {
        SearchAlgorithm algorithm = Algorithms.byId(spec.algorithm().id());
        SearchSpace space = SearchSpaces.byId(spec.space());
        long searchStart = System.nanoTime();
        SearchResult found;
        RawDataset raw = datasets.get(spec.dataset());
        try (NDManager searchManager = NDManager.newBaseManager(device)) {
            Supplier<PreparedData> searchData = memoize(() -> DataPreparation.prepare(raw, spec.searchFidelity(), seeds,
                    DataPreparation.Purpose.SEARCH, searchManager, device));
            ProxyTrainingEvaluator evaluator = new ProxyTrainingEvaluator(space, searchData, spec.protocol(),
                    spec.searchFidelity(), seeds, TrickUse.PROXY.hooks(spec), candidateBatch);
            found = algorithm.search(new SearchContext(spec, seeds, evaluator, searchData, TrickUse.SEARCH.hooks(spec)));
            if (evaluator.trainedGrouped() > 0) {
                log.line("  %d candidate(s) trained in groups of up to %d", evaluator.trainedGrouped(), candidateBatch);
            }
        }
        recordSearchEpochs(spec.id(), found);
        double searchSeconds = found.wallSeconds() > 0 ? found.wallSeconds() : (System.nanoTime() - searchStart) / 1e9;
        Architecture genotype = found.genotype();
        if (genotype instanceof Genotype cell) {
            log.line("  genotype %s (index %d)", cell, cell.index());
        } else {
            log.line("  genotype %s", genotype.canonical());
        }
        return new Searched(found, searchSeconds);
    }

    /** The run is done with this final evaluation; a diverged evaluation fails it instead ({@link Diverged}). */
    private void complete(RunSpec spec, Searched searched, EvaluationRow evaluation) {
        if (evaluation.status() == RunStatus.DIVERGED) {
            throw new Diverged("loss became NaN or infinite at epoch " + (evaluation.divergedEpoch() + 1));
        }
        SearchResult found = searched.found();
        BudgetUse spent = found.budget();
        store.runs().complete(spec.id(), owner, new RunCompletion(found.genotype().canonical(),
                Double.isNaN(found.proxyScore()) ? null : found.proxyScore(), searched.seconds(),
                null /* device time is not measured */, evaluation.id(), spent.epochs(), spent.evaluations(),
                spent.stop().label()));
    }

    /** The genotype's evaluation under the spec's final training, from the cache or trained now. */
    private EvaluationCache.Lookup finalEvaluation(RunSpec spec, Architecture genotype, Seeds seeds, Progress.Run log) {
        String evaluationId = EvaluationCache.id(spec, genotype);
        EvaluationCache.Lookup evaluation = cache.obtain(evaluationId, () -> train(spec, genotype, seeds, evaluationId, log));
        if (evaluation.cached()) {
            logCacheHit(spec, evaluation.row(), log);
        }
        return evaluation;
    }

    private static void logCacheHit(RunSpec spec, EvaluationRow row, Progress.Run log) {
        log.skipEpochs(spec.protocol().epochs());
        log.line("  cache hit: evaluation %s, test %.2f%%", Canonical.shortId(row.id()), 100 * row.testAccuracy());
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

    private EvaluationRow train(RunSpec spec, Architecture genotype, Seeds seeds, String evaluationId, Progress.Run log) {
        try (NDManager manager = NDManager.newBaseManager(device)) {
            FinalTraining training = prepare(spec, genotype, seeds, evaluationId, log, manager);
            EvaluationRow row = training.row(TrainingLoop.train(training.request(), training.listener()));
            store.evaluations().save(row);
            training.logEnd(row);
            return row;
        }
    }

    /**
     * Trains the final evaluations of runs that share everything but their seed as one grouped network
     * ({@link GroupedTrainingLoop}): each run's data, draws and results are its own. The evaluations are
     * stored together.
     *
     * @throws IllegalArgumentException when their training cannot be grouped, before anything trains
     */
    private List<EvaluationRow> trainGrouped(List<BatchRun> group) {
        try (NDManager manager = NDManager.newBaseManager(device)) {
            List<FinalTraining> trainings = new ArrayList<>();
            for (BatchRun run : group) {
                trainings.add(prepare(run.spec(), run.searched().genotype(), run.seeds(), run.evaluationId(), run.log(),
                        manager));
            }
            List<TrainResult> results = GroupedTrainingLoop.train(
                    trainings.stream().map(FinalTraining::request).toList(),
                    trainings.stream().map(FinalTraining::listener).toList());
            List<EvaluationRow> rows = new ArrayList<>();
            for (int i = 0; i < trainings.size(); i++) {
                rows.add(trainings.get(i).row(results.get(i)));
            }
            store.atomically(() -> rows.forEach(store.evaluations()::save));
            for (int i = 0; i < trainings.size(); i++) {
                trainings.get(i).logEnd(rows.get(i));
            }
            return rows;
        }
    }

    /** A final training ready to start: its request, and how its epochs and its end are recorded. */
    private record FinalTraining(RunSpec spec, Architecture genotype, String evaluationId, PreparedData data,
            TrainingLoop.Request request, TrainingLoop.Listener listener, Progress.Run log) {

        EvaluationRow row(TrainResult result) {
            return new EvaluationRow(evaluationId, genotype.canonical(), Canonical.hash(spec.protocol()),
                    spec.dataset(), spec.seed(), Canonical.json(spec.finalFidelity()),
                    result.diverged() ? RunStatus.DIVERGED : RunStatus.DONE, finite(result.finalEvalAccuracy()),
                    finite(result.finalTrainAccuracy()), finite(result.finalTrainLoss()), result.parameters(),
                    result.flops(), result.epochs().size(), result.divergedEpoch(), result.wallSeconds(),
                    null /* device time is not measured */);
        }

        void logEnd(EvaluationRow row) {
            if (row.status() == RunStatus.DIVERGED) {
                log.skipEpochs(spec.protocol().epochs() - row.epochs() - 1L);
            } else {
                log.line("  done: test %.2f%%, %,d parameters, %,d FLOPs, %.1f s", 100 * row.testAccuracy(),
                        row.params(), row.flops(), row.wallSeconds());
            }
        }
    }

    /** Prepares the spec's final data and training request; its epochs go to the store as they end. */
    private FinalTraining prepare(RunSpec spec, Architecture genotype, Seeds seeds, String evaluationId, Progress.Run log,
            NDManager manager) {
        PreparedData data = DataPreparation.prepare(datasets.get(spec.dataset()), spec.finalFidelity(), seeds,
                DataPreparation.Purpose.FINAL, manager, device);
        store.environment().save(spec.id(), Map.of("data_split", data.splitDescription()));
        store.epochs().clear(evaluationId);
        TrainingLoop.Request request = new TrainingLoop.Request(SearchSpaces.byId(spec.space()).standalone(genotype,
                spec.finalFidelity()), spec.protocol(), data, seeds, TrickUse.FINAL.hooks(spec));
        int epochs = spec.protocol().epochs();
        TrainingLoop.Listener listener = new TrainingLoop.Listener() {
            @Override
            public void onEpoch(EpochMetrics m) {
                store.epochs().append(evaluationId, "final", m.epoch(), m.asMap(data.evalName()));
                log.epoch(m.epoch() + 1, epochs, String.format(Locale.ROOT,
                        "loss %.4f  train %.2f%%  %s %.2f%%  lr %.4f  %.1fs", m.trainLoss(), 100 * m.trainAccuracy(),
                        data.evalName(), 100 * m.evalAccuracy(), m.learningRate(), m.seconds()));
            }
        };
        return new FinalTraining(spec, genotype, evaluationId, data, request, listener, log);
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

    /** A run as its progress lines name it: algorithm and parameters, seed, data set. */
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
