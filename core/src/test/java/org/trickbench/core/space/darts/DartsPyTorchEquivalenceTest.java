package org.trickbench.core.space.darts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.util.Pair;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.trickbench.core.device.ConvBackend;
import org.trickbench.core.space.nb201.PyTorchEquivalenceTest;
import org.trickbench.core.space.nb201.PyTorchEquivalenceTest.Comparison;
import org.trickbench.core.space.nb201.PyTorchFixture;
import org.trickbench.core.train.GradientClipping;
import org.trickbench.core.train.NesterovSgd;
import org.trickbench.core.train.ThreadGradientCollector;
import org.trickbench.core.train.TrainingLoop;

/**
 * Holds the DARTS evaluation network ({@link DartsNetwork}), its loss with the auxiliary head, gradient
 * clipping and DARTS's optimiser step for step to PyTorch: the fixtures listed in
 * {@code pytorch-fixtures/darts-index.json} are DARTS's {@code NetworkCIFAR} as
 * {@code scripts/pytorch-fixtures/darts_parameters.py} writes it, trained by
 * {@code scripts/pytorch-fixtures/darts_equivalence.py} as the authors' {@code cnn/train.py} trains it:
 * cross-entropy plus 0.4 × the auxiliary head's, {@code clip_grad_norm_} at 5, {@code torch.optim.SGD}
 * with momentum 0.9 (not Nesterov), weight decay 3e-4 on every parameter, lr 0.025, in float64 (see
 * docs/numerics.md). Drop-path is off, its masks being random.
 *
 * <ul>
 *   <li>in float32, as runs train: the eval-mode logits before training, the train-mode logits (main and
 *       auxiliary), the loss, every parameter's gradient and the global gradient norm of the first step;
 *   <li>in float64: the same, and for every step the gradient norm before clipping, then every weight
 *       and BN running statistic after the last step and the eval-mode logits.
 * </ul>
 *
 * <p>The measure and the parameter mapping by module order are {@link PyTorchEquivalenceTest}'s. A tensor
 * larger than the fixture stores whole (the auxiliary head's convolutions and classifier) starts from
 * the generator's closed-form values ({@link #formulaInit}) and is compared on every n-th element.
 */
@Tag("numerics")
class DartsPyTorchEquivalenceTest {
    private static final String INDEX = "darts-index.json";

