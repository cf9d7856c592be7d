package org.trickbench.core.space.nb201;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

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
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.trickbench.core.data.DeviceSplit;
import org.trickbench.core.device.ConvBackend;
import org.trickbench.core.data.PreparedData;
import org.trickbench.core.seed.Seeds;
import org.trickbench.core.train.Batch;
import org.trickbench.core.train.NesterovSgd;
import org.trickbench.core.train.Protocol;
import org.trickbench.core.train.StepContext;
import org.trickbench.core.train.ThreadGradientCollector;
import org.trickbench.core.train.TorchDefaultInitializer;
import org.trickbench.core.train.TrainResult;
import org.trickbench.core.train.TrainingHook;
import org.trickbench.core.train.TrainingLoop;
import org.trickbench.core.train.WeightTrainingHook;

/**
 * Holds the NAS-Bench-201 network, its loss and its optimiser step for step to PyTorch: the fixtures
 * under {@code pytorch-fixtures/} are the benchmark's own network (xautodl {@code TinyNetwork}) trained
 * by {@code torch.optim.SGD} in float64 (see {@code scripts/pytorch-fixtures/generate.py} and
 * docs/numerics.md). Each test loads the fixture's starting weights into our network and compares:
 *
 * <ul>
 *   <li>in float32, as runs train: the train-mode logits, the loss and every parameter's gradient of
 *       the first step;
 *   <li>in float64: the same, and after ten steps (Nesterov SGD, weight decay on every parameter, the
 *       per-step cosine schedule) every weight, every BatchNorm running statistic and the eval-mode
 *       logits. Ten steps at lr 0.1 on one batch of 8 are chaotic at float32's precision (PyTorch's
 *       own float32 run misses its float64 run by up to 0.5 on some draws), so only float64 can hold
 *       the trained state to a tight tolerance;
 *   <li>{@link TrainingLoop} itself, in float32, driven through hooks on the fixture's batch: its first
 *       step and the learning rate of every step.
 * </ul>
 *
 * <p>The measure, per tensor: max|ours − PyTorch| ≤ 1e-4 · max(max|PyTorch|, 1e-3). Scaling by the
 * tensor's largest value rather than elementwise keeps near-zero elements (which float32 computes
 * with an absolute, not a relative, error) from failing an exact implementation; the floor of 1e-3
 * handles tensors that are zero in exact arithmetic (the BN shift of an op that feeds the final BN has
 * no effect on the loss, so its gradient is rounding noise of 1e-9). Float32 PyTorch meets this
 * measure with 1e-6 to spare on the first step (recorded per fixture), so 1e-4 leaves room for other
 * kernels and summation orders but none for a semantic difference: a wrong BN momentum, epsilon,
 * pooling divisor, weight decay or schedule moves these numbers by 1e-3 or more.
 *
 * <p>Parameter mapping: DJL's {@code Block.getParameters()} lists a network's tensors depth-first in
 * the order its blocks were added, which is PyTorch's module order for the same structure (stem, cells
 * with their edges in genotype order, reduction blocks as conv_a, conv_b, shortcut, last BN,
 * classifier), and within a block in PyTorch's order too (weight then bias; γ, β, running mean,
 * running variance). The fixture lists its tensors in module order with their kind, and the two lists
 * are zipped, every pair checked for kind and shape, so a structural difference fails loudly instead
 * of loading a tensor into the wrong place.
 */
@Tag("numerics")
public class PyTorchEquivalenceTest {
    private static final double TOLERANCE = 1e-4;
    private static final double FLOOR = 1e-3;

    static Stream<PyTorchFixture> fixtures() {
        return PyTorchFixture.names().stream().map(PyTorchFixture::load);
    }

