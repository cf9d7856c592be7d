package org.trickbench.core.space.nb201;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.trickbench.core.seed.Seeds;
import org.trickbench.core.train.TorchDefaultInitializer;

class MixedOpTest {
    private static final Shape X = new Shape(2, 3, 8, 8);

    private static MixedOp realOps(NDManager manager) {
        new Seeds(5).seedEngine("mixed-op-test");
        MixedOp op = MixedOp.of(3, Nb201Ops.standard());
        op.setInitializer(new TorchDefaultInitializer(), Parameter.Type.WEIGHT);
        op.initialize(manager, DataType.FLOAT32, X);
        return op;
    }

    private static float[] alone(MixedOp mixed, Nb201Op op, NDArray x, NDManager manager) {
        return mixed.candidate(op).forward(new ParameterStore(manager, false), new NDList(x), true)
                .singletonOrThrow().toFloatArray();
    }

    @Test
    void weightedOutputIsTheSoftmaxWeightedSumOfTheFiveOps() {
        try (NDManager manager = NDManager.newBaseManager()) {
            MixedOp mixed = realOps(manager);
            NDArray x = manager.randomNormal(X);
            double[] alpha = {0.3, -1.2, 0.8, 1.5, -0.4};
            double max = 1.5;
            double z = 0;
            for (double a : alpha) {
                z += Math.exp(a - max);
            }
            double[] w = new double[5];
            for (int k = 0; k < 5; k++) {
                w[k] = Math.exp(alpha[k] - max) / z;
            }
            float[] expected = new float[(int) X.size()];
            for (Nb201Op op : Nb201Op.values()) {
                if (op == Nb201Op.NONE) {
                    continue; // contributes w · 0
                }
                float[] out = alone(mixed, op, x, manager);
                for (int i = 0; i < expected.length; i++) {
                    expected[i] += (float) (w[op.ordinal()] * out[i]);
                }
            }
            NDArray probabilities = manager.create(alpha).toType(DataType.FLOAT32, false).softmax(0);
            NDArray y = mixed.forward(new ParameterStore(manager, false), x, MixedOp.Selection.weighted(probabilities),
                    true, null);
            assertArrayEquals(expected, y.toFloatArray(), 1e-5f);
            // The block interface (inputs: feature map, edge weights) is the same weighted sum.
            NDArray viaBlock = mixed.forward(new ParameterStore(manager, false), new NDList(x, probabilities), true)
                    .singletonOrThrow();
            assertArrayEquals(expected, viaBlock.toFloatArray(), 1e-5f);
        }
    }

    @Test
    void oneHotRunsOnlyTheChosenOpYetEveryAlphaOfTheEdgeGetsAGradient() {
        int[] calls = new int[5];
        List<Block> counting = new ArrayList<>();
        for (int k = 0; k < 5; k++) {
            int op = k;
            counting.add(LambdaBlock.singleton(x -> {
                calls[op]++;
                return x.mul(op + 1);
            }));
        }
        MixedOp mixed = new MixedOp(counting);
        try (NDManager manager = NDManager.newBaseManager()) {
            mixed.initialize(manager, DataType.FLOAT32, X);
            NDArray x = manager.randomUniform(0.5f, 1.5f, X);
            NDArray alpha = manager.create(new float[] {0.1f, -0.2f, 0.3f, 0.05f, -0.1f});
            alpha.setRequiresGradient(true);
            NDArray gumbel = manager.create(new float[] {0.2f, 0.1f, 0.4f, 2.0f, -0.3f});
            int chosen = 3; // argmax(α + g)
            NDArray y;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray p = alpha.logSoftmax(0).add(gumbel).div(0.5f).softmax(0);
                NDArray hard = manager.create(new float[] {0, 0, 0, 1, 0}).sub(p.stopGradient()).add(p);
                y = mixed.forward(new ParameterStore(manager, false), x, MixedOp.Selection.oneHot(hard, chosen), true,
                        null);
                collector.backward(y.mul(x).sum());
            }
            assertArrayEquals(new int[] {0, 0, 0, 1, 0}, calls);
            assertArrayEquals(x.mul(chosen + 1).toFloatArray(), y.toFloatArray(), 1e-6f);
            for (float g : alpha.getGradient().toFloatArray()) {
                assertNotEquals(0f, g, "every α of the edge needs a gradient");
            }
        }
    }

    @Test
    void oneHotOnNoneOutputsZerosAndStillPassesGradientToAlpha() {
        try (NDManager manager = NDManager.newBaseManager()) {
            MixedOp mixed = realOps(manager);
            NDArray x = manager.randomNormal(X);
            NDArray alpha = manager.create(new float[] {0.5f, 0.1f, -0.1f, 0.2f, 0f});
            alpha.setRequiresGradient(true);
            NDArray y;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray p = alpha.softmax(0);
                NDArray hard = manager.create(new float[] {1, 0, 0, 0, 0}).sub(p.stopGradient()).add(p);
                y = mixed.forward(new ParameterStore(manager, false), x, MixedOp.Selection.oneHot(hard, 0), true, null);
                collector.backward(y.sum());
            }
            assertEquals(0f, y.abs().sum().getFloat());
            assertTrue(alpha.getGradient().abs().sum().getFloat() > 0);
        }
    }

    @Test
    void singlePathOutputIsExactlyTheChosenOpsOutput() {
        try (NDManager manager = NDManager.newBaseManager()) {
            MixedOp mixed = realOps(manager);
            NDArray x = manager.randomNormal(X);
            for (Nb201Op op : Nb201Op.values()) {
                NDArray y = mixed.forward(new ParameterStore(manager, false), x, MixedOp.Selection.single(op), true, null);
                float[] expected = op == Nb201Op.NONE ? new float[(int) X.size()] : alone(mixed, op, x, manager);
                assertArrayEquals(expected, y.toFloatArray(), op.id());
            }
        }
    }
}