    static Stream<PyTorchFixture> fixtures() {
        return PyTorchFixture.names(INDEX).stream().map(PyTorchFixture::load);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void float32FirstStepMatchesPyTorch(PyTorchFixture fixture) {
        try (Replica replica = new Replica(fixture, DataType.FLOAT32)) {
            Comparison c = new Comparison(fixture.name() + " float32");
            replica.train(1, c);
            System.out.println(fixture.name() + " float32 first step: " + c.summary());
            c.assertWithinTolerance();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void float64StepsMatchPyTorch(PyTorchFixture fixture) {
        try (Replica replica = new Replica(fixture, DataType.FLOAT64)) {
            Comparison c = new Comparison(fixture.name() + " float64");
            replica.train(fixture.steps(), c);
            System.out.println(fixture.name() + " float64 " + fixture.steps() + " steps: " + c.summary());
            c.assertWithinTolerance();
        }
    }

    /**
     * Between them the fixtures put every op on an edge at stride 1 and at stride 2 (skip_connect's being
     * {@link FactorizedReduce}), preprocess a cell's s0 after a reduction, attach the auxiliary head, and
     * clip: the gradient norm passes the clip on some step, so the clipping is not the identity.
     */
    @Test
    void fixturesCoverEveryOpAtBothStridesTheHeadAndClipping() {
        Set<DartsOp> stride1 = EnumSet.noneOf(DartsOp.class);
        Set<DartsOp> stride2 = EnumSet.noneOf(DartsOp.class);
        boolean auxiliary = false;
        boolean clipped = false;
        boolean reductionPrev = false;
        for (PyTorchFixture f : fixtures().toList()) {
            DartsGenotype genotype = genotype(f);
            genotype.normal().forEach(e -> stride1.add(e.op()));
            genotype.reduce().forEach(e -> (e.input() < 2 ? stride2 : stride1).add(e.op()));
            DartsConfig config = config(f);
            auxiliary |= config.auxiliary();
            reductionPrev |= config.layers() >= 5;
            for (JsonNode norm : f.meta().get("gradNorms")) {
                clipped |= norm.asDouble() > f.meta().get("gradientClip").asDouble();
            }
        }
        Set<DartsOp> ops = EnumSet.complementOf(EnumSet.of(DartsOp.NONE));
        assertEquals(ops, stride1, "ops at stride 1");
        assertEquals(ops, stride2, "ops at stride 2");
        assertTrue(auxiliary, "a fixture with the auxiliary head");
        assertTrue(reductionPrev, "a fixture with a normal cell after a reduction (FactorizedReduce on s0)");
        assertTrue(clipped, "a fixture whose gradient norm passes the clip");
    }

    static DartsGenotype genotype(PyTorchFixture f) {
        return DartsGenotype.parse(f.meta().get("genotype").asText());
    }

    static DartsConfig config(PyTorchFixture f) {
        JsonNode m = f.meta();
        return new DartsConfig(m.get("inChannels").asInt(), m.get("height").asInt(), m.get("width").asInt(),
                m.get("classes").asInt(), m.get("channels").asInt(), m.get("layers").asInt(),
                m.get("auxiliary").asBoolean());
    }

    /**
     * The generator's closed-form start of a tensor too large to store ({@code formula_init} in
     * {@code darts_equivalence.py}): element i is b·(2u − 1) with u = (i·2654435761 mod 2³²) / 2³² and
     * b = 1/√fan_in, in float64 and rounded to float32; every operation is exact or correctly rounded,
     * so both sides hold the same values bit for bit.
     */
    static float[] formulaInit(Shape shape) {
        double bound = 1 / Math.sqrt((double) (shape.size() / shape.get(0)));
        float[] values = new float[Math.toIntExact(shape.size())];
        for (int i = 0; i < values.length; i++) {
            long hash = (i * 2654435761L) & 0xFFFFFFFFL;
            values[i] = (float) (bound * (2.0 * (hash / 4294967296.0) - 1.0));
        }
        return values;
    }

    /**
     * Our network with the fixture's starting values, trained by the project's parts: {@link DartsNetwork}
     * in training mode, {@link TrainingLoop#crossEntropy} (plus the fixture's weight times the auxiliary
     * head's), {@link GradientClipping} over every trainable tensor, and {@link NesterovSgd} without
     * Nesterov, updating each trainable array with its gradient as {@code SupernetTrainer} does.
     */
    private static final class Replica implements AutoCloseable {
        private final PyTorchFixture fixture;
        private final DataType type;
        private final Model model;
        private final Trainer trainer;
        private final NesterovSgd optimizer;
        private final List<Pair<String, Parameter>> parameters;
        private final Map<String, Integer> sample = new HashMap<>();

        Replica(PyTorchFixture fixture, DataType type) {
            this.fixture = fixture;
            this.type = type;
            JsonNode m = fixture.meta();
            DartsConfig config = config(fixture);
            DartsNetwork network = DartsNetwork.build(genotype(fixture), config);
            model = Model.newInstance("darts-pytorch-equivalence", Device.cpu());
            model.setDataType(type);
            model.setBlock(network);
            optimizer = new NesterovSgd((float) m.get("learningRate").asDouble(), (float) m.get("momentum").asDouble(),
                    m.get("nesterov").asBoolean(), (float) m.get("weightDecay").asDouble());
            trainer = model.newTrainer(new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(optimizer)
                    .optDevices(new Device[] {Device.cpu()}));
            trainer.initialize(DartsNetwork.inputShape(config, 2));
            ConvBackend.ensureFor(network);
            parameters = PyTorchEquivalenceTest.mapping(network, fixture);
            // The mapping zips our tensors with the fixture's parameter list, so the two share one order.
            for (int i = 0; i < parameters.size(); i++) {
                JsonNode entry = m.get("parameters").get(i);
                String name = parameters.get(i).getKey();
                NDArray array = parameters.get(i).getValue().getArray();
                sample.put(name, entry.get("sample").asInt());
                PyTorchEquivalenceTest.set(array, "formula".equals(entry.get("init").asText())
                        ? formulaInit(array.getShape()) : fixture.tensor("init/" + name));
            }
        }

        void train(int steps, Comparison c) {
            JsonNode m = fixture.meta();
            NDManager manager = trainer.getManager();
            NDArray images = manager.create(fixture.tensor("images"), fixture.shape("images")).toType(type, false);
            NDArray targets = manager.create(fixture.labels()).oneHot(m.get("classes").asInt()).toType(type, false);
            boolean auxiliary = m.get("auxiliary").asBoolean();
            try (NDScope scope = new NDScope()) {
                NDList eval = trainer.evaluate(new NDList(images));
                assertEquals(1, eval.size(), "evaluation returns the main logits alone");
                c.tensor("start_eval_logits", eval.get(0), fixture.tensor("start_eval_logits"));
            }
            for (int step = 0; step < steps; step++) {
                try (NDScope scope = new NDScope()) {
                    PyTorchEquivalenceTest.zeroGradients(parameters);
                    NDList outputs;
                    NDArray loss;
                    try (GradientCollector collector = new ThreadGradientCollector()) {
                        outputs = trainer.forward(new NDList(images));
                        assertEquals(auxiliary ? 2 : 1, outputs.size(), "training outputs");
                        loss = TrainingLoop.crossEntropy(outputs.get(0), targets);
                        if (auxiliary) {
                            loss = loss.add(TrainingLoop.crossEntropy(outputs.get(1), targets)
                                    .mul(m.get("auxiliaryWeight").asDouble()));
                        }
                        collector.backward(loss);
                    }
                    if (step == 0) {
                        c.tensor("logits", outputs.get(0), fixture.tensor("logits"));
                        if (auxiliary) {
                            c.tensor("aux_logits", outputs.get(1), fixture.tensor("aux_logits"));
                        }
                        c.scalar("loss", loss.toType(DataType.FLOAT64, false).getDouble(), fixture.loss());
                        for (Pair<String, Parameter> p : trainable()) {
                            compare(c, "grad/" + p.getKey(), p.getValue().getArray().getGradient());
                        }
                    }
                    NDArray norm = GradientClipping.clip(trainable().stream()
                            .map(p -> p.getValue().getArray().getGradient()).toList(), m.get("gradientClip").asDouble());
                    c.scalar("gradNorm/" + step, norm.toType(DataType.FLOAT64, false).getDouble(),
                            m.get("gradNorms").get(step).asDouble());
                    for (Pair<String, Parameter> p : trainable()) {
                        NDArray weight = p.getValue().getArray();
                        optimizer.update(p.getValue().getId(), weight, weight.getGradient());
                    }
                }
            }
            if (steps < fixture.steps()) {
                return;
            }
            for (Pair<String, Parameter> p : parameters) {
                compare(c, "final/" + p.getKey(), p.getValue().getArray());
            }
            try (NDScope scope = new NDScope()) {
                c.tensor("eval_logits", trainer.evaluate(new NDList(images)).get(0), fixture.tensor("eval_logits"));
            }
        }

        /** Compares every element of {@code actual}, or every n-th where the fixture stores only those. */
        private void compare(Comparison c, String tensor, NDArray actual) {
            double[] all = actual.toType(DataType.FLOAT64, false).toDoubleArray();
            int every = sample.get(tensor.substring(tensor.indexOf('/') + 1));
            double[] kept = new double[(all.length + every - 1) / every];
            for (int i = 0; i < kept.length; i++) {
                kept[i] = all[i * every];
            }
            c.tensor(tensor, kept, fixture.tensor(tensor));
        }

        private List<Pair<String, Parameter>> trainable() {
            List<Pair<String, Parameter>> out = new ArrayList<>();
            for (Pair<String, Parameter> p : parameters) {
                if (p.getValue().requiresGradient()) {
                    out.add(p);
                }
            }
            return out;
        }

        @Override
        public void close() {
            trainer.close();
            model.close();
        }
    }
}
