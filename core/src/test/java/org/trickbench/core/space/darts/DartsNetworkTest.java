package org.trickbench.core.space.darts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.trickbench.core.space.nb201.Nb201Network;

class DartsNetworkTest {
    private static final DartsConfig SMALL = new DartsConfig(3, 32, 32, 10, 8, 5, true);

    /**
     * Every op on both strides: in the reduction cell ops on inputs 0 and 1 stride by 2 (none, both pools,
     * skip_connect as a factorized reduction, both convolutions), those on nodes do not.
     */
    static final DartsGenotype EVERY_OP = DartsGenotype.parse("Genotype(normal=[('none', 0), ('max_pool_3x3', 1),"
            + " ('avg_pool_3x3', 0), ('skip_connect', 2), ('sep_conv_3x3', 1), ('sep_conv_5x5', 3),"
            + " ('dil_conv_3x3', 4), ('dil_conv_5x5', 0)], normal_concat=range(2, 6), reduce=[('none', 0),"
            + " ('max_pool_3x3', 1), ('avg_pool_3x3', 0), ('skip_connect', 1), ('sep_conv_3x3', 3), ('sep_conv_5x5', 0),"
            + " ('dil_conv_3x3', 1), ('dil_conv_5x5', 4)], reduce_concat=range(2, 6))");

    private static long builtParameters(NDManager manager, DartsGenotype genotype, DartsConfig config) {
        Block net = DartsNetwork.build(genotype, config);
        net.initialize(manager, DataType.FLOAT32, DartsNetwork.inputShape(config, 2));
        // Every trainable tensor the block holds (BN running statistics left out), the head included.
        return Nb201Network.countParameters(net);
    }

    @ParameterizedTest
    @ValueSource(strings = {"DARTS_V1", "DARTS_V2", "PDARTS", "PC_DARTS_CIFAR", "PC_DARTS_IMAGENET"})
    void builtNetworkHasTheCostModelsParameterCount(String name) {
        DartsGenotype genotype = DartsGenotype.published().get(name);
        try (NDManager manager = NDManager.newBaseManager()) {
            for (DartsConfig config : List.of(SMALL, SMALL.withAuxiliary(false))) {
                assertEquals(DartsCost.parameters(genotype, config), builtParameters(manager, genotype, config),
                        name + " " + config);
            }
        }
    }

    @Test
    void pdartsAtTheEvaluationSizeHasItsPublishedCount() {
        try (NDManager manager = NDManager.newBaseManager()) {
            DartsConfig config = DartsConfig.cifar10Evaluation();
            assertEquals(3_910_224L, builtParameters(manager, DartsGenotype.PDARTS, config));
            assertEquals(3_433_798L, builtParameters(manager, DartsGenotype.PDARTS, config.withAuxiliary(false)));
        }
    }

    @Test
    void everyOpOnBothStridesBuildsAndCounts() {
        try (NDManager manager = NDManager.newBaseManager()) {
            assertEquals(DartsCost.parameters(EVERY_OP, SMALL), builtParameters(manager, EVERY_OP, SMALL));
            assertLogits(manager, EVERY_OP, SMALL);
        }
    }

    @Test
    void forwardGivesMainAndAuxiliaryLogitsInTrainingAndMainAloneInEvaluation() {
        try (NDManager manager = NDManager.newBaseManager()) {
            assertLogits(manager, DartsGenotype.DARTS_V2, SMALL);
            // Without the head, training gives the main logits alone; so does a 1-channel 16×16 input.
            DartsConfig plain = new DartsConfig(1, 16, 16, 7, 4, 3, false);
            Block net = DartsNetwork.build(DartsGenotype.PDARTS, plain);
            net.initialize(manager, DataType.FLOAT32, DartsNetwork.inputShape(plain, 3));
            NDList out = net.forward(new ParameterStore(manager, false),
                    new NDList(manager.randomNormal(new Shape(3, 1, 16, 16))), true);
            assertEquals(1, out.size());
            assertEquals(new Shape(3, 7), out.singletonOrThrow().getShape());
            assertArrayEquals(new Shape[] {new Shape(3, 7)}, net.getOutputShapes(new Shape[] {new Shape(3, 1, 16, 16)}));
        }
    }

    private static void assertLogits(NDManager manager, DartsGenotype genotype, DartsConfig config) {
        Block net = DartsNetwork.build(genotype, config);
        net.initialize(manager, DataType.FLOAT32, DartsNetwork.inputShape(config, 4));
        NDList in = new NDList(manager.randomNormal(new Shape(4, 3, 32, 32)));
        NDList training = net.forward(new ParameterStore(manager, false), in, true);
        assertEquals(2, training.size());
        assertEquals(new Shape(4, 10), training.get(0).getShape());
        assertEquals(new Shape(4, 10), training.get(1).getShape());
        NDList evaluation = net.forward(new ParameterStore(manager, false), in, false);
        assertEquals(1, evaluation.size());
        assertEquals(new Shape(4, 10), evaluation.singletonOrThrow().getShape());
        assertEquals(0, evaluation.singletonOrThrow().isNaN().sum().getLong());
    }

    @Test
    void reductionCellHalvesTheSideAndConcatenatesFourNodes() {
        try (NDManager manager = NDManager.newBaseManager()) {
            // After a reduction, s0 is at twice s1's side and the factorized reduction brings it down.
            DartsCell cell = new DartsCell(EVERY_OP, 6, true, true);
            Shape s0 = new Shape(2, 5, 32, 32);
            Shape s1 = new Shape(2, 7, 16, 16);
            cell.initialize(manager, DataType.FLOAT32, s0, s1);
            NDArray out = cell.forward(new ParameterStore(manager, false),
                    new NDList(manager.randomNormal(s0), manager.randomNormal(s1)), false).singletonOrThrow();
            assertEquals(new Shape(2, 24, 8, 8), out.getShape());
            assertEquals(out.getShape(), cell.getOutputShapes(new Shape[] {s0, s1})[0]);
        }
    }

    @Test
    void stridedAveragePoolDoesNotCountPaddingAndNoneGivesStridedZeros() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray ramp = manager.arange(16f).reshape(1, 1, 4, 4);
            Block pool = DartsOps.create(DartsOp.AVG_POOL_3X3, 1, 2);
            pool.initialize(manager, DataType.FLOAT32, ramp.getShape());
            NDArray pooled = pool.forward(new ParameterStore(manager, false), new NDList(ramp), false).singletonOrThrow();
            // Windows at (0,0) and (2,2): {0,1,4,5} mean 2.5; {5,6,7,9,10,11,13,14,15} mean 10.
            assertEquals(new Shape(1, 1, 2, 2), pooled.getShape());
            assertEquals(2.5f, pooled.getFloat(0, 0, 0, 0), 1e-6f);
            assertEquals(10f, pooled.getFloat(0, 0, 1, 1), 1e-6f);
            Block none = DartsOps.create(DartsOp.NONE, 1, 2);
            none.initialize(manager, DataType.FLOAT32, ramp.getShape());
            NDArray zeros = none.forward(new ParameterStore(manager, false), new NDList(ramp), false).singletonOrThrow();
            assertEquals(new Shape(1, 1, 2, 2), zeros.getShape());
            assertEquals(0f, zeros.abs().sum().getFloat());
        }
    }
}