    /** The loop's wiring does not depend on the network's width: the C=4 fixtures, every genotype. */
    static Stream<PyTorchFixture> narrowFixtures() {
        return fixtures().filter(f -> f.config().channels() == 4);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void float32FirstStepMatchesPyTorch(PyTorchFixture fixture) {
        try (Replica replica = new Replica(fixture, DataType.FLOAT32)) {
            Comparison c = new Comparison(fixture.name() + " float32");
            replica.train(1, c);
            c.assertWithinTolerance();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void float64TenStepsMatchPyTorch(PyTorchFixture fixture) {
        try (Replica replica = new Replica(fixture, DataType.FLOAT64)) {
            Comparison c = new Comparison(fixture.name() + " float64");
            replica.train(fixture.steps(), c);
            c.assertWithinTolerance();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("narrowFixtures")
    void trainingLoopTakesPyTorchsFirstStepAndSchedule(PyTorchFixture fixture) {
        Comparison c = new Comparison(fixture.name() + " TrainingLoop");
        List<Double> rates = new ArrayList<>();
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            NDArray images = manager.create(fixture.tensor("images"), fixture.shape("images"));
            NDArray labels = manager.create(fixture.labels());
            DeviceSplit split = new DeviceSplit(images, labels, fixture.config().classes());
            Shape perChannel = new Shape(fixture.config().inChannels(), 1, 1);
            PreparedData data = new PreparedData("pytorch-fixture", split, split, "train", manager.zeros(perChannel),
                    manager.ones(perChannel), fixture.config().height(), "the fixture's batch");
            // The loop shuffles the batch; rows are matched back to the fixture's by their pixels.
            int[] order = new int[fixture.batch()];
            List<Pair<String, Parameter>> reference = referenceMapping(fixture);
            TrainingHook probe = new WeightTrainingHook() {
                @Override
                public NDArray transformImages(NDArray batch, StepContext step) {
                    if (step.step() == 0) {
                        loadTrainable(step.parameters(), reference, fixture);
                        matchRows(batch, fixture, order);
                    }
                    return batch;
                }

                @Override
                public NDArray lossFor(NDList outputs, Batch batch, StepContext step, LossFunction next) {
                    NDArray loss = next.loss(outputs, batch);
                    if (step.step() == 0) {
                        c.tensor("logits", unshuffle(outputs.get(0), order), fixture.tensor("logits"));
                        c.scalar("loss", loss.toType(DataType.FLOAT64, false).getDouble(), fixture.loss());
                    }
                    return loss;
                }

                @Override
                public void step(StepContext step, Runnable next) {
                    rates.add(step.learningRate());
                    if (step.step() == 0) {
                        int t = 0;
                        for (Pair<String, Parameter> p : reference) {
                            if (p.getValue().requiresGradient()) {
                                c.tensor("grad/" + p.getKey(), step.parameters().get(t++).getGradient(),
                                        fixture.tensor("grad/" + p.getKey()));
                            }
                        }
                    }
                    next.run();
                }
            };
            TrainingLoop.Request request = new TrainingLoop.Request(new Nb201Standalone(fixture.genotype(),
                    fixture.config().channels(), fixture.config().cellsPerStage()), fixture.protocol(), data, new Seeds(1), List.of(probe));
            TrainResult result = TrainingLoop.train(request, new TrainingLoop.Listener() {});
            assertFalse(result.diverged(), fixture.name() + " diverged");
        }
        c.assertWithinTolerance();
        double[] expected = fixture.learningRates();
        assertEquals(expected.length, rates.size(), "steps taken");
        for (int k = 0; k < expected.length; k++) {
            assertEquals(expected[k], rates.get(k), 1e-12, "learning rate before step " + k);
        }
    }

    /**
     * PyTorch's defaults, which the benchmark's networks start from: BN γ = 1, β = 0, running mean 0 and
     * variance 1; convolution and linear weights and the linear bias uniform in ±1/√fan_in
     * (kaiming_uniform with a = √5, and {@code nn.Linear.reset_parameters} for the bias). A draw is held
     * to the support: inside ±bound, and reaching past half of it (the fixture's own PyTorch draw is
     * held to the same, so the check itself is sound).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void initialisationFollowsPyTorchsDefaults(PyTorchFixture fixture) {
        List<String> problems = new ArrayList<>();
        try (Replica replica = new Replica(fixture, DataType.FLOAT32, false)) {
            long linearFanIn = 0;
            for (Pair<String, Parameter> p : replica.parameters) {
                String name = p.getKey();
                Shape shape = p.getValue().getArray().getShape();
                float[] ours = p.getValue().getArray().toFloatArray();
                float[] theirs = fixture.tensor("init/" + name);
                switch (p.getValue().getType()) {
                    case GAMMA, RUNNING_VAR -> checkConstant(problems, name, 1f, ours, theirs);
                    case BETA, RUNNING_MEAN -> checkConstant(problems, name, 0f, ours, theirs);
                    case WEIGHT -> {
                        long fanIn = shape.size() / shape.get(0);
                        linearFanIn = fanIn;
                        checkUniform(problems, name, 1 / Math.sqrt(fanIn), ours, theirs);
                    }
                    case BIAS -> checkUniform(problems, name, 1 / Math.sqrt(linearFanIn), ours, theirs);
                    default -> problems.add(name + ": unexpected parameter type " + p.getValue().getType());
                }
            }
        }
        assertTrue(problems.isEmpty(), fixture.name() + ":\n  " + String.join("\n  ", problems));
    }

    private static void checkConstant(List<String> problems, String name, float value, float[] ours, float[] theirs) {
        for (float v : theirs) {
            assertEquals(value, v, "PyTorch's " + name);
        }
        for (float v : ours) {
            if (v != value) {
                problems.add(name + ": starts at " + v + ", PyTorch at " + value);
                return;
            }
        }
    }

    private static void checkUniform(List<String> problems, String name, double bound, float[] ours, float[] theirs) {
        String pytorch = support(theirs, bound);
        assertEquals("", pytorch, "PyTorch's " + name + " as the check expects it");
        String problem = support(ours, bound);
        if (!problem.isEmpty()) {
            problems.add(name + ": " + problem + " (PyTorch draws from U(±" + (float) bound + "))");
        }
    }

    private static String support(float[] values, double bound) {
        double max = 0;
        for (float v : values) {
            max = Math.max(max, Math.abs(v));
        }
        // float32 rounding of the bound itself may put a draw a hair past it.
        if (max > bound * (1 + 1e-6)) {
            return "max |value| " + (float) max + " is past the bound";
        }
        return max < bound / 2 ? "max |value| " + (float) max + " is within half the bound" : "";
    }

    @Test
    void fixturesCoverEveryGenotypeWidthAndInputChannelCount() {
        Set<String> genotypes = new HashSet<>();
        Set<Integer> widths = new HashSet<>();
        Set<Integer> inputs = new HashSet<>();
        Set<Nb201Op> ops = new HashSet<>();
        fixtures().forEach(f -> {
            genotypes.add(f.meta().get("genotype").asText());
            widths.add(f.config().channels());
            inputs.add(f.config().inChannels());
            ops.addAll(f.genotype().ops());
        });
        assertEquals(3, genotypes.size(), "genotypes " + genotypes);
        assertEquals(Set.of(4, 8, 16), widths);
        assertEquals(Set.of(1, 3), inputs);
        assertEquals(Set.of(Nb201Op.values()), ops, "every op appears on some edge");
    }

    /**
     * Our network, set up as a training run sets it up, trained by the project's own parts: the loss
     * {@link TrainingLoop#crossEntropy}, {@link NesterovSgd#of} the protocol, and the schedule
     * {@link Protocol#learningRateAt}, with the fixture's batch in every step and no augmentation. The
     * step is {@link TrainingLoop}'s (zero the gradients, forward in training mode, loss, backward, set
     * the step's learning rate, {@code Trainer.step}), replicated so that it runs in float64 too.
     */
    private static final class Replica implements AutoCloseable {
        private final PyTorchFixture fixture;
        private final DataType type;
        private final Model model;
        private final Trainer trainer;
        private final NesterovSgd optimizer;
        private final Protocol protocol;
        private final List<Pair<String, Parameter>> parameters;

        Replica(PyTorchFixture fixture, DataType type) {
            this(fixture, type, true);
        }

        /** With {@code loadStart} false, the network keeps the starting values a training run draws. */
        Replica(PyTorchFixture fixture, DataType type, boolean loadStart) {
            this.fixture = fixture;
            this.type = type;
            this.protocol = fixture.protocol();
            Block network = Nb201Network.build(fixture.genotype(), fixture.config());
            model = Model.newInstance("pytorch-equivalence", Device.cpu());
            model.setDataType(type);
            model.setBlock(network);
            optimizer = NesterovSgd.of(protocol);
            trainer = model.newTrainer(new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(optimizer)
                    .optDevices(new Device[] {Device.cpu()})
                    .optInitializer(new TorchDefaultInitializer(), Parameter.Type.WEIGHT));
            trainer.initialize(Nb201Network.inputShape(fixture.config(), 2));
            ConvBackend.ensureFor(network);
            parameters = mapping(network, fixture);
            for (Pair<String, Parameter> p : loadStart ? parameters : List.<Pair<String, Parameter>>of()) {
                set(p.getValue().getArray(), fixture.tensor("init/" + p.getKey()));
            }
        }

        void train(int steps, Comparison c) {
            NDManager manager = trainer.getManager();
            NDArray images = manager.create(fixture.tensor("images"), fixture.shape("images")).toType(type, false);
            NDArray targets = manager.create(fixture.labels()).oneHot(fixture.config().classes()).toType(type, false);
            for (int step = 0; step < steps; step++) {
                try (NDScope scope = new NDScope()) {
                    zeroGradients(parameters);
                    NDArray logits;
                    NDArray loss;
                    try (GradientCollector collector = new ThreadGradientCollector()) {
                        logits = trainer.forward(new NDList(images)).get(0);
                        loss = TrainingLoop.crossEntropy(logits, targets);
                        collector.backward(loss);
                    }
                    if (step == 0) {
                        c.tensor("logits", logits, fixture.tensor("logits"));
                        c.scalar("loss", loss.toType(DataType.FLOAT64, false).getDouble(), fixture.loss());
                        for (Pair<String, Parameter> p : parameters) {
                            if (p.getValue().requiresGradient()) {
                                c.tensor("grad/" + p.getKey(), p.getValue().getArray().getGradient(),
                                        fixture.tensor("grad/" + p.getKey()));
                            }
                        }
                    }
                    optimizer.setLearningRate((float) protocol.learningRateAt(step, steps));
                    step();
                }
            }
            if (steps < fixture.steps()) {
                return;
            }
            for (Pair<String, Parameter> p : parameters) {
                c.tensor("final/" + p.getKey(), p.getValue().getArray(), fixture.tensor("final/" + p.getKey()));
            }
            try (NDScope scope = new NDScope()) {
                c.tensor("eval_logits", trainer.evaluate(new NDList(images)).get(0), fixture.tensor("eval_logits"));
            }
        }

        /**
         * {@code Trainer.step()} in float32. In float64 the same update (the optimiser on each trainable
         * array with its gradient, as DJL's parameter store does on one device) without the trainer,
         * whose first step checks the gradients with {@code getFloat}, which float64 arrays refuse.
         */
        private void step() {
            if (type == DataType.FLOAT32) {
                trainer.step();
                return;
            }
            for (Pair<String, Parameter> p : parameters) {
                if (p.getValue().requiresGradient()) {
                    NDArray weight = p.getValue().getArray();
                    try (NDArray grad = weight.getGradient().duplicate()) {
                        optimizer.update(p.getValue().getId(), weight, grad);
                    }
                }
            }
        }

        @Override
        public void close() {
            trainer.close();
            model.close();
        }
    }

    /**
     * The mapping of the network a training run builds, for the names, order and types of its tensors
     * (its arrays are closed on return).
     */
    private static List<Pair<String, Parameter>> referenceMapping(PyTorchFixture fixture) {
        Block network = Nb201Network.build(fixture.genotype(), fixture.config());
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            network.initialize(manager, DataType.FLOAT32, Nb201Network.inputShape(fixture.config(), 2));
            return mapping(network, fixture);
        }
    }

    /**
     * Our network's tensors named by PyTorch's names: the two lists in order, each pair checked for
     * kind and shape (see the class comment).
     */
    public static List<Pair<String, Parameter>> mapping(Block network, PyTorchFixture fixture) {
        List<Pair<String, Parameter>> ours = new ArrayList<>();
        network.getParameters().forEach(ours::add);
        List<PyTorchFixture.Entry> theirs = fixture.parameters();
        if (ours.size() != theirs.size()) {
            fail(fixture.name() + ": our network has " + ours.size() + " tensors, PyTorch's " + theirs.size()
                    + "\nours: " + ours.stream().map(Pair::getKey).toList()
                    + "\nPyTorch: " + theirs.stream().map(PyTorchFixture.Entry::name).toList());
        }
        List<Pair<String, Parameter>> mapped = new ArrayList<>();
        for (int i = 0; i < ours.size(); i++) {
            Parameter p = ours.get(i).getValue();
            PyTorchFixture.Entry e = theirs.get(i);
            Shape shape = p.getArray().getShape();
            String kind = kindOf(p.getType(), shape);
            if (!kind.equals(e.kind()) || !shape.equals(e.shape()) || p.requiresGradient() != e.trainable()) {
                fail(fixture.name() + ": tensor " + i + " is our " + ours.get(i).getKey() + " (" + kind + " " + shape
                        + (p.requiresGradient() ? " trainable" : "") + ") but PyTorch's " + e.name() + " ("
                        + e.kind() + " " + e.shape() + (e.trainable() ? " trainable" : "") + ")");
            }
            mapped.add(new Pair<>(e.name(), p));
        }
        return mapped;
    }

    private static String kindOf(Parameter.Type type, Shape shape) {
        return switch (type) {
            case WEIGHT -> shape.dimension() == 4 ? "conv_weight" : "linear_weight";
            case BIAS -> "linear_bias";
            case GAMMA -> "bn_weight";
            case BETA -> "bn_bias";
            case RUNNING_MEAN -> "bn_running_mean";
            case RUNNING_VAR -> "bn_running_var";
            default -> type.name();
        };
    }

    /** Loads the fixture's starting values into the trainable arrays a training step sees. */
    private static void loadTrainable(List<NDArray> trainable, List<Pair<String, Parameter>> reference,
            PyTorchFixture fixture) {
        int t = 0;
        for (Pair<String, Parameter> p : reference) {
            if (p.getValue().requiresGradient()) {
                NDArray array = trainable.get(t++);
                assertEquals(fixture.shape("init/" + p.getKey()), array.getShape(), p.getKey());
                set(array, fixture.tensor("init/" + p.getKey()));
            } else {
                // Buffers are not handed to hooks; both frameworks start them at 0 (mean) and 1 (var).
                float start = p.getValue().getType() == Parameter.Type.RUNNING_VAR ? 1f : 0f;
                for (float v : fixture.tensor("init/" + p.getKey())) {
                    assertEquals(start, v, p.getKey());
                }
            }
        }
        assertEquals(trainable.size(), t, "trainable arrays");
    }

    /** Zeroes the gradients of the trainable tensors among {@code parameters}, as a training step starts. */
    public static void zeroGradients(List<Pair<String, Parameter>> parameters) {
        for (Pair<String, Parameter> p : parameters) {
            NDArray weight = p.getValue().getArray();
            if (p.getValue().requiresGradient() && weight.hasGradient()) {
                weight.getGradient().set(new NDIndex("..."), 0);
            }
        }
    }

    /** Overwrites {@code array} with {@code values}, converted to its data type. */
    public static void set(NDArray array, float[] values) {
        array.set(new NDIndex("..."), array.getManager().create(values, array.getShape()).toType(array.getDataType(), false));
    }

    /** order[r] = the fixture row that the loop's batch holds in row r. */
    private static void matchRows(NDArray batch, PyTorchFixture fixture, int[] order) {
        float[] ours = batch.toFloatArray();
        float[] theirs = fixture.tensor("images");
        int n = fixture.batch();
        int size = theirs.length / n;
        for (int r = 0; r < n; r++) {
            order[r] = -1;
            for (int i = 0; i < n && order[r] < 0; i++) {
                if (Arrays.equals(ours, r * size, (r + 1) * size, theirs, i * size, (i + 1) * size)) {
                    order[r] = i;
                }
            }
            assertTrue(order[r] >= 0, "row " + r + " of the loop's batch is none of the fixture's images");
        }
    }

    /** Rows of the loop's output put back into the fixture's order. */
    private static double[] unshuffle(NDArray rows, int[] order) {
        double[] values = rows.toType(DataType.FLOAT64, false).toDoubleArray();
        int width = values.length / order.length;
        double[] out = new double[values.length];
        for (int r = 0; r < order.length; r++) {
            System.arraycopy(values, r * width, out, order[r] * width, width);
        }
        return out;
    }

    /** Every comparison of one test, reported together so that one failure shows the whole picture. */
    public static final class Comparison {
        private final String what;
        private final Map<String, Double> deviations = new LinkedHashMap<>();

        public Comparison(String what) {
            this.what = what;
        }

        public void tensor(String name, NDArray actual, float[] expected) {
            tensor(name, actual.toType(DataType.FLOAT64, false).toDoubleArray(), expected);
        }

        public void tensor(String name, double[] actual, float[] expected) {
            assertEquals(expected.length, actual.length, name + " size");
            double diff = 0;
            double scale = FLOOR;
            for (int i = 0; i < actual.length; i++) {
                diff = Math.max(diff, Double.isNaN(actual[i]) ? Double.POSITIVE_INFINITY : Math.abs(actual[i] - expected[i]));
                scale = Math.max(scale, Math.abs(expected[i]));
            }
            deviations.put(name, diff / scale);
        }

        public void scalar(String name, double actual, double expected) {
            deviations.put(name, Double.isNaN(actual) ? Double.POSITIVE_INFINITY
                    : Math.abs(actual - expected) / Math.max(FLOOR, Math.abs(expected)));
        }

        /** The largest deviation of each kind of check (the name up to its first '/'), e.g. "grad 3.1e-06". */
        public String summary() {
            Map<String, Double> worst = new LinkedHashMap<>();
            deviations.forEach((name, d) -> worst.merge(name.split("/", 2)[0], d, Math::max));
            return worst.entrySet().stream().map(e -> String.format("%s %.1e", e.getKey(), e.getValue()))
                    .collect(java.util.stream.Collectors.joining(", "));
        }

        public double worst() {
            return deviations.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
        }

        public void assertWithinTolerance() {
            assertFalse(deviations.isEmpty(), what + ": nothing compared");
            List<String> failures = deviations.entrySet().stream()
                    .filter(e -> !(e.getValue() <= TOLERANCE))
                    .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                    .map(e -> String.format("%s %.2e", e.getKey(), e.getValue()))
                    .toList();
            if (!failures.isEmpty()) {
                fail(String.format("%s: %d of %d tensors beyond %.0e (relative to max(max|PyTorch|, %.0e)); worst "
                        + "first:%n  %s", what, failures.size(), deviations.size(), TOLERANCE, FLOOR,
                        String.join("\n  ", failures.subList(0, Math.min(20, failures.size())))));
            }
        }
    }
}
