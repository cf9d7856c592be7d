package org.trickbench.core.space.darts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.trickbench.core.data.PreparedData;
import org.trickbench.core.nd.Scalars;
import org.trickbench.core.seed.Seeds;
import org.trickbench.core.train.Batch;
import org.trickbench.core.train.EpochMetrics;
import org.trickbench.core.train.Protocol;
import org.trickbench.core.train.StandaloneNetwork;
import org.trickbench.core.train.StepContext;
import org.trickbench.core.train.SyntheticData;
import org.trickbench.core.train.TrainResult;
import org.trickbench.core.train.TrainingHook;
import org.trickbench.core.train.TrainingHooks;
import org.trickbench.core.train.TrainingLoop;
import org.trickbench.core.train.WeightTrainingHook;

/** The DARTS space's own hook points, and how {@link DartsStandalone} applies them. */
class DartsHooksTest {
    private static final Protocol PROTOCOL = new Protocol(0.05, 0, 0.9, true, 3e-4, 32, 3, "cosine", 1, true, 0);
    private static NDManager manager;
    private static PreparedData data;

    @BeforeAll
    static void prepare() {
        manager = NDManager.newBaseManager();
        data = SyntheticData.prepare(SyntheticData.topBottom(64, 32, 8), manager, 1);
    }

    @AfterAll
    static void release() {
        manager.close();
    }

    /** A DARTS hook with DARTS's auxiliary weight 0.4 and drop-path 0.2, as the aux-tower and drop-path tricks. */
    private record Darts(double weight, double prob) implements DartsHook {
        @Override
        public DartsTraining configureTraining(DartsTraining training) {
            DartsTraining t = weight > 0 ? training.withAuxiliary(weight) : training;
            return prob > 0 ? t.withDropPath(prob) : t;
        }
    }

    private static StandaloneNetwork.Built build(TrainingHook... hooks) {
        return new DartsStandalone(DartsGenotype.DARTS_V2, 4, 1).build(PROTOCOL, data, new TrainingHooks(List.of(hooks)));
    }

    @Test
    void withoutHooksTheNetworkIsDartsOwnWithNoHooksOfTheSpace() {
        StandaloneNetwork.Built built = build();
        DartsNetwork net = assertInstanceOf(DartsNetwork.class, built.network());
        assertEquals(null, net.auxiliaryHead());
        assertTrue(built.hooks().isEmpty());
        assertSame(PROTOCOL, built.protocol());
    }

    @Test
    void theAuxiliaryHeadAddsItsLossWeightedExactlyAsDartsDoes() {
        StandaloneNetwork.Built built = build(new Darts(0.4, 0));
        DartsTrainingNetwork net = assertInstanceOf(DartsTrainingNetwork.class, built.network());
        assertNotNull(net.network().auxiliaryHead());
        assertEquals(1, built.hooks().size());
        try (NDManager m = manager.newSubManager()) {
            net.initialize(m, DataType.FLOAT32, built.inputShape());
            NDArray images = data.normalize(data.train().images().get("0:16"));
            NDArray labels = data.train().labels().get("0:16");
            Batch batch = new Batch(images, labels.oneHot(2), labels);
            NDList outputs = net.forward(new ParameterStore(m, false), new NDList(images), true);
            assertEquals(2, outputs.size(), "training returns {main, auxiliary}");
            StepContext step = new StepContext(0, 3, 0, 3, 0.05, null);
            NDArray loss = new TrainingHooks(built.hooks()).lossFor(outputs, batch, step, TrainingLoop::crossEntropy);
            float main = TrainingLoop.crossEntropy(outputs.get(0), batch.targets()).getFloat();
            float auxiliary = TrainingLoop.crossEntropy(outputs.get(1), batch.targets()).getFloat();
            assertNotEquals(main, auxiliary);
            assertEquals(main + auxiliary * 0.4f, loss.getFloat(), "loss + 0.4·aux_loss, in float32");
            assertEquals(1, net.forward(new ParameterStore(m, false), new NDList(images), false).size(),
                    "evaluation sees only the main logits");
        }
        // The head is dropped at test time and not counted, as DARTS reports its networks.
        assertEquals(DartsCost.flops(DartsGenotype.DARTS_V2, new DartsStandalone(DartsGenotype.DARTS_V2, 4, 1)
                .config(data)), built.flops());
    }

    @Test
    void theRunsLossHooksScoreEachHeadInsideTheAuxiliaryLoss() {
        // A run hook that doubles the loss it is given: inside the space's loss, both heads are doubled.
        WeightTrainingHook doubling = new WeightTrainingHook() {
            @Override
            public NDArray lossFor(NDList outputs, Batch batch, StepContext step, LossFunction next) {
                assertEquals(1, outputs.size(), "each head reaches the run's hooks on its own");
                return Scalars.mul(next.loss(outputs, batch), 2);
            }
        };
        StandaloneNetwork.Built built = build(new Darts(0.4, 0));
        try (NDManager m = manager.newSubManager()) {
            built.network().initialize(m, DataType.FLOAT32, built.inputShape());
            NDArray images = data.normalize(data.train().images().get("0:8"));
            NDArray labels = data.train().labels().get("0:8");
            Batch batch = new Batch(images, labels.oneHot(2), labels);
            NDList outputs = built.network().forward(new ParameterStore(m, false), new NDList(images), true);
            StepContext step = new StepContext(0, 3, 0, 3, 0.05, null);
            float plain = new TrainingHooks(built.hooks()).lossFor(outputs, batch, step, TrainingLoop::crossEntropy)
                    .getFloat();
            List<TrainingHook> chain = new ArrayList<>(built.hooks());
            chain.add(doubling);
            float doubled = new TrainingHooks(chain).lossFor(outputs, batch, step, TrainingLoop::crossEntropy).getFloat();
            assertEquals(2 * plain, doubled, 1e-6f);
        }
    }

