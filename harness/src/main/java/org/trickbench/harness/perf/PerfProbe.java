package org.trickbench.harness.perf;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;
import org.trickbench.algorithms.SupernetStepProbe;
import org.trickbench.core.UserInputException;
import org.trickbench.core.data.Augment;
import org.trickbench.core.data.DataPreparation;
import org.trickbench.core.data.DeviceSplit;
import org.trickbench.core.data.PreparedData;
import org.trickbench.core.data.RawDataset;
import org.trickbench.core.device.ConvBackend;
import org.trickbench.core.nd.Fill;
import org.trickbench.core.run.TrickSetting;
import org.trickbench.core.seed.Seeds;
import org.trickbench.core.space.nb201.MixedOp;
import org.trickbench.core.space.nb201.Nb201Network;
import org.trickbench.core.space.nb201.Nb201Supernet;
import org.trickbench.core.space.nb201.NetworkConfig;
import org.trickbench.core.train.Batch;
import org.trickbench.core.train.Fidelity;
import org.trickbench.core.train.NesterovSgd;
import org.trickbench.core.train.Protocol;
import org.trickbench.core.train.ThreadGradientCollector;
import org.trickbench.core.train.TorchDefaultInitializer;
import org.trickbench.core.train.TrainingHook;
import org.trickbench.core.train.TrainingLoop;
import org.trickbench.core.trick.Trick;
import org.trickbench.tricks.Tricks;

/**
 * Times one training configuration twice on the same device-resident data: through the harness's
 * {@link TrainingLoop} (hooks, metrics accumulated on the device, per-step scopes), and through a bare
 * DJL loop that does only what any training step must: gather the batch, the protocol's crop, flip and
 * normalisation, forward, DJL's softmax cross-entropy, backward, and the same optimiser's step. The
 * ratio of their median step times is the harness's overhead.
 *
 * <p>With a supernet mode ({@link PerfSetup#supernet()}) the two loops train the NAS-Bench-201
 * supernet in that mode instead: the search's own weight step ({@link SupernetStepProbe}) against a bare
 * forward, loss, backward and SGD step with the same draws of paths or Gumbel noise.
 *
 * <p>Each loop trains a freshly built network from the same seed. Step times are wall times between
 * the ends of consecutive steps, after waiting for the device ({@link DeviceSync}).
 */
public final class PerfProbe {
    /** Images the harness loop evaluates on after its one epoch: kept small, it is not timed. */
    private static final int EVAL_IMAGES = 64;

    private PerfProbe() {}

    /** Both loops' step statistics, and the harness's median over the bare loop's. */
    public record Result(StepStats harness, StepStats bare, long parameters) {
        public double ratio() {
            return harness.medianMillis() / bare.medianMillis();
        }
    }

    public static Result measure(PerfSetup setup, RawDataset raw, Device device) {
        List<TrainingHook> hooks = hooks(setup.tricks());
        long images = (long) setup.totalSteps() * setup.batchSize();
        if (images > raw.train().count()) {
            throw new UserInputException("--warmup + --steps = " + setup.totalSteps() + " steps of batch "
                    + setup.batchSize() + " need " + images + " training images; " + raw.id() + " has "
                    + raw.train().count() + ": lower --steps or --batch-size");
        }
        Seeds seeds = new Seeds(setup.seed());
        try (NDManager manager = NDManager.newBaseManager(device); DeviceSync sync = new DeviceSync(device)) {
            PreparedData data = smallEval(DataPreparation.prepare(raw, new Fidelity(setup.channels(), setup.cells(), 1,
                    (int) images, setup.resolution()), seeds, DataPreparation.Purpose.FINAL, manager, device));
            // The loops take turns, so that a change in the machine's load falls on both alike.
            long[] bare = new long[setup.steps() * setup.rounds()];
            long[] harness = new long[bare.length];
            long parameters = 0;
            for (int round = 0; round < setup.rounds(); round++) {
                boolean supernet = setup.supernet() != null;
                System.arraycopy(supernet ? bareSupernetLoop(setup, data, seeds, sync, manager)
                        : bareLoop(setup, data, seeds, sync, manager), 0, bare, round * setup.steps(), setup.steps());
                long[] times = new long[setup.steps()];
                parameters = supernet ? searchLoop(setup, data, seeds, sync, manager, times)
                        : harnessLoop(setup, data, seeds, hooks, sync, times);
                System.arraycopy(times, 0, harness, round * setup.steps(), setup.steps());
            }
            return new Result(StepStats.of(harness, setup.batchSize()), StepStats.of(bare, setup.batchSize()),
                    parameters);
        }
    }

