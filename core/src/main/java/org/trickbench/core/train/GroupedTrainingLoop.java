package org.trickbench.core.train;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import java.lang.reflect.Method;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import org.trickbench.core.data.DataPreparation;
import org.trickbench.core.data.DeviceSplit;
import org.trickbench.core.data.PreparedData;
import org.trickbench.core.device.ConvBackend;
import org.trickbench.core.nd.Fill;

/**
 * Trains K runs that share a network, protocol and tricks but differ in seed as one grouped network
 * ({@link GroupedStandalone#buildGrouped}), or K runs of different networks that the space can group
 * ({@link GroupedStandalone#groupsWith}: a black-box search's candidates, each under its own seeds), each
 * run exactly as {@link TrainingLoop} trains it alone:
 * its initial weights drawn by its own seeds in its own network and copied into its group, its own
 * training subset (its prepared data), data order, augmentation and hook draws from its own seeds, its
 * loss through its own hooks. The runs' losses are summed, so each group's gradients are its run's own;
 * the optimiser ({@link NesterovSgd}) acts element by element, so each run's update is its own. What
 * takes a norm over all of a run's gradients is computed and applied run by run: the protocol's gradient
 * clipping, and SAM's step ({@link SharpnessAwareHook}). Only rounding differs from the runs trained
 * alone (grouped kernels sum in another order).
 *
 * <p>Hooks that need more than their own run's batch and loss cannot be grouped ({@link #batchable}):
 * those that wrap the optimiser step in another way, that see the network after an epoch, or that
 * configure the network itself.
 *
 * <p>Each run's results are its own: per-epoch train loss and accuracy over its batches, evaluation
 * accuracy on its evaluation split, divergence at its own epoch (the other runs go on). Wall times are
 * the group's divided by K, each run's share.
 */
public final class GroupedTrainingLoop {
    private static final Set<Class<?>> GROUPABLE_HOOK_KINDS = Set.of(TrainingHook.class, WeightTrainingHook.class,
            SharpnessAwareHook.class, SupernetSearchHook.class);

    private GroupedTrainingLoop() {}

    /**
     * Sees each run's gradients as the update will use them: after a step's backward pass (with SAM, its
     * second pass) and, where the protocol clips, after each run's clipping; before the update (e.g. to
     * compare runs).
     */
    @FunctionalInterface
    public interface GradientProbe {
        /** {@code gradients.get(i)} are run i's gradients, in its own network's shapes and trainable order. */
        void gradients(long step, List<List<NDArray>> gradients);
    }

    /**
     * Whether a run with this hook can be trained in a group: it acts only through the protocol, its
     * run's images, batch and loss ({@link WeightTrainingHook}'s other points keep their defaults), or it
     * is SAM's step ({@link SharpnessAwareHook}), which the group takes run by run; and it configures
     * nothing of the network (it implements no search space's hook).
     */
    public static boolean batchable(TrainingHook hook) {
        for (Class<?> kind : hookKinds(hook.getClass())) {
            if (!GROUPABLE_HOOK_KINDS.contains(kind)) {
                return false;
            }
        }
        return !(hook instanceof WeightTrainingHook)
                || ((hook instanceof SharpnessAwareHook || inherited(hook, "step", StepContext.class, Runnable.class))
                        && inherited(hook, "afterEpoch", EpochContext.class));
    }

    /**
     * Trains the runs of {@code requests} as one network; result i and listener i are run i's.
     *
     * @throws IllegalArgumentException when the runs do not share a groupable network, protocol and data
     *     shape, or a hook is not {@link #batchable}
     */
    public static List<TrainResult> train(List<TrainingLoop.Request> requests,
            List<? extends TrainingLoop.Listener> listeners) {
        return train(requests, listeners, null);
    }

