package org.trickbench.core.train;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import org.trickbench.core.data.Augment;
import org.trickbench.core.data.DataPreparation;
import org.trickbench.core.data.DeviceSplit;
import org.trickbench.core.data.PreparedData;
import org.trickbench.core.device.ConvBackend;
import org.trickbench.core.nd.Fill;
import org.trickbench.core.seed.Seeds;

/**
 * Trains one standalone network with a protocol, evaluating after every epoch. Data stay on the
 * device; each step gathers its batch, augments it with batched tensor operations and runs the hook
 * chain. Nothing is copied to the host inside an epoch: losses and correct counts accumulate on the
 * device and are read once at the epoch's end, where a NaN or infinite loss ends the run as diverged.
 *
 * <p>Native memory: everything a step allocates lives in that step's {@link NDScope} and is freed when
 * the step ends; weights, optimiser state and the data set are owned by the model's and the caller's
 * managers.
 */
public final class TrainingLoop {
    /** Images per evaluation forward pass on a GPU, where a large batch amortises kernel launches. */
    private static final int GPU_EVAL_BATCH = 1024;

    private TrainingLoop() {}

    /**
     * Images per evaluation forward pass: the protocol's training batch on a CPU, {@value #GPU_EVAL_BATCH}
     * on a GPU. On a CPU a larger batch is slower, not faster: libtorch's native convolution unfolds the
     * whole batch's input into one buffer (batch × in-channels × kernel² × output pixels), which at 1,024
     * images passes glibc's largest mmap threshold (32 MiB), so every convolution of the evaluation maps,
     * zero-fills and unmaps a fresh buffer (measured in docs/performance.md: an evaluation of the 10,000
     * test images at the smoke size took about twice as long in batches of 1,024 as of 128). Evaluation
     * in eval mode treats every image alone, so the batch changes no prediction beyond rounding.
     */
    static int evaluationBatch(Protocol protocol, Device device) {
        return device.isGpu() ? Math.max(GPU_EVAL_BATCH, protocol.batchSize()) : protocol.batchSize();
    }

    /** What to train: an architecture at a network size, a protocol, prepared data, a seed and the hooks. */
    public record Request(StandaloneNetwork network, Protocol protocol, PreparedData data, Seeds seeds,
            List<TrainingHook> hooks) {
        public Request {
            Objects.requireNonNull(network, "network");
            Objects.requireNonNull(protocol, "protocol");
            Objects.requireNonNull(data, "data");
            Objects.requireNonNull(seeds, "seeds");
            hooks = List.copyOf(hooks);
        }
    }

    /** Progress and per-epoch results, as they happen. */
    public interface Listener {
        default void onStep(int epoch, long step, long totalSteps) {}

        default void onEpoch(EpochMetrics metrics) {}
    }

    public static TrainResult train(Request request, Listener listener) {
        PreparedData data = request.data();
        StandaloneNetwork.Built built = request.network().build(request.protocol(), data,
                new TrainingHooks(request.hooks()));
        List<TrainingHook> all = new ArrayList<>(built.hooks());
        all.addAll(request.hooks());
        TrainingHooks hooks = new TrainingHooks(all);
        Protocol protocol = built.protocol();
        Block network = built.network();
        Device device = data.train().images().getDevice();
        long started = System.nanoTime();

        NesterovSgd optimizer = NesterovSgd.of(protocol);
        DefaultTrainingConfig trainingConfig = trainingConfig(optimizer, device);
        try (Model model = Model.newInstance("standalone", device)) {
            model.setBlock(network);
            try (Trainer trainer = model.newTrainer(trainingConfig)) {
                Shape inputShape = built.inputShape();
                request.seeds().onEngine("train", () -> {
                    trainer.initialize(inputShape);
                    return null;
                });
                ConvBackend.ensureFor(network);
                Run run = new Run(trainer, network, protocol, data, request, hooks, listener, optimizer);
                return run.execute(request.network().countParameters(network), built.flops(), started);
            }
        }
    }

    /** The trainer's configuration: the optimiser on the device, weights started as PyTorch starts them. */
    static DefaultTrainingConfig trainingConfig(NesterovSgd optimizer, Device device) {
        return new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                .optOptimizer(optimizer)
                .optDevices(new Device[] {device})
                .optInitializer(new TorchDefaultInitializer(), Parameter.Type.WEIGHT);
    }