    /** The harness loop, one epoch; fills the measured steps' times and returns the network's parameter count. */
    private static long harnessLoop(PerfSetup setup, PreparedData data, Seeds seeds, List<TrainingHook> hooks,
            DeviceSync sync, long[] times) {
        long[] last = {0};
        TrainingLoop.Request request = new TrainingLoop.Request(setup.genotype(), setup.channels(), setup.cells(),
                setup.protocol(), data, seeds, hooks);
        return TrainingLoop.train(request, new TrainingLoop.Listener() {
            @Override
            public void onStep(int epoch, long step, long totalSteps) {
                sync.await();
                long now = System.nanoTime();
                long measured = step - setup.warmup();
                if (measured >= 0 && measured < times.length) {
                    times[(int) measured] = now - last[0];
                }
                last[0] = now;
            }
        }).parameters();
    }

    /** The hooks of train-phase tricks with their default parameters; a search-only trick is an input error. */
    static List<TrainingHook> hooks(List<TrickSetting> tricks) {
        List<TrainingHook> hooks = new ArrayList<>();
        for (TrickSetting setting : tricks) {
            Trick trick = Tricks.byId(setting.id());
            if (!trick.phases().contains(Trick.TRAIN)) {
                throw new UserInputException("--trick " + setting.id() + " acts only in a supernet search; bench perf"
                        + " trains a standalone network, where train-phase tricks act (bench list tricks)");
            }
            hooks.add(trick.hook(setting.params()));
        }
        return hooks;
    }

    /** The same data with a few evaluation images: the harness evaluates after its epoch, untimed. */
    private static PreparedData smallEval(PreparedData d) {
        NDIndex head = new NDIndex("0:{}", Math.min(EVAL_IMAGES, d.eval().count()));
        DeviceSplit eval = new DeviceSplit(d.eval().images().get(head), d.eval().labels().get(head), d.eval().classes());
        return new PreparedData(d.dataset(), d.train(), eval, d.evalName(), d.mean(), d.std(), d.nativeSide(),
                d.splitDescription());
    }

    /** The bare loop: per-step times of the measured steps, in nanoseconds. */
    private static long[] bareLoop(PerfSetup setup, PreparedData data, Seeds seeds, DeviceSync sync,
            NDManager manager) {
        Protocol protocol = setup.protocol();
        NetworkConfig config = config(setup, data);
        Block network = Nb201Network.build(setup.genotype(), config);
        Device device = data.train().images().getDevice();
        seeds.seedEngine("train");
        NesterovSgd optimizer = NesterovSgd.of(protocol);
        DefaultTrainingConfig trainingConfig = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                .optOptimizer(optimizer)
                .optDevices(new Device[] {device})
                .optInitializer(new TorchDefaultInitializer(), Parameter.Type.WEIGHT);
        long[] times;
        int batch = setup.batchSize();
        int padding = protocol.cropPaddingAt(data.nativeSide(), data.side());
        DeviceSplit train = data.train();
        try (Model model = Model.newInstance("bare", device)) {
            model.setBlock(network);
            try (Trainer trainer = model.newTrainer(trainingConfig)) {
                trainer.initialize(Nb201Network.inputShape(config, 2));
                ConvBackend.ensureFor(network);
                List<NDArray> weights = new ArrayList<>();
                for (Pair<String, Parameter> p : network.getParameters()) {
                    if (p.getValue().requiresGradient()) {
                        weights.add(p.getValue().getArray());
                    }
                }
                NDArray orderOnDevice = order(data, seeds, manager);
                times = timeSteps(setup, sync, s -> {
                    NDArray index = orderOnDevice.get(new NDIndex("{}:{}", s * batch, (s + 1) * batch));
                    NDArray x = data.normalize(Augment.cropAndFlip(train.images().get(index), padding,
                            protocol.horizontalFlip()));
                    NDArray y = train.labels().get(index);
                    // The optimiser does not clear gradients, and libtorch's backward adds to them.
                    for (NDArray w : weights) {
                        if (w.hasGradient()) {
                            Fill.zero(w.getGradient());
                        }
                    }
                    try (GradientCollector collector = trainer.newGradientCollector()) {
                        NDList logits = trainer.forward(new NDList(x));
                        collector.backward(trainer.getLoss().evaluate(new NDList(y), logits));
                    }
                    trainer.step();
                });
            }
        }
        return times;
    }

