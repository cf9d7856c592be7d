package org.trickbench.tricks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.trickbench.core.seed.Seeds;
import org.trickbench.core.space.nb201.MixedOp;
import org.trickbench.core.space.nb201.Nb201Op;
import org.trickbench.core.space.nb201.Nb201Ops;
import org.trickbench.core.space.nb201.Nb201Supernet;
import org.trickbench.core.train.ThreadGradientCollector;
import org.trickbench.core.train.TorchDefaultInitializer;
import org.trickbench.core.train.TrainingHook;

class AuxSkipTest {
    @Test
    void betaDecaysLinearlyFromBeta0InTheFirstEpochToZeroInTheLast() {
        assertEquals(1, AuxSkip.beta(1, 0, 50), 0);
        assertEquals(0, AuxSkip.beta(1, 49, 50), 0);
        assertEquals(0.5, AuxSkip.beta(1, 2, 5), 1e-12);
        assertEquals(0.7, AuxSkip.beta(0.7, 0, 1), 0, "a one-epoch search keeps β0");
    }

    /** Edge output minus the softmax-weighted sum of the candidates, run one by one, is β(t)·x. */
    @Test
    void edgeOutputIsTheMixedOpPlusBetaTimesTheInput() {
        TrainingHook hook = new AuxSkip().hook(Map.of("beta0", 2.0));
        Nb201Ops ops = Hooks.nb201(hook).configureSupernetCells(Nb201Supernet.searchCellOps());
        try (NDManager m = NDManager.newBaseManager()) {
            new Seeds(2).seedEngine("aux-skip-test");
            MixedOp edge = MixedOp.of(2, ops);
            edge.setInitializer(new TorchDefaultInitializer(), Parameter.Type.WEIGHT);
            Shape shape = new Shape(3, 2, 4, 4);
            edge.initialize(m, DataType.FLOAT32, shape);
            ParameterStore ps = new ParameterStore(m, false);
            NDArray x = m.randomNormal(shape);
            float[] w = {0.1f, 0.2f, 0.3f, 0.25f, 0.15f};
            NDArray mixed = null;
            for (Nb201Op op : Nb201Op.values()) {
                if (op != Nb201Op.NONE) {
                    NDArray term = edge.candidate(op).forward(ps, new NDList(x), true).singletonOrThrow()
                            .mul(w[op.ordinal()]);
                    mixed = mixed == null ? term : mixed.add(term);
                }
            }
            // Five epochs: β = 2, 1, 0 in epochs 0, 2 and 4.
            double[][] epochAndBeta = {{0, 2}, {2, 1}, {4, 0}};
            for (double[] eb : epochAndBeta) {
                Hooks.training(hook).transformBatch(null, Steps.at((int) eb[0], 5, (long) eb[0] * 10));
                NDArray out = edge.forward(ps, x, MixedOp.Selection.weighted(m.create(w)), true, null);
                assertArrayEquals(mixed.add(x.mul((float) eb[1])).toFloatArray(), out.toFloatArray(), 1e-5f,
                        "epoch " + (int) eb[0]);
            }
            Hooks.training(hook).transformBatch(null, Steps.at(0, 5, 0));
            NDArray skip = edge.forward(ps, x, MixedOp.Selection.single(Nb201Op.SKIP_CONNECT), false, null);
            assertArrayEquals(x.mul(3).toFloatArray(), skip.toFloatArray(), 1e-6f, "single path: op(x) + β·x");
        }
    }

    /**
     * Through a skip edge the output is x + β·x, so the input's gradient is 1 + β, also when freed native
     * memory has been reused before the backward pass (β once sat in such memory, and searches diverged).
     */
    @Test
    void inputGradientIsOnePlusBetaWhateverFreedMemoryHolds() {
        TrainingHook hook = new AuxSkip().hook(Map.of("beta0", 2.0));
        Nb201Ops ops = Hooks.nb201(hook).configureSupernetCells(Nb201Supernet.searchCellOps());
        try (NDManager m = NDManager.newBaseManager()) {
            MixedOp edge = MixedOp.of(2, ops);
            edge.setInitializer(new TorchDefaultInitializer(), Parameter.Type.WEIGHT);
            Shape shape = new Shape(3, 2, 4, 4);
            edge.initialize(m, DataType.FLOAT32, shape);
            Hooks.training(hook).transformBatch(null, Steps.at(0, 5, 0));
            NDArray x = m.ones(shape);
            x.setRequiresGradient(true);
            try (GradientCollector collector = new ThreadGradientCollector()) {
                NDArray out = edge.forward(new ParameterStore(m, false), x,
                        MixedOp.Selection.single(Nb201Op.SKIP_CONNECT), true, null);
                List<ByteBuffer> poisoned = FreedMemory.poison();
                collector.backward(out.sum());
                Reference.reachabilityFence(poisoned);
            }
            assertArrayEquals(m.full(shape, 3f).toFloatArray(), x.getGradient().toFloatArray(), 0f);
        }
    }

    @Test
    void standaloneNetworksAreUntouched() {
        Nb201Ops ops = Nb201Ops.standard();
        assertSame(ops, Hooks.nb201(new AuxSkip().hook(Map.of())).configureNetwork(ops));
    }
}