    /** The state of one training, so that steps can be re-run for hooks such as SAM. */
    private static final class Run {
        private final Trainer trainer;
        private final Protocol protocol;
        private final PreparedData data;
        private final Request request;
        private final TrainingHooks hooks;
        private final Listener listener;
        private final NesterovSgd optimizer;
        private final List<NDArray> trainable;
        private final int padding;
        private NDList lastOutputs;
        private NDArray lastLoss;

        Run(Trainer trainer, Block network, Protocol protocol, PreparedData data, Request request, TrainingHooks hooks,
                Listener listener, NesterovSgd optimizer) {
            this.trainer = trainer;
            this.protocol = protocol;
            this.data = data;
            this.request = request;
            this.hooks = hooks;
            this.listener = listener;
            this.optimizer = optimizer;
            List<NDArray> weights = new ArrayList<>();
            for (Pair<String, Parameter> p : network.getParameters()) {
                if (p.getValue().requiresGradient()) {
                    weights.add(p.getValue().getArray());
                }
            }
            this.trainable = List.copyOf(weights);
            this.padding = protocol.cropPaddingAt(data.nativeSide(), data.side());
        }

        TrainResult execute(long parameters, long flops, long started) {
            DeviceSplit train = data.train();
            int n = train.count();
            int batchSize = Math.min(protocol.batchSize(), n);
            int stepsPerEpoch = stepsPerEpoch(n, batchSize);
            long totalSteps = (long) stepsPerEpoch * protocol.epochs();
            SplittableRandom order = request.seeds().forPurpose("batch-order");
            NDManager manager = trainer.getManager();
            List<EpochMetrics> history = new ArrayList<>();
            long step = 0;
            for (int epoch = 0; epoch < protocol.epochs(); epoch++) {
                long epochStart = System.nanoTime();
                double lr = protocol.learningRateAt(step, totalSteps);
                double trainLoss;
                double trainAcc;
                try (NDScope epochScope = new NDScope()) {
                    NDArray perm = manager.create(toLongs(DataPreparation.permutation(n, order))).toDevice(
                            train.images().getDevice(), false);
                    NDArray lossSum = manager.zeros(new Shape(), DataType.FLOAT32, train.images().getDevice());
                    NDArray correct = manager.zeros(new Shape(), DataType.INT64, train.images().getDevice());
                    for (int s = 0; s < stepsPerEpoch; s++, step++) {
                        lr = protocol.learningRateAt(step, totalSteps);
                        try (NDScope stepScope = new NDScope()) {
                            int from = s * batchSize;
                            int to = Math.min(n, from + batchSize);
                            StepContext ctx = new StepContext(epoch, protocol.epochs(), step, totalSteps, lr, null,
                                    request.seeds(), trainable);
                            Batch finalBatch = hooks.transformBatch(
                                    trainingBatch(perm.get(new NDIndex("{}:{}", from, to)), ctx), ctx);
                            // A recomputation (SAM's second pass) sees the same step context as the first.
                            StepContext[] self = new StepContext[1];
                            StepContext context = new StepContext(epoch, protocol.epochs(), step, totalSteps, lr,
                                    () -> forwardBackward(finalBatch, self[0]), request.seeds(), trainable);
                            self[0] = context;
                            forwardBackward(finalBatch, context);
                            lossSum.addi(lastLoss.stopGradient().mul(finalBatch.size()));
                            correct.addi(lastOutputs.get(0).argMax(1).eq(finalBatch.labels()).sum());
                            optimizer.setLearningRate((float) lr);
                            hooks.step(context, this::update);
                        }
                        listener.onStep(epoch, step, totalSteps);
                    }
                    long seen = (long) Math.min(n, stepsPerEpoch * batchSize);
                    trainLoss = lossSum.getFloat() / seen;
                    trainAcc = correct.getLong() / (double) seen;
                }
                if (!Double.isFinite(trainLoss)) {
                    EpochMetrics failed = new EpochMetrics(epoch, trainLoss, trainAcc, Double.NaN, lr,
                            seconds(epochStart));
                    listener.onEpoch(failed);
                    return new TrainResult(true, epoch, history, parameters, flops, seconds(started));
                }
                double evalAcc = evaluate(data.eval());
                EpochMetrics metrics = new EpochMetrics(epoch, trainLoss, trainAcc, evalAcc, lr, seconds(epochStart));
                history.add(metrics);
                hooks.afterEpoch(EpochContext.ended(metrics, protocol.epochs(), trainer.getModel().getBlock()));
                listener.onEpoch(metrics);
            }
            return new TrainResult(false, null, history, parameters, flops, seconds(started));
        }