    /**
     * The search's weight step in the setup's supernet mode ({@link SupernetStepProbe}): learning rate,
     * the mode's draw, forward, loss, backward, metrics, gradient clipping and SGD on the weights the pass
     * used. Fills the measured steps' times and returns the supernet's weight count.
     */
    private static long searchLoop(PerfSetup setup, PreparedData data, Seeds seeds, DeviceSync sync,
            NDManager manager, long[] times) {
        Protocol protocol = setup.protocol();
        int padding = protocol.cropPaddingAt(data.nativeSide(), data.side());
        long total = setup.totalSteps();
        try (NDManager own = manager.newSubManager();
                SupernetStepProbe probe = SupernetStepProbe.open(config(setup, data), setup.supernet(), protocol, seeds,
                        own)) {
            NDArray order = order(data, seeds, own);
            long[] measured = timeSteps(setup, sync,
                    s -> probe.step(batch(data, order, s, setup.batchSize(), padding, protocol), s, total));
            System.arraycopy(measured, 0, times, 0, times.length);
            return probe.parameters();
        }
    }

    /**
     * The bare loop on the same supernet in the same mode: the batch, the mode's draw, forward, loss,
     * backward and the same optimiser's step on the weights the pass used; no hooks, no metrics, no
     * clipping. Per-step times of the measured steps, in nanoseconds.
     */
    private static long[] bareSupernetLoop(PerfSetup setup, PreparedData data, Seeds seeds, DeviceSync sync,
            NDManager manager) {
        Protocol protocol = setup.protocol();
        MixedOp.Mode mode = setup.supernet();
        int padding = protocol.cropPaddingAt(data.nativeSide(), data.side());
        try (NDManager own = manager.newSubManager()) {
            Nb201Supernet net = SupernetStepProbe.supernet(config(setup, data), seeds, own);
            List<Parameter> weights = net.weights();
            List<Parameter> gradients = new ArrayList<>(weights);
            gradients.add(net.alpha());
            NesterovSgd optimizer = NesterovSgd.of(protocol);
            ParameterStore store = new ParameterStore(own, false);
            SplittableRandom random = SupernetStepProbe.random(mode, seeds);
            NDArray order = order(data, seeds, own);
            return timeSteps(setup, sync, s -> {
                Batch b = batch(data, order, s, setup.batchSize(), padding, protocol);
                SupernetStepProbe.selectMode(net, mode, random, own);
                for (Parameter p : gradients) {
                    if (p.getArray().hasGradient()) {
                        Fill.zero(p.getArray().getGradient());
                    }
                }
                try (GradientCollector collector = new ThreadGradientCollector()) {
                    NDArray logits = net.forward(store, new NDList(b.images()), true).singletonOrThrow();
                    collector.backward(TrainingLoop.crossEntropy(logits, b.targets()));
                }
                for (Parameter p : mode == MixedOp.Mode.WEIGHTED ? weights : net.weights(net.lastPath())) {
                    NDArray w = p.getArray();
                    optimizer.update(p.getId(), w, w.getGradient());
                }
            });
        }
    }

    /**
     * Runs the warm-up and measured steps, each in its own memory scope, and returns the measured steps'
     * wall times in nanoseconds, each from the end of the step before it to its own end.
     */
    private static long[] timeSteps(PerfSetup setup, DeviceSync sync, IntConsumer step) {
        long[] times = new long[setup.steps()];
        long last = System.nanoTime();
        for (int s = 0; s < setup.totalSteps(); s++) {
            try (NDScope scope = new NDScope()) {
                step.accept(s);
            }
            sync.await();
            long now = System.nanoTime();
            if (s >= setup.warmup()) {
                times[s - setup.warmup()] = now - last;
            }
            last = now;
        }
        return times;
    }

    private static NetworkConfig config(PerfSetup setup, PreparedData data) {
        return new NetworkConfig(data.channels(), data.side(), data.side(), data.classes(), setup.channels(),
                setup.cells());
    }

    /** The training images' batch order, the same for every loop, on their device. */
    private static NDArray order(PreparedData data, Seeds seeds, NDManager manager) {
        int[] perm = DataPreparation.permutation(data.train().count(), seeds.forPurpose("batch-order"));
        long[] order = new long[perm.length];
        for (int i = 0; i < perm.length; i++) {
            order[i] = perm[i];
        }
        return manager.create(order).toDevice(data.train().images().getDevice(), false);
    }

    /** Step {@code s}'s batch: gathered, cropped, flipped and normalised, with one-hot targets. */
    private static Batch batch(PreparedData data, NDArray order, int s, int size, int padding, Protocol protocol) {
        DeviceSplit train = data.train();
        NDArray index = order.get(new NDIndex("{}:{}", s * size, (s + 1) * size));
        NDArray images = data.normalize(Augment.cropAndFlip(train.images().get(index), padding,
                protocol.horizontalFlip()));
        NDArray labels = train.labels().get(index);
        return new Batch(images, labels.oneHot(train.classes(), images.getDataType()), labels);
    }
}
