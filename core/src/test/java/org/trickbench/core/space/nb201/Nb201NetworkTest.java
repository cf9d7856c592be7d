package org.trickbench.core.space.nb201;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.trickbench.core.UserInputException;

class Nb201NetworkTest {

    /**
     * Parameter counts published with NAS-Bench-201 (CIFAR-10, C=16, N=5, in millions, from the
     * benchmark's own files), counted here from the DJL network's actual parameters.
     */
    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|skip_connect~1|skip_connect~2|;129306",
        "|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|none~0|nor_conv_3x3~1|avg_pool_3x3~2|;802426",
        "|skip_connect~0|+|skip_connect~0|skip_connect~1|+|none~0|nor_conv_1x1~1|none~2|;101306"
    })
    void parameterCountsMatchTheBenchmark(String genotype, long expected) {
        NetworkConfig config = NetworkConfig.cifar10Benchmark();
        try (NDManager manager = NDManager.newBaseManager()) {
            Block net = Nb201Network.build(Genotype.parse(genotype), config);
            net.initialize(manager, DataType.FLOAT32, Nb201Network.inputShape(config, 2));
            assertEquals(expected, Nb201Network.countParameters(net));
            assertEquals(expected, Nb201Cost.parameters(Genotype.parse(genotype), config));
        }
    }

    @Test
    void parameterFormulaAgreesWithTheBuiltNetworkOnRandomCells() {
        Random random = new Random(7);
        NetworkConfig config = new NetworkConfig(1, 16, 16, 10, 8, 2);
        try (NDManager manager = NDManager.newBaseManager()) {
            for (int i = 0; i < 10; i++) {
                Genotype g = Genotype.fromIndex(random.nextInt(Genotype.SPACE_SIZE));
                Block net = Nb201Network.build(g, config);
                net.initialize(manager, DataType.FLOAT32, Nb201Network.inputShape(config, 2));
                assertEquals(Nb201Network.countParameters(net), Nb201Cost.parameters(g, config), g.toString());
            }
        }
    }

    @Test
    void forwardGivesLogitsForEveryImage() {
        NetworkConfig config = new NetworkConfig(1, 28, 28, 10, 8, 1);
        Genotype g = Genotype.parse(GenotypeTest.BENCHMARK_STRINGS.get(0));
        try (NDManager manager = NDManager.newBaseManager()) {
            Block net = Nb201Network.build(g, config);
            net.initialize(manager, DataType.FLOAT32, Nb201Network.inputShape(config, 3));
            NDArray x = manager.randomNormal(new Shape(3, 1, 28, 28));
            NDArray y = net.forward(new ParameterStore(manager, false), new NDList(x), false).singletonOrThrow();
            assertEquals(new Shape(3, 10), y.getShape());
        }
    }

    @Test
    void allNoneCellOutputsZeros() {
        Genotype none = Genotype.fromIndex(0);
        try (NDManager manager = NDManager.newBaseManager()) {
            Nb201Cell cell = new Nb201Cell(none, 4, Nb201Ops.standard());
            cell.initialize(manager, DataType.FLOAT32, new Shape(2, 4, 8, 8));
            NDArray x = manager.randomNormal(new Shape(2, 4, 8, 8));
            NDArray y = cell.forward(new ParameterStore(manager, false), new NDList(x), false).singletonOrThrow();
            assertEquals(0f, y.abs().sum().getFloat());
        }
    }

    @Test
    void skipOnlyChainSumsPathsLikeTheBenchmark() {
        // All six edges skip_connect: node1 = x, node2 = x + x, node3 = x + x + 2x = 4x.
        Genotype skips = Genotype.parse("|skip_connect~0|+|skip_connect~0|skip_connect~1|+|skip_connect~0|skip_connect~1|skip_connect~2|");
        try (NDManager manager = NDManager.newBaseManager()) {
            Nb201Cell cell = new Nb201Cell(skips, 2, Nb201Ops.standard());
            cell.initialize(manager, DataType.FLOAT32, new Shape(1, 2, 4, 4));
            NDArray x = manager.randomNormal(new Shape(1, 2, 4, 4));
            NDArray y = cell.forward(new ParameterStore(manager, false), new NDList(x), false).singletonOrThrow();
            assertArrayEquals(x.mul(4).toFloatArray(), y.toFloatArray(), 1e-6f);
        }
    }

    @Test
    void averagePoolDoesNotCountPadding() {
        // A corner of a 3×3 window with padding sees 4 real pixels: their mean, not their sum / 9.
        Genotype justPoolToOutput = Genotype.parse("|none~0|+|none~0|none~1|+|avg_pool_3x3~0|none~1|none~2|");
        try (NDManager manager = NDManager.newBaseManager()) {
            Nb201Cell cell = new Nb201Cell(justPoolToOutput, 1, Nb201Ops.standard());
            cell.initialize(manager, DataType.FLOAT32, new Shape(1, 1, 4, 4));
            NDArray ones = manager.ones(new Shape(1, 1, 4, 4));
            NDArray y = cell.forward(new ParameterStore(manager, false), new NDList(ones), false).singletonOrThrow();
            assertArrayEquals(ones.toFloatArray(), y.toFloatArray(), 1e-6f);
            NDArray ramp = manager.arange(16f).reshape(1, 1, 4, 4);
            NDArray pooled = cell.forward(new ParameterStore(manager, false), new NDList(ramp), false).singletonOrThrow();
            // Top-left window holds 0, 1, 4, 5: mean 2.5. Centre (1,1) holds 0,1,2,4,5,6,8,9,10: mean 5.
            assertEquals(2.5f, pooled.getFloat(0, 0, 0, 0), 1e-6f);
            assertEquals(5f, pooled.getFloat(0, 0, 1, 1), 1e-6f);
        }
    }

    @Test
    void flopsCountConvolutionAndLinearMultiplyAccumulates() {
        // Hand count for the all-none cell at 1×8×8, C=4, N=1, 10 classes:
        // stem 4·8·8·1·9 = 2304; reduction 1 (4→8 at 4×4): 8·16·4·9 + 8·16·8·9 + 8·16·4 = 4608 + 9216 + 512;
        // reduction 2 (8→16 at 2×2): 16·4·8·9 + 16·4·16·9 + 16·4·8 = 4608 + 9216 + 512; linear 16·10 = 160
        // and its bias, one per class, 10.
        NetworkConfig config = new NetworkConfig(1, 8, 8, 10, 4, 1);
        assertEquals(2304 + 14336 + 14336 + 160 + 10, Nb201Cost.flops(Genotype.fromIndex(0), config));
        // Each nor_conv_3x3 edge adds 9·C_s²·area per cell: 9·16·64 + 9·64·16 + 9·256·4 = 27648 in all.
        Genotype one3x3 = Genotype.fromIndex(0).with(5, Nb201Op.NOR_CONV_3X3);
        assertEquals(2304 + 14336 + 14336 + 160 + 10 + 27648, Nb201Cost.flops(one3x3, config));
    }

    @Test
    void resolutionMustBeAMultipleOfFour() {
        UserInputException e = assertThrows(UserInputException.class, () -> new NetworkConfig(1, 14, 14, 10, 8, 1));
        assertEquals(true, e.getMessage().contains("multiple of 4"));
    }
    @Test
    void edgeOutputTransformSeesEveryNonNoneEdgeWithItsOp() {
        // Doubling each edge: node1 = 2x, node2 = 2·node1 = 4x, node3 = 2x + 2·node2 = 10x.
        Genotype g = Genotype.parse("|skip_connect~0|+|none~0|skip_connect~1|+|skip_connect~0|none~1|skip_connect~2|");
        List<String> seen = new ArrayList<>();
        Nb201Ops doubling = Nb201Ops.standard().withEdgeOutput((op, out, training) -> {
            seen.add(op.id() + "/" + training);
            return out.mul(2);
        });
        try (NDManager manager = NDManager.newBaseManager()) {
            Nb201Cell cell = new Nb201Cell(g, 2, doubling);
            cell.initialize(manager, DataType.FLOAT32, new Shape(1, 2, 4, 4));
            NDArray x = manager.randomNormal(new Shape(1, 2, 4, 4));
            NDArray y = cell.forward(new ParameterStore(manager, false), new NDList(x), true).singletonOrThrow();
            assertArrayEquals(x.mul(10).toFloatArray(), y.toFloatArray(), 1e-5f);
        }
        assertEquals(List.of("skip_connect/true", "skip_connect/true", "skip_connect/true", "skip_connect/true"), seen);
    }

    @Test
    void auxiliaryHeadBranchesAfterTheSecondStageAndOnlyInTraining() {
        NetworkConfig config = new NetworkConfig(1, 8, 8, 3, 2, 1);
        Genotype g = Genotype.parse(GenotypeTest.BENCHMARK_STRINGS.get(0));
        int[] headChannels = new int[1];
        Nb201Ops withHead = Nb201Ops.standard().withAuxiliaryHead((channels, classes, ops) -> {
            headChannels[0] = channels;
            return new SequentialBlock().add(Pool.globalAvgPool2dBlock()).add(Linear.builder().setUnits(classes).build());
        });
        try (NDManager manager = NDManager.newBaseManager()) {
            Block net = Nb201Network.build(g, config, withHead);
            net.initialize(manager, DataType.FLOAT32, Nb201Network.inputShape(config, 2));
            NDArray x = manager.randomNormal(new Shape(2, 1, 8, 8));
            NDList train = net.forward(new ParameterStore(manager, false), new NDList(x), true);
            NDList eval = net.forward(new ParameterStore(manager, false), new NDList(x), false);
            assertEquals(2, train.size());
            assertEquals(new Shape(2, 3), train.get(1).getShape());
            assertEquals(1, eval.size());
            assertEquals(new Shape(2, 3), eval.get(0).getShape());
            assertEquals(4, headChannels[0], "the second stage has 2C channels");
            assertEquals(Nb201Cost.parameters(g, config), Nb201Network.countParameters(net),
                    "the head is not counted: it is dropped at test time");
        }
    }
}