    /** As {@link #train(List, List)}, showing {@code probe} every step's gradients, run by run (null: none). */
    public static List<TrainResult> train(List<TrainingLoop.Request> requests,
            List<? extends TrainingLoop.Listener> listeners, GradientProbe probe) {
        if (requests.isEmpty() || requests.size() != listeners.size()) {
            throw new IllegalArgumentException(requests.size() + " runs and " + listeners.size() + " listeners");
        }
        TrainingLoop.Request first = requests.get(0);
        if (!(first.network() instanceof GroupedStandalone network)) {
            throw new IllegalArgumentException("the network " + first.network() + " cannot be grouped");
        }
        int runs = requests.size();
        List<TrainingHooks> hooks = new ArrayList<>();
        List<StandaloneNetwork.Built> singles = new ArrayList<>();
        for (TrainingLoop.Request request : requests) {
            requireGroupable(network, first, request);
            TrainingHooks runHooks = new TrainingHooks(request.hooks());
            hooks.add(runHooks);
            singles.add(request.network().build(request.protocol(), request.data(), runHooks));
        }
        Protocol protocol = singles.get(0).protocol();
        for (StandaloneNetwork.Built single : singles) {
            if (!single.protocol().equals(protocol)) {
                throw new IllegalArgumentException("grouped runs train with different protocols: " + protocol
                        + " and " + single.protocol());
            }
        }
        double rho = sharpnessAware(requests);
        Device device = first.data().train().images().getDevice();
        long started = System.nanoTime();
        StandaloneNetwork.Built grouped = network.buildGrouped(
                requests.stream().map(TrainingLoop.Request::network).toList(), first.protocol(), first.data(),
                hooks.get(0));
        NesterovSgd optimizer = NesterovSgd.of(protocol);
        try (Model model = Model.newInstance("grouped", device)) {
            model.setBlock(grouped.network());
            try (Trainer trainer = model.newTrainer(TrainingLoop.trainingConfig(optimizer, device))) {
                trainer.initialize(grouped.inputShape());
                List<Block> runNetworks = singles.stream().map(StandaloneNetwork.Built::network).toList();
                long[] parameters = new long[runs];
                long[] flops = new long[runs];
                List<List<RunWeight>> trainableSlabs = new ArrayList<>();
                List<Model> runModels = new ArrayList<>();
                try {
                    List<List<GroupedParameters.Slab>> slabs = new ArrayList<>();
                    for (int i = 0; i < runs; i++) {
                        runModels.add(initialise(singles.get(i), requests.get(i), device));
                        GroupedStandalone own = (GroupedStandalone) requests.get(i).network();
                        parameters[i] = own.countParameters(runNetworks.get(i));
                        flops[i] = singles.get(i).flops();
                        slabs.add(own.slabs(runNetworks.get(i), grouped.network(), i, runs));
                        trainableSlabs.add(RunWeight.trainable(runNetworks.get(i), grouped.network(), slabs.get(i)));
                    }
                    GroupedParameters.pack(runNetworks, grouped.network(), slabs);
                    // The backend the runs alone would choose for their own shapes, then the grouped shapes.
                    runNetworks.forEach(ConvBackend::ensureFor);
                } finally {
                    runModels.forEach(Model::close);
                }
                ConvBackend.ensureFor(grouped.network());
                Group group = new Group(trainer, protocol, requests, hooks, listeners, optimizer, trainableSlabs,
                        probe, rho);
                return group.execute(parameters, flops, started);
            }
        }
    }

    /**
     * Initialises a run's own network exactly as {@link TrainingLoop} does (its trainer's initialiser,
     * under its seeds), so that its draws are its own. The returned model owns the weights until closed.
     */
    private static Model initialise(StandaloneNetwork.Built single, TrainingLoop.Request request, Device device) {
        Model model = Model.newInstance("run", device);
        model.setBlock(single.network());
        try (Trainer trainer = model.newTrainer(TrainingLoop.trainingConfig(NesterovSgd.of(single.protocol()),
                device))) {
            request.seeds().onEngine("train", () -> {
                trainer.initialize(single.inputShape());
                return null;
            });
        }
        return model;
    }

    /**
     * SAM's radius ρ for the group, 0 when its runs take no SAM step: every run must take one, with one ρ,
     * or none.
     */
    private static double sharpnessAware(List<TrainingLoop.Request> requests) {
        Set<Double> radii = new LinkedHashSet<>();
        int with = 0;
        for (TrainingLoop.Request request : requests) {
            List<SharpnessAwareHook> own = request.hooks().stream().filter(SharpnessAwareHook.class::isInstance)
                    .map(SharpnessAwareHook.class::cast).toList();
            if (own.size() > 1) {
                throw new IllegalArgumentException("a run takes " + own.size() + " SAM steps; one at most");
            }
            own.forEach(h -> radii.add(h.rho()));
            with += own.size();
        }
        if (with != 0 && (with != requests.size() || radii.size() != 1)) {
            throw new IllegalArgumentException("grouped runs take different SAM steps: " + with + " of "
                    + requests.size() + " runs, radii " + radii);
        }
        return with == 0 ? 0 : radii.iterator().next();
    }