    @Test
    void dropPathRampsLinearlyOverTheEpochsAsDartsSetsIt() {
        DartsTraining training = DartsTraining.none().withDropPath(0.2);
        for (int epoch = 0; epoch < 600; epoch += 100) {
            assertEquals(0.2 * epoch / 600, training.dropPathAt(epoch, 600), 1e-15);
        }
        assertEquals(0.0, training.dropPathAt(0, 600));
        StandaloneNetwork.Built built = build(new Darts(0, 0.2));
        DartsTrainingNetwork net = assertInstanceOf(DartsTrainingNetwork.class, built.network());
        assertEquals(null, net.network().auxiliaryHead());
        WeightTrainingHook hook = (WeightTrainingHook) built.hooks().get(0);
        try (NDManager m = manager.newSubManager()) {
            net.initialize(m, DataType.FLOAT32, built.inputShape());
            NDArray images = data.normalize(data.train().images().get("0:16"));
            Batch batch = new Batch(images, null, null);
            ParameterStore ps = new ParameterStore(m, false);
            float[] plain = net.network().forward(ps, new NDList(images), true).head().toFloatArray();
            for (int epoch = 0; epoch < 10; epoch++) {
                hook.transformBatch(batch, new StepContext(epoch, 10, epoch, 10, 0.05, null, new Seeds(1), List.of()));
                assertEquals(0.2 * epoch / 10, net.dropPathProb(), 1e-15, "epoch " + epoch);
                float[] trained = net.forward(ps, new NDList(images), true).head().toFloatArray();
                if (epoch == 0) {
                    assertEquals(Arrays.toString(plain), Arrays.toString(trained),
                            "epoch 0 drops nothing");
                } else {
                    assertNotEquals(Arrays.toString(plain), Arrays.toString(trained),
                            "epoch " + epoch + " drops paths");
                }
            }
            assertEquals(Arrays.toString(net.network().forward(ps, new NDList(images), false).head().toFloatArray()),
                    Arrays.toString(net.forward(ps, new NDList(images), false).head().toFloatArray()),
                    "evaluation sees every edge");
        }
    }

    @Test
    void hooksConfigureProtocolShapeAndTrainingHookByHook() {
        WeightTrainingHook longer = new WeightTrainingHook() {
            @Override
            public Protocol configureProtocol(Protocol protocol) {
                return protocol.withEpochs(protocol.epochs() * 2);
            }
        };
        DartsHook wider = new DartsHook() {
            @Override
            public DartsConfig configureNetworkConfig(DartsConfig config) {
                return config.withChannels(config.channels() * 2);
            }
        };
        DartsHook weightAfter = new DartsHook() {
            @Override
            public DartsTraining configureTraining(DartsTraining training) {
                return training.withAuxiliary(training.auxiliaryWeight() * 2);
            }
        };
        DartsStandalone standalone = new DartsStandalone(DartsGenotype.DARTS_V2, 4, 1);
        DartsHooks.StandaloneSetup setup = new DartsHooks(List.of(longer, wider, new Darts(0.4, 0.2), weightAfter))
                .configureStandalone(new DartsHooks.StandaloneSetup(PROTOCOL, standalone.config(data),
                        DartsTraining.none()));
        assertEquals(6, setup.protocol().epochs());
        assertEquals(8, setup.config().channels());
        assertEquals(new DartsTraining(0.8, 0.2), setup.training());
        StandaloneNetwork.Built built = standalone.build(PROTOCOL, data, new TrainingHooks(List.of(wider)));
        assertEquals(DartsCost.flops(DartsGenotype.DARTS_V2, standalone.config(data).withChannels(8)), built.flops());
    }

    @Test
    void trainingWithHeadAndDropPathIsTheSameTwiceAndNotAsWithout() {
        DartsStandalone network = new DartsStandalone(DartsGenotype.DARTS_V2, 4, 1);
        TrainResult plain = train(network, List.of());
        TrainResult once = train(network, List.of(new Darts(0.4, 0.2)));
        TrainResult twice = train(network, List.of(new Darts(0.4, 0.2)));
        assertEquals(losses(once), losses(twice));
        assertNotEquals(losses(plain), losses(once));
        assertFalse(once.diverged());
        assertEquals(DartsCost.parameters(DartsGenotype.DARTS_V2, network.config(data)), once.parameters(),
                "the head is not counted");
    }

    @Test
    void trainingRefusesAnAuxiliaryWeightOrProbabilityOutOfRange() {
        assertThrows(IllegalArgumentException.class, () -> new DartsTraining(-0.1, 0));
        assertThrows(IllegalArgumentException.class, () -> new DartsTraining(0.4, 1));
    }

    private static TrainResult train(DartsStandalone network, List<TrainingHook> hooks) {
        return TrainingLoop.train(new TrainingLoop.Request(network, PROTOCOL, data, new Seeds(4), hooks),
                new TrainingLoop.Listener() {});
    }

    private static List<Double> losses(TrainResult r) {
        return r.epochs().stream().map(EpochMetrics::trainLoss).toList();
    }
}
