package org.trickbench.core.space.darts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.trickbench.core.UserInputException;
import org.trickbench.core.seed.Seeds;

class DartsSupernetTest {
    /** C=4, L=3 (a normal cell, then two reductions) on 1×8×8 images with 3 classes. */
    private static final DartsConfig TINY = new DartsConfig(1, 8, 8, 3, 4, 3, false);

    private static DartsSupernet supernet(NDManager manager, DartsConfig config, int batch) {
        new Seeds(1).seedEngine("darts-supernet-test");
        DartsSupernet net = new DartsSupernet(config);
        net.initialize(manager, DataType.FLOAT32, DartsSupernet.inputShape(config, batch));
        return net;
    }

    /**
     * PyTorch's count of the same network written independently in
     * {@code scripts/pytorch-fixtures/darts_supernet.py}, DARTS's CIFAR-10 search network first.
     */
    @ParameterizedTest
    @CsvSource({"3,32,10,16,8,1930618", "1,8,3,4,3,72183", "2,16,5,6,5,249317"})
    void parameterCountIsThePyTorchReferences(int inChannels, int side, int classes, int channels, int layers,
            long expected) {
        DartsConfig config = new DartsConfig(inChannels, side, side, classes, channels, layers, false);
        try (NDManager manager = NDManager.newBaseManager()) {
            DartsSupernet net = supernet(manager, config, 1);
            assertEquals(expected, net.weightCount(), config.toString());
        }
    }

    @Test
    void cifar10SearchIsDartsSearchSetting() {
        assertEquals(new DartsConfig(3, 32, 32, 10, 16, 8, false), DartsConfig.cifar10Search());
    }

    @Test
    void alphaIsTwoTensorsOfFourteenEdgesByEightOpsInitialisedAtDartsScale() {
        try (NDManager manager = NDManager.newBaseManager()) {
            new Seeds(1).seedEngine("darts-supernet-test");
            DartsSupernet net = new DartsSupernet(TINY);
            // A weight initialiser for everything of type WEIGHT must leave α to its own initialiser.
            net.setInitializer(new ConstantInitializer(0.5f), Parameter.Type.WEIGHT);
            net.initialize(manager, DataType.FLOAT32, DartsSupernet.inputShape(TINY, 2));
            List<Parameter> architecture = new ArrayList<>();
            for (Pair<String, Parameter> p : net.getParameters()) {
                if (p.getValue().getType() == Parameter.Type.OTHER) {
                    architecture.add(p.getValue());
                }
            }
            assertEquals(net.alphas(), architecture);
            assertEquals(List.of(net.alphaNormal(), net.alphaReduce()), net.alphas());
            double sumSq = 0;
            for (boolean reduction : new boolean[] {false, true}) {
                double[][] a = net.alphaValues(reduction);
                assertEquals(14, a.length);
                for (double[] row : a) {
                    assertEquals(8, row.length);
                    for (double v : row) {
                        sumSq += v * v;
                    }
                }
            }
            double std = Math.sqrt(sumSq / (2 * 14 * 8));
            assertTrue(std > 5e-4 && std < 2e-3, "α standard deviation " + std + " should be about 1e-3");
            assertFalse(net.weights().contains(net.alphaNormal()));
            assertFalse(net.weights().contains(net.alphaReduce()));
        }
    }

    @Test
    void onlyTheStemsBatchNormIsAffine() {
        try (NDManager manager = NDManager.newBaseManager()) {
            DartsSupernet net = supernet(manager, TINY, 2);
            List<String> affine = new ArrayList<>();
            for (Pair<String, Parameter> p : net.getParameters()) {
                Parameter.Type type = p.getValue().getType();
                if ((type == Parameter.Type.GAMMA || type == Parameter.Type.BETA) && p.getValue().requiresGradient()) {
                    affine.add(p.getKey());
                }
            }
            assertEquals(2, affine.size(), affine.toString());
            assertTrue(affine.stream().allMatch(name -> name.startsWith("01stem")), affine.toString());
            // The pools of a mixed edge are followed by a BN (whose statistics run), the other ops not.
            DartsMixedOp edge = net.cells().get(0).edge(0);
            assertTrue(hasRunningStatistics(edge.candidate(DartsOp.MAX_POOL_3X3)));
            assertTrue(hasRunningStatistics(edge.candidate(DartsOp.AVG_POOL_3X3)));
            assertFalse(hasRunningStatistics(edge.candidate(DartsOp.SKIP_CONNECT)));
            assertFalse(hasRunningStatistics(edge.candidate(DartsOp.NONE)));
        }
    }

    private static boolean hasRunningStatistics(Block block) {
        return block.getParameters().stream().anyMatch(p -> p.getValue().getType() == Parameter.Type.RUNNING_MEAN);
    }

    @Test
    void edgesAreNumberedInTheAuthorsOrder() {
        int e = 0;
        for (int node = 0; node < 4; node++) {
            for (int input = 0; input < node + 2; input++) {
                assertEquals(e++, DartsSupernet.edge(node, input));
            }
        }
        assertEquals(DartsSupernet.MIXED_EDGES, e);
        assertThrows(IllegalArgumentException.class, () -> DartsSupernet.edge(0, 2));
        assertThrows(IllegalArgumentException.class, () -> DartsSupernet.edge(4, 0));
    }