    private static void requireGroupable(GroupedStandalone network, TrainingLoop.Request first,
            TrainingLoop.Request request) {
        if (!network.groupsWith(request.network())) {
            throw new IllegalArgumentException("grouped runs train different networks: " + first.network() + " and "
                    + request.network());
        }
        if (!request.protocol().equals(first.protocol())) {
            throw new IllegalArgumentException("grouped runs train with different protocols");
        }
        if (request.hooks().size() != first.hooks().size()) {
            throw new IllegalArgumentException("grouped runs have different hooks");
        }
        for (TrainingHook hook : request.hooks()) {
            if (!batchable(hook)) {
                throw new IllegalArgumentException("the hook " + hook.getClass().getName() + " cannot be grouped");
            }
        }
        PreparedData a = first.data();
        PreparedData b = request.data();
        if (a.train().count() != b.train().count() || a.eval().count() != b.eval().count()
                || a.channels() != b.channels() || a.side() != b.side() || a.classes() != b.classes()
                || a.nativeSide() != b.nativeSide()) {
            throw new IllegalArgumentException("grouped runs have data of different shapes");
        }
    }

    /** The state of one grouped training. */
    private static final class Group {
        private final Trainer trainer;
        private final Protocol protocol;
        private final List<TrainingLoop.Request> requests;
        private final List<TrainingHooks> hooks;
        private final List<? extends TrainingLoop.Listener> listeners;
        private final NesterovSgd optimizer;
        private final List<List<RunWeight>> slabs;
        private final GradientProbe probe;
        private final List<NDArray> trainable;
        private final int runs;
        private final int classes;
        private final int padding;
        /** SAM's radius, 0 without a SAM step. */
        private final double rho;

        Group(Trainer trainer, Protocol protocol, List<TrainingLoop.Request> requests, List<TrainingHooks> hooks,
                List<? extends TrainingLoop.Listener> listeners, NesterovSgd optimizer, List<List<RunWeight>> slabs,
                GradientProbe probe, double rho) {
            this.trainer = trainer;
            this.protocol = protocol;
            this.requests = requests;
            this.hooks = hooks;
            this.listeners = listeners;
            this.optimizer = optimizer;
            this.slabs = slabs;
            this.probe = probe;
            this.rho = rho;
            this.trainable = GroupedParameters.trainable(trainer.getModel().getBlock());
            this.runs = requests.size();
            PreparedData data = requests.get(0).data();
            this.classes = data.classes();
            this.padding = protocol.cropPaddingAt(data.nativeSide(), data.side());
        }

