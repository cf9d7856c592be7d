package org.trickbench.tricks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.trickbench.core.space.nb201.Genotype;
import org.trickbench.core.space.nb201.Nb201Cost;
import org.trickbench.core.space.nb201.Nb201Network;
import org.trickbench.core.space.nb201.NetworkConfig;
import org.trickbench.core.space.nb201.Nb201Ops;
import org.trickbench.core.train.Batch;
import org.trickbench.core.train.TrainingHook;
import org.trickbench.core.train.ThreadGradientCollector;
import org.trickbench.core.train.TrainingLoop;

class AuxTowerTest {
    private static double crossEntropy(double[] logits, int label) {
        double sum = 0;
        for (double z : logits) {
            sum += Math.exp(z);
        }
        return Math.log(sum) - logits[label];
    }

    @Test
    void trainingLossIsMainPlusWeightTimesAuxiliary() {
        TrainingHook hook = new AuxTower().hook(Map.of("weight", 0.3));
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray main = m.create(new float[] {1, 2, 0, -1, 0.5f, 3}, new Shape(2, 3));
            NDArray aux = m.create(new float[] {0, 0, 2, 1, 1, -2}, new Shape(2, 3));
            NDArray labels = m.create(new int[] {1, 0});
            Batch batch = new Batch(m.zeros(new Shape(2, 1, 2, 2)), labels.oneHot(3), labels);
            double expectedMain = (crossEntropy(new double[] {1, 2, 0}, 1) + crossEntropy(new double[] {-1, 0.5, 3}, 0)) / 2;
            double expectedAux = (crossEntropy(new double[] {0, 0, 2}, 1) + crossEntropy(new double[] {1, 1, -2}, 0)) / 2;
            NDArray loss = Hooks.training(hook).lossFor(new NDList(main, aux), batch, Steps.first(),
                    (o, b) -> TrainingLoop.crossEntropy(o.get(0), b.targets()));
            assertEquals(DataType.FLOAT32, loss.getDataType(), "the weight does not promote the loss to float64");
            float both = loss.getFloat();
            assertEquals(expectedMain + 0.3 * expectedAux, both, 1e-5);
            float mainOnly = Hooks.training(hook).lossFor(new NDList(main), batch, Steps.first(),
                    (o, b) -> TrainingLoop.crossEntropy(o.get(0), b.targets())).getFloat();
            assertEquals(expectedMain, mainOnly, 1e-5);
        }
    }

    /**
     * The auxiliary output's gradient is the weight times its loss's gradient, also when freed native
     * memory has been reused before the backward pass (the weight once sat in such memory).
     */
    @Test
    void auxiliaryGradientIsTheWeightWhateverFreedMemoryHolds() {
        TrainingHook hook = new AuxTower().hook(Map.of("weight", 0.3));
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray main = m.ones(new Shape(2, 3));
            NDArray aux = m.ones(new Shape(2, 3));
            main.setRequiresGradient(true);
            aux.setRequiresGradient(true);
            NDArray labels = m.create(new int[] {1, 0});
            Batch batch = new Batch(m.zeros(new Shape(2, 1, 2, 2)), labels.oneHot(3), labels);
            try (GradientCollector collector = new ThreadGradientCollector()) {
                NDArray loss = Hooks.training(hook).lossFor(new NDList(main, aux), batch, Steps.first(), (o, b) -> o.get(0).sum());
                List<ByteBuffer> poisoned = FreedMemory.poison();
                collector.backward(loss);
                Reference.reachabilityFence(poisoned);
            }
            assertArrayEquals(m.full(new Shape(2, 3), 0.3f).toFloatArray(), aux.getGradient().toFloatArray(), 1e-7f);
            assertArrayEquals(m.ones(new Shape(2, 3)).toFloatArray(), main.getGradient().toFloatArray(), 0f);
        }
    }

    @Test
    void networkGivesAuxiliaryLogitsInTrainingAndOnlyMainLogitsInEvaluation() {
        Nb201Ops ops = Hooks.nb201(new AuxTower().hook(Map.of())).configureNetwork(Nb201Ops.standard());
        Genotype g = Genotype.parse(
                "|nor_conv_3x3~0|+|nor_conv_1x1~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|");
        NetworkConfig config = new NetworkConfig(1, 8, 8, 3, 2, 1);
        try (NDManager m = NDManager.newBaseManager()) {
            Block net = Nb201Network.build(g, config, ops);
            net.initialize(m, DataType.FLOAT32, Nb201Network.inputShape(config, 2));
            NDArray x = m.randomNormal(new Shape(4, 1, 8, 8));
            NDList train = net.forward(new ParameterStore(m, false), new NDList(x), true);
            NDList eval = net.forward(new ParameterStore(m, false), new NDList(x), false);
            assertEquals(2, train.size());
            assertEquals(new Shape(4, 3), train.get(1).getShape());
            assertEquals(1, eval.size());
            assertEquals(new Shape(4, 3), eval.get(0).getShape());
            assertEquals(Nb201Cost.parameters(g, config), Nb201Network.countParameters(net),
                    "the reported size leaves out the head, which is dropped at test time");
        }
    }
}
