package org.trickbench.harness.runner;

import ai.djl.Device;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
            // A network with a shape the plan did not foresee may have switched the backend while training.
            Map<String, String> convolutions = ConvBackend.current().map(ConvBackend.Decision::asMap).orElse(Map.of());
            if (!runEnvironment.entrySet().containsAll(convolutions.entrySet())) {
                runEnvironment.putAll(convolutions);
                store.environment().save(id, runEnvironment);
            }
            return hit ? Outcome.CACHE_HIT : Outcome.TRAINED;
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
        SearchAlgorithm algorithm = Algorithms.byId(spec.algorithm().id());
        SearchSpace space = SearchSpaces.byId(spec.space());
        long searchStart = System.nanoTime();
        SearchResult found;
        RawDataset raw = datasets.get(spec.dataset());
        try (NDManager searchManager = NDManager.newBaseManager(device)) {
            Supplier<PreparedData> searchData = memoize(() -> DataPreparation.prepare(raw, spec.searchFidelity(), seeds,
                    DataPreparation.Purpose.SEARCH, searchManager, device));
            Evaluator evaluator = new ProxyTrainingEvaluator(space, searchData, spec.protocol(), spec.searchFidelity(), seeds,
                    TrickUse.PROXY.hooks(spec));
            found = algorithm.search(new SearchContext(spec, seeds, evaluator, searchData, TrickUse.SEARCH.hooks(spec)));
        }
        recordSearchEpochs(spec.id(), found);
        double searchSeconds = found.wallSeconds() > 0 ? found.wallSeconds() : (System.nanoTime() - searchStart) / 1e9;
        Architecture genotype = found.genotype();
        if (genotype instanceof Genotype cell) {
            log.line("  genotype %s (index %d)", cell, cell.index());
        } else {
            log.line("  genotype %s", genotype.canonical());
        }

        EvaluationCache.Lookup evaluation = finalEvaluation(spec, genotype, seeds, log);
        if (evaluation.row().status() == RunStatus.DIVERGED) {
            throw new Diverged("loss became NaN or infinite at epoch " + (evaluation.row().divergedEpoch() + 1));
        }
        BudgetUse spent = found.budget();
        store.runs().complete(spec.id(), owner, new RunCompletion(genotype.canonical(),
                Double.isNaN(found.proxyScore()) ? null : found.proxyScore(), searchSeconds,
                null /* device time is not measured */, evaluation.row().id(), spent.epochs(), spent.evaluations(),
                spent.stop().label()));
        return evaluation.cached();
    }

    /** The genotype's evaluation under the spec's final training, from the cache or trained now. */
    private EvaluationCache.Lookup finalEvaluation(RunSpec spec, Architecture genotype, Seeds seeds, Progress.Run log) {
        String evaluationId = EvaluationCache.id(spec, genotype);
        EvaluationCache.Lookup evaluation = cache.obtain(evaluationId, () -> train(spec, genotype, seeds, evaluationId, log));
        if (evaluation.cached()) {
            log.skipEpochs(spec.protocol().epochs());
            log.line("  cache hit: evaluation %s, test %.2f%%", Canonical.shortId(evaluationId),
                    100 * evaluation.row().testAccuracy());
        }
        return evaluation;
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
        RawDataset raw = datasets.get(spec.dataset());
        try (NDManager manager = NDManager.newBaseManager(device)) {
            PreparedData data = DataPreparation.prepare(raw, spec.finalFidelity(), seeds,
                    DataPreparation.Purpose.FINAL, manager, device);
            store.environment().save(spec.id(), Map.of("data_split", data.splitDescription()));
            store.epochs().clear(evaluationId);
            TrainingLoop.Request request = new TrainingLoop.Request(SearchSpaces.byId(spec.space()).standalone(genotype,
                    spec.finalFidelity()), spec.protocol(), data, seeds, TrickUse.FINAL.hooks(spec));
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
            EvaluationRow row = new EvaluationRow(evaluationId, genotype.canonical(), Canonical.hash(spec.protocol()),
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