        List<TrainResult> execute(long[] parameters, long[] flops, long started) {
            PreparedData firstData = requests.get(0).data();
            int n = firstData.train().count();
            int batchSize = Math.min(protocol.batchSize(), n);
            int stepsPerEpoch = TrainingLoop.stepsPerEpoch(n, batchSize);
            long totalSteps = (long) stepsPerEpoch * protocol.epochs();
            Device device = firstData.train().images().getDevice();
            List<SplittableRandom> orders = new ArrayList<>();
            List<List<EpochMetrics>> histories = new ArrayList<>();
            TrainResult[] results = new TrainResult[runs];
            for (TrainingLoop.Request request : requests) {
                orders.add(request.seeds().forPurpose("batch-order"));
                histories.add(new ArrayList<>());
            }
            NDManager manager = trainer.getManager();
            long step = 0;
            for (int epoch = 0; epoch < protocol.epochs() && active(results); epoch++) {
                long epochStart = System.nanoTime();
                double lr = protocol.learningRateAt(step, totalSteps);
                double[] trainLoss = new double[runs];
                double[] trainAcc = new double[runs];
                try (NDScope epochScope = new NDScope()) {
                    List<NDArray> perms = new ArrayList<>();
                    NDArray lossSums = manager.zeros(new Shape(runs), DataType.FLOAT32, device);
                    NDArray correct = manager.zeros(new Shape(runs), DataType.INT64, device);
                    for (SplittableRandom order : orders) {
                        perms.add(manager.create(TrainingLoop.toLongs(DataPreparation.permutation(n, order)))
                                .toDevice(device, false));
                    }
                    for (int s = 0; s < stepsPerEpoch; s++, step++) {
                        lr = protocol.learningRateAt(step, totalSteps);
                        try (NDScope stepScope = new NDScope()) {
                            NDIndex range = new NDIndex("{}:{}", s * batchSize, Math.min(n, (s + 1) * batchSize));
                            step(epoch, step, totalSteps, lr, perms, range, lossSums, correct);
                        }
                        for (int i = 0; i < runs; i++) {
                            if (results[i] == null) {
                                listeners.get(i).onStep(epoch, step, totalSteps);
                            }
                        }
                    }
                    long seen = (long) Math.min(n, stepsPerEpoch * batchSize);
                    float[] losses = lossSums.toFloatArray();
                    long[] hits = correct.toLongArray();
                    for (int i = 0; i < runs; i++) {
                        trainLoss[i] = losses[i] / seen;
                        trainAcc[i] = hits[i] / (double) seen;
                    }
                }
                double[] evalAcc = evaluate();
                double seconds = TrainingLoop.seconds(epochStart) / runs;
                for (int i = 0; i < runs; i++) {
                    if (results[i] != null) {
                        continue;
                    }
                    boolean diverged = !Double.isFinite(trainLoss[i]);
                    EpochMetrics metrics = new EpochMetrics(epoch, trainLoss[i], trainAcc[i],
                            diverged ? Double.NaN : evalAcc[i], lr, seconds);
                    if (diverged) {
                        results[i] = new TrainResult(true, epoch, histories.get(i), parameters[i], flops[i],
                                TrainingLoop.seconds(started) / runs);
                    } else {
                        histories.get(i).add(metrics);
                    }
                    listeners.get(i).onEpoch(metrics);
                }
            }
            List<TrainResult> out = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                out.add(results[i] != null ? results[i] : new TrainResult(false, null, histories.get(i), parameters[i],
                        flops[i], TrainingLoop.seconds(started) / runs));
            }
            return out;
        }

        private static boolean active(TrainResult[] results) {
            for (TrainResult r : results) {
                if (r == null) {
                    return true;
                }
            }
            return false;
        }

