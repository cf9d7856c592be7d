package org.trickbench.algorithms;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;
import org.trickbench.core.UserInputException;
import org.trickbench.core.data.DataPreparation;
import org.trickbench.core.data.DeviceSplit;
import org.trickbench.core.data.PreparedData;
import org.trickbench.core.run.AlgorithmSetting;
import org.trickbench.core.search.AlgorithmParameter;
import org.trickbench.core.search.SearchContext;
import org.trickbench.core.seed.Seeds;
import org.trickbench.core.space.nb201.Genotype;
import org.trickbench.core.space.nb201.Nb201Space;
import org.trickbench.core.space.nb201.Nb201Supernet;
import org.trickbench.core.train.SupernetSession;
import org.trickbench.core.train.TrainingHook;

/**
 * One-shot search with weight sharing: first train the supernet with one uniformly sampled path per
 * step (Guo et al., Single Path One-Shot, ECCV 2020, arXiv 1904.00420; Li & Talwalkar, UAI 2019, arXiv
 * 1902.07638), then search the space scoring each candidate by its accuracy with the shared weights on
 * the validation half. α is never trained. Each candidate is scored on the same validation images,
 * in inference mode, after every hook's {@link TrainingHook#selectWeights} and
 * {@link TrainingHook#beforeScoring(SupernetSession)} (e.g. recomputing BatchNorm statistics for that path).
 * Paths and candidates come from the run's space ({@link SearchContext#space()}).
 */
abstract class OneShotSearch extends SupernetSearch {
    /** Default images per score: enough for about ±1.5 % accuracy, cheap next to the supernet training. */
    static final int SCORE_IMAGES = 1024;
    private static final int SCORE_BATCH = 256;

    @Override
    public String family() {
        return "one-shot";
    }

    @Override
    public List<AlgorithmParameter> parameters() {
        List<AlgorithmParameter> all = new ArrayList<>(SupernetSettings.weightParameters());
        all.add(new AlgorithmParameter("score-images", "int", SCORE_IMAGES,
                "validation images each candidate is scored on, the same for all (0 = the whole validation half)"));
        all.addAll(extraParameters());
        return List.copyOf(all);
    }

    @Override
    boolean trainsArchitecture() {
        return false;
    }

    /** Uniform single-path training: a fresh path of independently uniform ops every step. */
    @Override
    Steps steps(AlgorithmSetting setting, Seeds seeds) {
        SplittableRandom paths = seeds.forPurpose("path-sampling");
        return (trainer, train, valid, updateArchitecture, context) -> {
            trainer.supernet().useSinglePath(trainer.supernet().randomPath(paths));
            trainer.weightStep(train, context);
        };
    }

    /** One path of the full supernet, uniform over all cells, hence every edge's op uniform and independent. */
    static Genotype samplePath(SplittableRandom random) {
        return Nb201Space.full().randomCell(random);
    }

    /**
     * Searches {@code space} with a fitness (the shared-weight score in a run, any function in tests);
     * returns the best candidate, its score and the best-so-far scores.
     */
    abstract Choice search(ToDoubleFunction<Genotype> fitness, AlgorithmSetting setting, Seeds seeds, Nb201Space space);

    /** {@link #search(ToDoubleFunction, AlgorithmSetting, Seeds, Nb201Space)} over the full space. */
    Choice search(ToDoubleFunction<Genotype> fitness, AlgorithmSetting setting, Seeds seeds) {
        return search(fitness, setting, seeds, Nb201Space.full());
    }

    @Override
    int scoreImages(AlgorithmSetting setting) {
        int images = (int) SupernetSettings.number(setting, setting.params(), "score-images", SCORE_IMAGES);
        if (images < 0) {
            throw new UserInputException("algorithm '" + setting.id() + "' parameter score-images must be >= 0, got "
                    + images);
        }
        return images;
    }

    @Override
    Choice choose(SupernetRun run, SearchContext context) {
        AlgorithmSetting setting = context.spec().algorithm();
        return search(run::score, setting, context.seeds(), context.space());
    }

    /**
     * Validation accuracy of a path with the shared weights. Each distinct genotype is scored once
     * while the weights stay as they are; {@link #evaluations()} counts them, the budget's unit.
     */
    static final class Scorer implements AutoCloseable {
        private final SupernetSession session;
        private final Nb201Supernet net;
        private final ParameterStore store;
        private final List<TrainingHook> hooks;
        private final NDManager owner;
        private final NDArray images;
        private final NDArray labels;
        private final Map<Genotype, Double> scores = new HashMap<>();

        Scorer(SupernetSession session, NDManager manager, PreparedData data, int count, SearchContext context) {
            this.session = session;
            this.net = session.supernet();
            this.store = new ParameterStore(manager, false);
            this.hooks = context.hooks();
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

        double score(Genotype genotype) {
            Double known = scores.get(genotype);
            if (known != null) {
                return known;
            }
            for (TrainingHook hook : hooks) {
                hook.selectWeights(genotype, session);
            }
            net.useSinglePath(genotype);
            for (TrainingHook hook : hooks) {
                hook.beforeScoring(session);
            }
            double accuracy = accuracy();
            scores.put(genotype, accuracy);
            return accuracy;
        }

        /** Validation accuracy of the supernet as it stands, in inference mode. */
        double accuracy() {
            long n = images.getShape().get(0);
            double accuracy;
            try (NDScope scope = new NDScope()) {
                NDArray correct = owner.zeros(new Shape(), DataType.INT64);
                for (long from = 0; from < n; from += SCORE_BATCH) {
                    NDIndex range = new NDIndex("{}:{}", from, Math.min(n, from + SCORE_BATCH));
                    NDArray logits = net.forward(store, new NDList(images.get(range)), false).singletonOrThrow();
                    correct.addi(logits.argMax(1).eq(labels.get(range)).sum());
                }
                accuracy = correct.getLong() / (double) n;
            }
            return accuracy;
        }

        /** Forgets the cached scores: the weights have changed. */
        void forget() {
            scores.clear();
        }

        int evaluations() {
            return scores.size();
        }

        @Override
        public void close() {
            owner.close();
        }
    }
}