    @Test
    void anAuxiliaryHeadIsAUserError() {
        UserInputException e = assertThrows(UserInputException.class,
                () -> new DartsSupernet(DartsConfig.cifar10Search().withAuxiliary(true)));
        assertTrue(e.getMessage().contains("auxiliary"), e.getMessage());
    }

    @Test
    void weightedForwardGivesLogitsAndEveryAlphaEntryAGradient() {
        try (NDManager manager = NDManager.newBaseManager()) {
            DartsSupernet net = supernet(manager, TINY, 2);
            NDArray x = manager.randomNormal(new Shape(2, 1, 8, 8));
            assertArrayEquals(new Shape[] {new Shape(2, 3)}, net.getOutputShapes(new Shape[] {x.getShape()}));
            double[] normal;
            double[] reduce;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray logits = net.forward(new ParameterStore(manager, false), new NDList(x), true).singletonOrThrow();
                assertEquals(new Shape(2, 3), logits.getShape());
                collector.backward(logits.mul(manager.randomNormal(logits.getShape())).sum());
            }
            normal = net.alphaNormal().getArray().getGradient().toType(DataType.FLOAT64, false).toDoubleArray();
            reduce = net.alphaReduce().getArray().getGradient().toType(DataType.FLOAT64, false).toDoubleArray();
            // Even none's entries: softmax couples every op of a row.
            for (int i = 0; i < normal.length; i++) {
                assertTrue(normal[i] != 0 && reduce[i] != 0, "α entry " + i + " has no gradient");
            }
        }
    }

    @Test
    void singlePathRunsOnlyTheGenotypesOpsAndLeavesAlphaAlone() {
        try (NDManager manager = NDManager.newBaseManager()) {
            DartsSupernet net = supernet(manager, TINY, 2);
            DartsGenotype path = DartsGenotype.DARTS_V2;
            net.useSinglePath(path);
            assertEquals(path, net.singlePath());
            NDArray x = manager.randomNormal(new Shape(2, 1, 8, 8));
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray logits = net.forward(new ParameterStore(manager, false), new NDList(x), true).singletonOrThrow();
                collector.backward(logits.mul(manager.randomNormal(logits.getShape())).sum());
            }
            for (Parameter alpha : net.alphas()) {
                assertEquals(0, alpha.getArray().getGradient().abs().sum().getFloat(), alpha.getName());
            }
            for (DartsSearchCell cell : net.cells()) {
                List<DartsGenotype.Edge> edges = path.cell(cell.reduction());
                for (int node = 0; node < 4; node++) {
                    for (int input = 0; input < node + 2; input++) {
                        DartsMixedOp edge = cell.edge(DartsSupernet.edge(node, input));
                        for (DartsOp op : List.of(DartsOp.SEP_CONV_3X3, DartsOp.DIL_CONV_3X3, DartsOp.SEP_CONV_5X5)) {
                            boolean onPath = edges.subList(2 * node, 2 * node + 2)
                                    .contains(new DartsGenotype.Edge(op, input));
                            assertEquals(onPath, hasGradient(edge.candidate(op)),
                                    "node " + node + ", input " + input + ", " + op.id());
                        }
                    }
                }
            }
            net.useWeighted();
            assertEquals(null, net.singlePath());
        }
    }

    private static boolean hasGradient(Block block) {
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (p.getValue().requiresGradient() && p.getValue().getArray().getGradient().abs().sum().getFloat() > 0) {
                return true;
            }
        }
        return false;
    }

    @Test
    void genotypeDiscretisesTheNormalAndReductionAlphaAsDartsDoes() {
        try (NDManager manager = NDManager.newBaseManager()) {
            DartsSupernet net = supernet(manager, TINY, 2);
            double[][] normal = DartsGenotypeSearchTest.plantedNormal();
            double[][] reduce = new double[14][8];
            reduce[DartsSupernet.edge(3, 4)][DartsOp.DIL_CONV_5X5.ordinal()] = 1;
            reduce[DartsSupernet.edge(3, 2)][DartsOp.SKIP_CONNECT.ordinal()] = 0.5;
            copy(manager, normal, net.alphaNormal());
            copy(manager, reduce, net.alphaReduce());
            DartsGenotype g = net.genotype();
            assertEquals(DartsGenotypeSearchTest.PLANTED.normal(), g.normal());
            assertEquals(List.of(new DartsGenotype.Edge(DartsOp.DIL_CONV_5X5, 4),
                    new DartsGenotype.Edge(DartsOp.SKIP_CONNECT, 2)), g.reduce().subList(6, 8));
            assertEquals(DartsGenotype.fromAlpha(normal, reduce), g);
        }
    }

    private static void copy(NDManager manager, double[][] values, Parameter into) {
        float[] flat = new float[14 * 8];
        for (int e = 0; e < 14; e++) {
            for (int k = 0; k < 8; k++) {
                flat[e * 8 + k] = (float) values[e][k];
            }
        }
        manager.create(flat, new Shape(14, 8)).copyTo(into.getArray());
    }
}