        /** One optimiser step of every run: each run's batch as it alone would draw it, one forward and backward. */
        private void step(int epoch, long step, long totalSteps, double lr, List<NDArray> perms, NDIndex range,
                NDArray lossSums, NDArray correct) {
            List<Batch> batches = new ArrayList<>();
            List<StepContext> contexts = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                TrainingLoop.Request request = requests.get(i);
                StepContext context = new StepContext(epoch, protocol.epochs(), step, totalSteps, lr,
                        () -> {
                            throw new IllegalStateException("a grouped training cannot recompute one run's gradients");
                        }, request.seeds(), List.of());
                Batch batch = TrainingLoop.trainingBatch(request.data(), protocol, padding, hooks.get(i),
                        perms.get(i).get(range), context);
                batches.add(hooks.get(i).transformBatch(batch, context));
                contexts.add(context);
            }
            NDList images = new NDList();
            for (Batch batch : batches) {
                images.add(batch.images());
            }
            NDArray input = NDArrays.concat(images, 1);
            NDList losses = new NDList();
            NDList hits = new NDList();
            forwardBackward(input, batches, contexts, losses, hits);
            lossSums.addi(NDArrays.concat(losses));
            correct.addi(NDArrays.concat(hits));
            if (rho > 0) {
                sharpnessAware(input, batches, contexts);
            }
            if (protocol.gradClip() > 0) {
                clipPerRun(protocol.gradClip());
            }
            if (probe != null) {
                probe.gradients(step, perRunGradients());
            }
            optimizer.setLearningRate((float) lr);
            trainer.step();
        }

        /**
         * Zeroes the gradients, then one forward and backward pass of every run's batch, each run's loss
         * through its own hooks, summed; records each run's loss sum and hits when {@code losses} is given.
         */
        private void forwardBackward(NDArray input, List<Batch> batches, List<StepContext> contexts, NDList losses,
                NDList hits) {
            for (NDArray weight : trainable) {
                if (weight.hasGradient()) {
                    Fill.zero(weight.getGradient());
                }
            }
            try (GradientCollector collector = new ThreadGradientCollector()) {
                NDArray logits = trainer.forward(new NDList(input)).get(0);
                NDArray total = null;
                for (int i = 0; i < runs; i++) {
                    NDArray own = logits.get(new NDIndex(":, {}:{}", i * classes, (i + 1) * classes));
                    Batch batch = batches.get(i);
                    NDArray loss = hooks.get(i).lossFor(new NDList(own), batch, contexts.get(i),
                            TrainingLoop::crossEntropy);
                    total = total == null ? loss : total.add(loss);
                    if (losses != null) {
                        losses.add(loss.stopGradient().mul(batch.size()).reshape(1));
                        hits.add(own.argMax(1).eq(batch.labels()).sum().reshape(1));
                    }
                }
                collector.backward(total);
            }
        }

        /**
         * SAM's step for every run at once, as each run alone takes it ({@link SharpnessAwareHook}): run i's
         * weights move by ε_i = ρ·g_i / (‖g_i‖ + 1e-12), its norm over its own slabs of every gradient; the
         * gradients are recomputed on the same batches at the moved weights; the weights move back.
         */
        private void sharpnessAware(NDArray input, List<Batch> batches, List<StepContext> contexts) {
            float radius = (float) rho;
            Map<NDArray, NDArray> perturbations = new IdentityHashMap<>();
            for (Map.Entry<NDArray, NDArray> e : slabScales(norm -> norm.add(1e-12f).pow(-1).mul(radius)).entrySet()) {
                NDArray perturbation = scaled(e.getKey().getGradient(), e.getValue());
                perturbations.put(e.getKey(), perturbation);
                e.getKey().addi(perturbation);
            }
            forwardBackward(input, batches, contexts, null, null);
            perturbations.forEach(NDArray::subi);
        }

        /**
         * The protocol's gradient clipping, run by run as each run alone clips ({@link GradientClipping#clip}):
         * a run's norm over its own slabs of every gradient, in its own parameter order, and its slabs scaled by
         * min(1, max / (norm + 1e-6)); the other runs' slabs of a shared array keep their own scale.
         */
        private void clipPerRun(double maxNorm) {
            for (Map.Entry<NDArray, NDArray> e : slabScales(norm -> norm.add(1e-6).pow(-1).mul(maxNorm).minimum(1))
                    .entrySet()) {
                NDArray gradient = e.getKey().getGradient();
                Fill.copy(scaled(gradient, e.getValue()), gradient);
            }
        }

        /**
         * For every grouped weight with a gradient, a scale per slab: {@code scale} of the global gradient
         * norm of the run the slab belongs to, that norm taken over the run's own slabs in its parameter
         * order (as a run alone sums its gradients).
         */
        private Map<NDArray, NDArray> slabScales(UnaryOperator<NDArray> scale) {
            Map<NDArray, NDArray[]> each = new IdentityHashMap<>();
            for (List<RunWeight> own : slabs) {
                NDArray total = null;
                for (RunWeight w : own) {
                    if (w.grouped().hasGradient()) {
                        NDArray sq = GroupedParameters.slice(w.grouped().getGradient(), w.position(), w.count(),
                                w.shape()).square().sum();
                        total = total == null ? sq : total.add(sq);
                    }
                }
                if (total == null) {
                    continue;
                }
                NDArray runScale = scale.apply(total.sqrt()).reshape(1);
                for (RunWeight w : own) {
                    if (w.grouped().hasGradient()) {
                        each.computeIfAbsent(w.grouped(), g -> new NDArray[w.count()])[w.position()] = runScale;
                    }
                }
            }
            Map<NDArray, NDArray> out = new IdentityHashMap<>();
            each.forEach((weight, scales) -> {
                NDList parts = new NDList();
                for (NDArray s : scales) {
                    parts.add(s != null ? s : weight.getManager().ones(new Shape(1), weight.getDataType()));
                }
                out.put(weight, NDArrays.concat(parts));
            });
            return out;
        }

        /** {@code gradient} with each of its slabs times that slab's entry of {@code scales}. */
        private static NDArray scaled(NDArray gradient, NDArray scales) {
            long count = scales.size();
            return gradient.reshape(count, -1).mul(scales.reshape(count, 1)).reshape(gradient.getShape());
        }

        private List<List<NDArray>> perRunGradients() {
            List<List<NDArray>> gradients = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                List<NDArray> own = new ArrayList<>();
                for (RunWeight weight : slabs.get(i)) {
                    own.add(GroupedParameters.slice(weight.grouped().getGradient(), weight.position(), weight.count(),
                            weight.shape()));
                }
                gradients.add(own);
            }
            return gradients;
        }

        /** Every run's accuracy on its own evaluation split, in one pass of the grouped network. */
        private double[] evaluate() {
            int n = requests.get(0).data().eval().count();
            Device device = requests.get(0).data().eval().images().getDevice();
            try (NDScope scope = new NDScope()) {
                NDArray correct = trainer.getManager().zeros(new Shape(runs), DataType.INT64, device);
                int batch = TrainingLoop.evaluationBatch(protocol, device);
                for (int from = 0; from < n; from += batch) {
                    try (NDScope batchScope = new NDScope()) {
                        NDIndex range = new NDIndex("{}:{}", from, Math.min(n, from + batch));
                        NDList images = new NDList();
                        for (TrainingLoop.Request request : requests) {
                            images.add(request.data().normalize(request.data().eval().images().get(range)));
                        }
                        NDArray logits = trainer.evaluate(new NDList(NDArrays.concat(images, 1))).get(0);
                        NDList hits = new NDList();
                        for (int i = 0; i < runs; i++) {
                            DeviceSplit split = requests.get(i).data().eval();
                            NDArray own = logits.get(new NDIndex(":, {}:{}", i * classes, (i + 1) * classes));
                            hits.add(own.argMax(1).eq(split.labels().get(range)).sum().reshape(1));
                        }
                        correct.addi(NDArrays.concat(hits));
                    }
                }
                long[] c = correct.toLongArray();
                double[] accuracy = new double[runs];
                for (int i = 0; i < runs; i++) {
                    accuracy[i] = c[i] / (double) n;
                }
                return accuracy;
            }
        }
    }

    /**
     * A run's trainable parameter: the grouped network's array that holds it as slab {@code position} of
     * {@code count}, and its own shape.
     */
    private record RunWeight(NDArray grouped, int position, int count, Shape shape) {
        /** Run {@code single}'s trainable parameters in its own order, as {@code slabs} places them in {@code grouped}. */
        static List<RunWeight> trainable(Block single, Block grouped, List<GroupedParameters.Slab> slabs) {
            List<Parameter> own = single.getParameters().values();
            List<Parameter> all = grouped.getParameters().values();
            RunWeight[] found = new RunWeight[own.size()];
            for (int j = 0; j < slabs.size(); j++) {
                GroupedParameters.Slab slab = slabs.get(j);
                if (slab.held() && own.get(slab.own()).requiresGradient()) {
                    found[slab.own()] = new RunWeight(all.get(j).getArray(), slab.position(), slab.count(),
                            own.get(slab.own()).getArray().getShape());
                }
            }
            return Arrays.stream(found).filter(Objects::nonNull).toList();
        }
    }

    /** Every TrainingHook interface a hook class implements, through its superclasses and superinterfaces. */
    private static Set<Class<?>> hookKinds(Class<?> type) {
        Set<Class<?>> kinds = new LinkedHashSet<>();
        Deque<Class<?>> todo = new ArrayDeque<>();
        todo.add(type);
        while (!todo.isEmpty()) {
            Class<?> c = todo.pop();
            for (Class<?> i : c.getInterfaces()) {
                if (TrainingHook.class.isAssignableFrom(i) && kinds.add(i)) {
                    todo.add(i);
                }
            }
            if (c.getSuperclass() != null) {
                todo.add(c.getSuperclass());
            }
        }
        return kinds;
    }

    /** Whether {@code hook}'s {@code name} method is {@link WeightTrainingHook}'s default. */
    private static boolean inherited(TrainingHook hook, String name, Class<?>... parameterTypes) {
        try {
            Method m = hook.getClass().getMethod(name, parameterTypes);
            return m.getDeclaringClass() == WeightTrainingHook.class;
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
    }
}