        private Batch trainingBatch(NDArray indices, StepContext step) {
            return TrainingLoop.trainingBatch(data, protocol, padding, hooks, indices, step);
        }

        private void forwardBackward(Batch batch, StepContext context) {
            zeroGradients();
            try (GradientCollector collector = new ThreadGradientCollector()) {
                NDList outputs = trainer.forward(new NDList(batch.images()));
                NDArray loss = hooks.lossFor(outputs, batch, context, TrainingLoop::crossEntropy);
                collector.backward(loss);
                lastOutputs = outputs;
                lastLoss = loss;
            }
        }

        /** The optimiser step on the gradients as they stand, clipped first when the protocol says so. */
        private void update() {
            GradientClipping.clipWeights(trainable, protocol.gradClip());
            trainer.step();
        }

        private void zeroGradients() {
            for (NDArray weight : trainable) {
                if (weight.hasGradient()) {
                    Fill.zero(weight.getGradient());
                }
            }
        }

        private double evaluate(DeviceSplit split) {
            int n = split.count();
            try (NDScope scope = new NDScope()) {
                NDArray correct = trainer.getManager().zeros(new Shape(), DataType.INT64, split.images().getDevice());
                int batch = evaluationBatch(protocol, split.images().getDevice());
                for (int from = 0; from < n; from += batch) {
                    try (NDScope batchScope = new NDScope()) {
                        NDIndex range = new NDIndex("{}:{}", from, Math.min(n, from + batch));
                        NDArray x = data.normalize(split.images().get(range));
                        NDArray logits = trainer.evaluate(new NDList(x)).get(0);
                        correct.addi(logits.argMax(1).eq(split.labels().get(range)).sum());
                    }
                }
                return correct.getLong() / (double) n;
            }
        }
    }

    /**
     * The training batch of {@code indices}: the images through the hooks' pixel transforms, the
     * protocol's crop and flip (drawn for the step) and normalisation, with one-hot (or smoothed) targets.
     */
    static Batch trainingBatch(PreparedData data, Protocol protocol, int padding, TrainingHooks hooks,
            NDArray indices, StepContext step) {
        DeviceSplit train = data.train();
        NDArray images = train.images().get(indices);
        NDArray labels = train.labels().get(indices);
        NDArray unaugmented = hooks.transformImages(images, step);
        images = data.normalize(step.onEngine("crop-flip",
                () -> Augment.cropAndFlip(unaugmented, padding, protocol.horizontalFlip())));
        NDArray targets = labels.oneHot(train.classes());
        if (protocol.labelSmoothing() > 0) {
            double eps = protocol.labelSmoothing();
            targets = targets.mul(1 - eps).add(eps / train.classes());
        }
        return new Batch(images, targets, labels);
    }

    /**
     * Batches of the protocol's size; a last batch of one image is dropped because BatchNorm cannot
     * normalise a single sample in training.
     */
    static int stepsPerEpoch(int n, int batchSize) {
        int steps = (n + batchSize - 1) / batchSize;
        return n % batchSize == 1 && steps > 1 ? steps - 1 : steps;
    }

    /** Cross-entropy against soft targets: −Σ_k y_k log softmax(z)_k, averaged over the batch. */
    public static NDArray crossEntropy(NDArray logits, NDArray targets) {
        return logits.logSoftmax(1).mul(targets).sum(new int[] {1}).mean().neg();
    }

    /**
     * The loss at the end of every hook chain: {@link #crossEntropy} of the first output (the network's
     * logits) against the batch's soft targets.
     */
    public static NDArray crossEntropy(NDList outputs, Batch batch) {
        return crossEntropy(outputs.get(0), batch.targets());
    }

    static long[] toLongs(int[] a) {
        long[] l = new long[a.length];
        for (int i = 0; i < a.length; i++) {
            l[i] = a[i];
        }
        return l;
    }

    static double seconds(long sinceNanos) {
        return (System.nanoTime() - sinceNanos) / 1e9;
    }
}
