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
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.util.Pair;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
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
import org.trickbench.core.space.SearchSpaces;
import org.trickbench.core.space.nb201.Nb201Supernet;
import org.trickbench.core.space.nb201.NetworkConfig;
import org.trickbench.core.train.Batch;
import org.trickbench.core.train.Fidelity;
import org.trickbench.core.train.GroupedStandalone;
import org.trickbench.core.train.GroupedTrainingLoop;
import org.trickbench.core.train.NesterovSgd;
import org.trickbench.core.train.Protocol;
import org.trickbench.core.train.ThreadGradientCollector;
import org.trickbench.core.train.TorchDefaultInitializer;
import org.trickbench.core.train.StandaloneNetwork;
import org.trickbench.core.train.TrainingHook;
import org.trickbench.core.train.TrainingHooks;
import org.trickbench.core.train.TrainingLoop;
import org.trickbench.core.trick.Phase;
import org.trickbench.core.trick.Trick;
import org.trickbench.tricks.Tricks;

/**
 * Times one training configuration twice on the same device-resident data: through the harness's
 * {@link TrainingLoop} (hooks, metrics accumulated on the device, per-step scopes), and through a bare
 * DJL loop that does only what any training step must: gather the batch, the protocol's crop, flip and
 * normalisation, forward, DJL's softmax cross-entropy, backward, and the same optimiser's step. The
 * throughput ratio of the two (the bare loop's median step time ÷ the harness's) shows the harness's
 * overhead: below 1 the harness is slower.
 *
 * <p>With a {@link PytorchPeer} a third loop takes its turn: a plain PyTorch eager loop of the same
 * network in another process, run twice per round, with oneDNN matched to the convolution backend the
 * harness chose ({@link ConvBackend}) and with PyTorch's default.
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

    /**
     * Every loop's step statistics. {@code convBackend} is the convolution backend the harness trained
     * on; {@code pytorch} is null unless the PyTorch peer ran.
     */
    public record Result(StepStats harness, StepStats bare, long parameters, ConvBackend.Backend convBackend,
            PeerResult pytorch) {
        /** Throughput ratio harness : bare ({@link #throughputRatio}): above 1 the harness is faster. */
        public double harnessVsBare() {
            return throughputRatio(harness, bare);
        }
    }

    /**
     * The PyTorch peer's step statistics, once with its oneDNN setting matched to the harness's convolution
     * backend (oneDNN off where the harness runs libtorch's native kernels) and once with PyTorch's default
     * (oneDNN on), with the Python that ran it, its torch build, its network's parameter count and the
     * largest peak resident memory of its runs.
     */
    public record PeerResult(String python, boolean matchedOneDnn, StepStats matched, StepStats byDefault,
            JsonNode build, long parameters, long maxRssKib) {}

    /**
     * Throughput ratio of the harness against another loop: the other loop's median step time ÷ the
     * harness's. Above 1 the harness is faster.
     */
    public static double throughputRatio(StepStats harness, StepStats other) {
        return other.medianMillis() / harness.medianMillis();
    }

    public static Result measure(PerfSetup setup, RawDataset raw, Device device) {
        return measure(setup, raw, device, null);
    }

    /**
     * Times the harness and bare loops and, with a {@code peer}, the PyTorch peer twice per round (oneDNN
     * matched to the harness's backend, then PyTorch's default) at libtorch's intra-op thread count.
     */
    public static Result measure(PerfSetup setup, RawDataset raw, Device device, PytorchPeer peer) {
        return measure(setup, raw, device, peer, (loop, step) -> {});
    }

    /** Told after every step of the harness and bare loops, once the step's memory scope has closed. */
    interface StepObserver {
        void afterStep(String loop, int step);
    }

    static Result measure(PerfSetup setup, RawDataset raw, Device device, PytorchPeer peer, StepObserver observer) {
        if (peer != null && setup.supernet() != null) {
            throw new IllegalArgumentException("the PyTorch peer trains a standalone network, not a supernet");
        }
        if (peer != null && !setup.space().id().equals(SearchSpaces.NB201)) {
            throw new UserInputException("--peer pytorch builds NAS-Bench-201 networks only; leave it out for the "
                    + setup.space().id() + " genotype " + setup.genotype().canonical());
        }
        List<TrainingHook> hooks = hooks(setup.tricks());
        Seeds seeds = new Seeds(setup.seed());
        try (NDManager manager = NDManager.newBaseManager(device); DeviceSync sync = new DeviceSync(device)) {
            PreparedData data = prepare(setup, raw, seeds, manager, device);
            // The loops take turns, so that a change in the machine's load falls on both alike.
            int n = setup.steps();
            long[] bare = new long[n * setup.rounds()];
            long[] harness = new long[bare.length];
            long[] matched = new long[bare.length];
            long[] byDefault = new long[bare.length];
            long parameters = 0;
            boolean matchedOneDnn = true;
            PytorchPeer.Request request = peer == null ? null : peerRequest(setup, data, device);
            long peerParameters = 0;
            long maxRss = 0;
            for (int round = 0; round < setup.rounds(); round++) {
                boolean supernet = setup.supernet() != null;
                System.arraycopy(supernet ? bareSupernetLoop(setup, data, seeds, sync, manager, observer)
                        : bareLoop(setup, data, seeds, sync, manager, observer), 0, bare, round * n, n);
                long[] times = new long[n];
                parameters = supernet ? searchLoop(setup, data, seeds, sync, manager, times, observer)
                        : harnessLoop(setup, data, seeds, hooks, sync, times, observer);
                System.arraycopy(times, 0, harness, round * n, n);
                if (peer != null) {
                    // Both loops have chosen the backend by now (ConvBackend.ensureFor), for good.
                    matchedOneDnn = ConvBackend.inForce() == ConvBackend.Backend.ONEDNN;
                    PytorchPeer.Run asHarness = peer.run(request, matchedOneDnn);
                    PytorchPeer.Run asDefault = peer.run(request, true);
                    System.arraycopy(asHarness.stepNanos(), 0, matched, round * n, n);
                    System.arraycopy(asDefault.stepNanos(), 0, byDefault, round * n, n);
                    peerParameters = asHarness.report().path("parameters").asLong();
                    // Tricks may change the harness's network (an auxiliary head); without them both train
                    // the same one.
                    if (hooks.isEmpty() && peerParameters != parameters) {
                        throw new IllegalStateException("the PyTorch peer's network has " + peerParameters
                                + " parameters, the harness's " + parameters + ": they do not train the same network");
                    }
                    maxRss = Math.max(maxRss, Math.max(asHarness.report().path("max_rss_kib").asLong(),
                            asDefault.report().path("max_rss_kib").asLong()));
                }
            }
            PeerResult pytorch = peer == null ? null : new PeerResult(peer.python().toString(), matchedOneDnn,
                    StepStats.of(matched, setup.batchSize()), StepStats.of(byDefault, setup.batchSize()),
                    peer.build(), peerParameters, maxRss);
            return new Result(StepStats.of(harness, setup.batchSize()), StepStats.of(bare, setup.batchSize()),
                    parameters, ConvBackend.inForce(), pytorch);
        }
    }

    /**
     * K runs of one configuration trained one at a time and grouped ({@code bench perf --batch-runs K}).
     * {@code oneAtATime} pools the steps of the K lone trainings (images per second at one run's batch);
     * {@code grouped} holds the grouped network's steps, each training all K runs (images per second at K
     * batches).
     */
    public record BatchResult(int runs, StepStats oneAtATime, StepStats grouped, long parameters,
            ConvBackend.Backend convBackend) {
        /**
         * Trainings per hour grouped ÷ one at a time: K × a lone step's median time ÷ a grouped step's.
         * Above 1 grouping is faster.
         */
        public double trainingsPerHourRatio() {
            return runs * oneAtATime.medianMillis() / grouped.medianMillis();
        }
    }

    /**
     * Times K runs (seeds {@code seed} to {@code seed + K − 1}) through the harness loop one after another,
     * then as one grouped network ({@link GroupedTrainingLoop}), taking turns for {@code rounds}. Each run
     * trains on the same prepared data with its own seeds and hooks, as a batch of runs trains; the
     * evaluation after the epoch is not timed.
     */
    public static BatchResult measureBatched(PerfSetup setup, RawDataset raw, Device device, int runs) {
        checkBatchable(setup, runs);
        try (NDManager manager = NDManager.newBaseManager(device); DeviceSync sync = new DeviceSync(device)) {
            PreparedData data = prepare(setup, raw, new Seeds(setup.seed()), manager, device);
            int n = setup.steps();
            long[] alone = new long[n * runs * setup.rounds()];
            long[] grouped = new long[n * setup.rounds()];
            long parameters = 0;
            for (int round = 0; round < setup.rounds(); round++) {
                for (int i = 0; i < runs; i++) {
                    long[] times = new long[n];
                    parameters = harnessLoop(setup, data, new Seeds(setup.seed() + i), hooks(setup.tricks()), sync,
                            times, (loop, step) -> {});
                    System.arraycopy(times, 0, alone, (round * runs + i) * n, n);
                }
                long[] times = new long[n];
                groupedLoop(setup, data, runs, sync, times);
                System.arraycopy(times, 0, grouped, round * n, n);
            }
            return new BatchResult(runs, StepStats.of(alone, setup.batchSize()),
                    StepStats.of(grouped, runs * setup.batchSize()), parameters, ConvBackend.inForce());
        }
    }

    /**
     * Exits 2 unless K runs of this setup can train as one network: K at least 1, a standalone network of
     * a space with a grouped network, and tricks that act within their own run's batch and loss.
     */
    public static void checkBatchable(PerfSetup setup, int runs) {
        if (runs < 1) {
            throw new UserInputException("--batch-runs must be at least 1, got " + runs);
        }
        if (setup.supernet() != null) {
            throw new UserInputException("--batch-runs times standalone trainings; leave out --supernet");
        }
        if (!(setup.standalone() instanceof GroupedStandalone)) {
            throw new UserInputException("--batch-runs: the " + setup.space().id() + " space has no grouped network"
                    + " (runs of it train alone); use a NAS-Bench-201 genotype");
        }
        for (TrickSetting trick : setup.tricks()) {
            if (!GroupedTrainingLoop.batchable(Tricks.byId(trick.id()).hook(trick.params()))) {
                throw new UserInputException("--batch-runs: trick '" + trick.id() + "' cannot be grouped (it acts"
                        + " beyond its own run's batch and loss; bench list tricks marks such tricks)");
            }
        }
    }

    /** K runs as one grouped network, one epoch; fills the measured grouped steps' times. */
    private static void groupedLoop(PerfSetup setup, PreparedData data, int runs, DeviceSync sync, long[] times) {
        List<TrainingLoop.Request> requests = new ArrayList<>();
        List<TrainingLoop.Listener> listeners = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            requests.add(new TrainingLoop.Request(setup.standalone(), setup.protocol(), data,
                    new Seeds(setup.seed() + i), hooks(setup.tricks())));
            // Every run hears every grouped step; the first run's listener times them.
            listeners.add(i > 0 ? new TrainingLoop.Listener() {} : stepTimer(setup, sync, times, "grouped",
                    (loop, step) -> {}));
        }
        GroupedTrainingLoop.train(requests, listeners);
    }

    /**
     * Runs the harness loop once more, untimed, with libtorch's profiler on over the timed steps (from the
     * end of the last warm-up step to the end of the last step), writes its trace to {@code file} and
     * summarises it.
     */
    public static OpTrace trace(PerfSetup setup, RawDataset raw, Device device, Path file) {
        checkTraceable(setup);
        List<TrainingHook> hooks = hooks(setup.tricks());
        Seeds seeds = new Seeds(setup.seed());
        long[] wall = new long[1];
        try (NDManager manager = NDManager.newBaseManager(device); DeviceSync sync = new DeviceSync(device)) {
            PreparedData data = prepare(setup, raw, seeds, manager, device);
            int first = setup.warmup() - 1;
            int last = setup.totalSteps() - 1;
            harnessLoop(setup, data, seeds, hooks, sync, new long[setup.steps()], (loop, step) -> {
                if (step == first || step == last) {
                    sync.await();
                }
                if (step == first) {
                    JniUtils.startProfile(device.isGpu(), false, true);
                    wall[0] = System.nanoTime();
                } else if (step == last) {
                    wall[0] = System.nanoTime() - wall[0];
                    JniUtils.stopProfile(file.toAbsolutePath().toString());
                }
            });
        }
        return OpTrace.read(file, setup.steps(), wall[0] / 1e6);
    }

    /**
     * Exits 2 for a setup {@link #trace} cannot profile, a supernet's. (It needs a warm-up step, to keep
     * the cold first step out, which every setup has.)
     */
    public static void checkTraceable(PerfSetup setup) {
        if (setup.supernet() != null) {
            throw new UserInputException("--op-trace profiles the standalone harness loop; leave out --supernet");
        }
    }

    /** The training images the steps need, prepared as a run prepares them, with a few evaluation images. */
    private static PreparedData prepare(PerfSetup setup, RawDataset raw, Seeds seeds, NDManager manager,
            Device device) {
        long images = (long) setup.totalSteps() * setup.batchSize();
        if (images > raw.train().count()) {
            throw new UserInputException("--warmup + --steps = " + setup.totalSteps() + " steps of batch "
                    + setup.batchSize() + " need " + images + " training images; " + raw.id() + " has "
                    + raw.train().count() + ": lower --steps or --batch-size");
        }
        return smallEval(DataPreparation.prepare(raw, new Fidelity(setup.channels(), setup.cells(), 1, (int) images,
                setup.resolution()), seeds, DataPreparation.Purpose.FINAL, manager, device));
    }

    /** The harness's configuration for the peer: the same network, data shape, batch, steps and threads. */
    private static PytorchPeer.Request peerRequest(PerfSetup setup, PreparedData data, Device device) {
        Protocol protocol = setup.protocol();
        return new PytorchPeer.Request(setup.genotype().toString(), setup.channels(), setup.cells(), data.side(),
                data.channels(), data.classes(), setup.batchSize(), JniUtils.getNumThreads(), setup.warmup(),
                setup.steps(), protocol.cropPaddingAt(data.nativeSide(), data.side()), protocol.horizontalFlip(),
                setup.seed(), device.isGpu());
    }

    /** The harness loop, one epoch; fills the measured steps' times and returns the network's parameter count. */
    private static long harnessLoop(PerfSetup setup, PreparedData data, Seeds seeds, List<TrainingHook> hooks,
            DeviceSync sync, long[] times, StepObserver observer) {
        TrainingLoop.Request request = new TrainingLoop.Request(setup.standalone(), setup.protocol(), data, seeds, hooks);
        return TrainingLoop.train(request, stepTimer(setup, sync, times, "harness", observer)).parameters();
    }

    /**
     * A listener that fills {@code times} with the measured steps' wall times, each from the end of the
     * step before it to its own end after waiting for the device; {@code observer} hears each step first.
     */
    private static TrainingLoop.Listener stepTimer(PerfSetup setup, DeviceSync sync, long[] times, String loop,
            StepObserver observer) {
        long[] last = {System.nanoTime()};
        return new TrainingLoop.Listener() {
            @Override
            public void onStep(int epoch, long step, long totalSteps) {
                observer.afterStep(loop, (int) step);
                sync.await();
                long now = System.nanoTime();
                long measured = step - setup.warmup();
                if (measured >= 0 && measured < times.length) {
                    times[(int) measured] = now - last[0];
                }
                last[0] = now;
            }
        };
    }

    /** The hooks of train-phase tricks with their default parameters; a search-only trick is an input error. */
    static List<TrainingHook> hooks(List<TrickSetting> tricks) {
        List<TrainingHook> hooks = new ArrayList<>();
        for (TrickSetting setting : tricks) {
            Trick trick = Tricks.byId(setting.id());
            if (!trick.phases().contains(Phase.TRAIN)) {
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
            NDManager manager, StepObserver observer) {
        Protocol protocol = setup.protocol();
        // The network a run trains, without hooks: for NAS-Bench-201 the standard ops at config(setup, data).
        StandaloneNetwork.Built built = setup.standalone().build(protocol, data, new TrainingHooks(List.of()));
        Block network = built.network();
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
                trainer.initialize(built.inputShape());
                ConvBackend.ensureFor(network);
                List<NDArray> weights = new ArrayList<>();
                for (Pair<String, Parameter> p : network.getParameters()) {
                    if (p.getValue().requiresGradient()) {
                        weights.add(p.getValue().getArray());
                    }
                }
                NDArray orderOnDevice = order(data, seeds, manager);
                times = timeSteps(setup, sync, "bare", observer, s -> {
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
            NDManager manager, long[] times, StepObserver observer) {
        Protocol protocol = setup.protocol();
        int padding = protocol.cropPaddingAt(data.nativeSide(), data.side());
        long total = setup.totalSteps();
        try (NDManager own = manager.newSubManager();
                SupernetStepProbe probe = SupernetStepProbe.open(config(setup, data), setup.supernet(), protocol, seeds,
                        own)) {
            NDArray order = order(data, seeds, own);
            long[] measured = timeSteps(setup, sync, "harness", observer,
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
            NDManager manager, StepObserver observer) {
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
            return timeSteps(setup, sync, "bare", observer, s -> {
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
    private static long[] timeSteps(PerfSetup setup, DeviceSync sync, String loop, StepObserver observer,
            IntConsumer step) {
        long[] times = new long[setup.steps()];
        long last = System.nanoTime();
        for (int s = 0; s < setup.totalSteps(); s++) {
            try (NDScope scope = new NDScope()) {
                step.accept(s);
            }
            observer.afterStep(loop, s);
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
