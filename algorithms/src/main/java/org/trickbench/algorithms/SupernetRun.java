package org.trickbench.algorithms;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongToDoubleFunction;
import org.trickbench.core.data.DataPreparation;
import org.trickbench.core.data.DeviceSplit;
import org.trickbench.core.data.PreparedData;
import org.trickbench.core.nd.Fill;
import org.trickbench.core.search.Family;
import org.trickbench.core.search.SearchContext;
import org.trickbench.core.seed.Seeds;
import org.trickbench.core.space.Architecture;
import org.trickbench.core.space.TrainableSupernet;
import org.trickbench.core.train.Batch;
import org.trickbench.core.train.Protocol;
import org.trickbench.core.train.StepContext;
import org.trickbench.core.train.SupernetSession;
import org.trickbench.core.train.TrainingHooks;
import org.trickbench.core.train.WeightTrainingHook;

/**
 * One supernet search's training machinery (trainer, batches, the algorithm's steps, the hooks) and,
 * once training is over, the {@link SupernetSession} the hooks see: validation accuracy of the mixed
 * supernet or of one path on a fixed subset of the validation half, more epochs of the same steps,
 * calibration batches and snapshots.
 */
final class SupernetRun implements SupernetSession, AutoCloseable {
    private final SupernetTrainer trainer;
    private final SearchContext context;
    private final TrainingHooks hooks;
    private final PreparedData data;
    private final SearchBatches batches;
    private final SupernetSearch.Steps steps;
    private final Protocol protocol;
    private final Family family;
    private final int scoreImages;
    private final boolean trainsArchitecture;
    private final ParameterStore store;
    private PathScorer scorer;
    private NDManager calibration;
    private NDArray calibrationOrder;
    private int epochsRun;
    private long stepsRun;

    SupernetRun(SupernetTrainer trainer, SearchContext context, PreparedData data, SearchBatches batches,
            SupernetSearch.Steps steps, Protocol protocol, Family family, int scoreImages, boolean trainsArchitecture) {
        this.trainer = trainer;
        this.context = context;
        this.hooks = new TrainingHooks(context.hooks());
        this.data = data;
        this.batches = batches;
        this.steps = steps;
        this.protocol = protocol;
        this.family = family;
        this.scoreImages = scoreImages;
        this.trainsArchitecture = trainsArchitecture;
        this.store = new ParameterStore(trainer.manager(), false);
    }

    SupernetTrainer trainer() {
        return trainer;
    }

    PreparedData data() {
        return data;
    }

    int stepsPerEpoch() {
        return batches.stepsPerEpoch();
    }

    /**
     * One epoch of the search's steps over the training half, each step's batch through the hooks'
     * {@link WeightTrainingHook#transformBatch}; the learning rate of a step is {@code lr} of its global index.
     */
    SupernetTrainer.Totals runEpoch(int epoch, int totalEpochs, long firstStep, long totalSteps,
            boolean updateArchitecture, LongToDoubleFunction lr) {
        int perEpoch = batches.stepsPerEpoch();
        try (NDScope epochScope = new NDScope()) {
            batches.startEpoch(trainer.manager());
            trainer.startEpoch();
            long step = firstStep;
            for (int s = 0; s < perEpoch; s++, step++) {
                double rate = lr.applyAsDouble(step);
                trainer.setLearningRate(rate);
                try (NDScope stepScope = new NDScope()) {
                    StepContext where = new StepContext(epoch, totalEpochs, step, totalSteps, rate, null, context.seeds(),
                            trainer.weightArrays());
                    Batch train = batches.train(s);
                    train = hooks.transformBatch(train, where);
                    int paired = s;
                    steps.step(trainer, train, () -> batches.valid(paired), updateArchitecture, where);
                }
            }
            epochsRun = epoch + 1;
            stepsRun = step;
            return trainer.finishEpoch();
        }
    }

    @Override
    public TrainableSupernet supernet() {
        return trainer.supernet();
    }

    @Override
    public Family family() {
        return family;
    }

    @Override
    public Seeds seeds() {
        return context.seeds();
    }

    /** The shared scorer: candidates on the same validation images, cached per genotype until the weights change. */
    PathScorer scorer() {
        if (scorer == null) {
            scorer = new PathScorer(this, trainer.manager(), data, scoreImages, context);
        }
        return scorer;
    }

    @Override
    public double mixedAccuracy() {
        supernet().useWeighted();
        return scorer().accuracy();
    }

    @Override
    public double score(Architecture candidate) {
        return scorer().score(candidate);
    }

    /** More epochs at the schedule's final learning rate, the Gumbel temperature of the last epoch. */
    @Override
    public void train(int epochs, boolean architecture) {
        int total = epochsRun + epochs;
        double rate = protocol.learningRateAt(stepsRun, stepsRun);
        long totalSteps = stepsRun + (long) epochs * batches.stepsPerEpoch();
        for (int i = 0; i < epochs; i++) {
            steps.startEpoch(protocol.epochs() - 1, protocol.epochs());
            runEpoch(epochsRun, total, stepsRun, totalSteps, architecture && trainsArchitecture, s -> rate);
        }
        if (scorer != null) {
            scorer.forget();
        }
    }

    @Override
    public int trainingBatches() {
        int n = data.train().count();
        int size = Math.min(protocol.batchSize(), n);
        return (n + size - 1) / size;
    }

    /** Batch {@code i} of one fixed permutation of the training half, normalised, not augmented. */
    @Override
    public Batch trainingBatch(int i) {
        DeviceSplit train = data.train();
        int n = train.count();
        if (calibrationOrder == null) {
            calibration = trainer.manager().newSubManager();
            int[] order = DataPreparation.permutation(n, context.seeds().forPurpose("calibration-order"));
            long[] l = new long[n];
            for (int k = 0; k < n; k++) {
                l[k] = order[k];
            }
            calibrationOrder = calibration.create(l).toDevice(train.images().getDevice(), false);
            NDScope.unregister(calibrationOrder);
        }
        int size = Math.min(protocol.batchSize(), n);
        int from = (i % trainingBatches()) * size;
        NDArray index = calibrationOrder.get(new NDIndex("{}:{}", from, Math.min(n, from + size)));
        NDArray labels = train.labels().get(index);
        NDArray images = data.normalize(train.images().get(index));
        return new Batch(images, labels.oneHot(train.classes(), images.getDataType()), labels);
    }

    @Override
    public NDArray forward(NDArray images, boolean training) {
        return supernet().forward(store, new NDList(images), training).singletonOrThrow();
    }

    @Override
    public Snapshot snapshot() {
        NDManager owner = trainer.manager().newSubManager();
        List<Parameter> params = new ArrayList<>();
        List<NDArray> copies = new ArrayList<>();
        try (NDScope scope = new NDScope()) {
            for (Pair<String, Parameter> p : supernet().getParameters()) {
                NDArray copy = p.getValue().getArray().duplicate();
                copy.attach(owner);
                NDScope.unregister(copy);
                params.add(p.getValue());
                copies.add(copy);
            }
        }
        return new Snapshot() {
            @Override
            public void restore() {
                for (int i = 0; i < params.size(); i++) {
                    Fill.copy(copies.get(i), params.get(i).getArray());
                }
            }

            @Override
            public void close() {
                owner.close();
            }
        };
    }

    @Override
    public void close() {
        if (scorer != null) {
            scorer.close();
        }
        if (calibration != null) {
            calibration.close();
        }
    }
}
