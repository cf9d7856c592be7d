package org.trickbench.algorithms;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.HashMap;
import java.util.Map;
import org.trickbench.core.data.DataPreparation;
import org.trickbench.core.data.DeviceSplit;
import org.trickbench.core.data.PreparedData;
import org.trickbench.core.search.SearchContext;
import org.trickbench.core.space.Architecture;
import org.trickbench.core.space.TrainableSupernet;
import org.trickbench.core.train.SupernetSearchHook;
import org.trickbench.core.train.SupernetSession;
import org.trickbench.core.train.TrainingHooks;

/**
 * Validation accuracy of one path of the supernet with the shared weights: the fitness of one-shot
 * searches, and the proxy score and per-epoch monitor of gradient searches. Every path is scored on the
 * same validation images, in inference mode, after every hook's {@link SupernetSearchHook#selectWeights} and
 * {@link SupernetSearchHook#beforeScoring} (e.g. recomputing BatchNorm statistics for that path). Each distinct genotype is scored once until
 * {@link #forget()}; {@link #evaluations()} counts them, a one-shot search's budget unit.
 */
final class PathScorer implements AutoCloseable {
    /** Default images per score: enough for about ±1.5 % accuracy, cheap next to the supernet training. */
    static final int IMAGES = 1024;
    private static final int BATCH = 256;

    private final SupernetSession session;
    private final TrainableSupernet net;
    private final ParameterStore store;
    private final TrainingHooks hooks;
    private final NDManager owner;
    private final NDArray images;
    private final NDArray labels;
    private final Map<String, Double> scores = new HashMap<>();

    /** Scores on {@code count} validation images drawn by the run's seed, or all of them when 0. */
    PathScorer(SupernetSession session, NDManager manager, PreparedData data, int count, SearchContext context) {
        this.session = session;
        this.net = session.supernet(TrainableSupernet.class);
        this.store = new ParameterStore(manager, false);
        this.hooks = new TrainingHooks(context.hooks());
        this.owner = manager.newSubManager();
        DeviceSplit valid = data.eval();
        int n = valid.count();
        int[] order = DataPreparation.permutation(n, context.seeds().forPurpose("score-subset"));
        int use = count == 0 ? n : Math.min(count, n);
        long[] chosen = new long[use];
        for (int i = 0; i < use; i++) {
            chosen[i] = order[i];
        }
        try (NDScope scope = new NDScope()) {
            NDArray index = owner.create(chosen).toDevice(valid.images().getDevice(), false);
            images = data.normalize(valid.images().get(index));
            labels = valid.labels().get(index);
            images.attach(owner);
            labels.attach(owner);
            NDScope.unregister(images, labels);
        }
    }

    double score(Architecture genotype) {
        Double known = scores.get(genotype.canonical());
        if (known != null) {
            return known;
        }
        hooks.selectWeights(genotype, session);
        net.useSinglePath(genotype);
        hooks.beforeScoring(session);
        double accuracy = accuracy();
        scores.put(genotype.canonical(), accuracy);
        return accuracy;
    }

    /** Validation accuracy of the supernet in its current mode, in inference mode. */
    double accuracy() {
        long n = images.getShape().get(0);
        double accuracy;
        try (NDScope scope = new NDScope()) {
            NDArray correct = owner.zeros(new Shape(), DataType.INT64);
            for (long from = 0; from < n; from += BATCH) {
                NDIndex range = new NDIndex("{}:{}", from, Math.min(n, from + BATCH));
                NDArray logits = net.forward(store, new NDList(images.get(range)), false).singletonOrThrow();
                correct.addi(logits.argMax(1).eq(labels.get(range)).sum());
            }
            accuracy = correct.getLong() / (double) n;
        }
        return accuracy;
    }

    /** Distinct genotypes scored since the last {@link #forget()}. */
    int evaluations() {
        return scores.size();
    }

    /** Drops the remembered scores: the weights have changed since, so every path must be scored again. */
    void forget() {
        scores.clear();
    }

    @Override
    public void close() {
        owner.close();
    }
}
