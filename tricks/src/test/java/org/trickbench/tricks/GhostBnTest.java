package org.trickbench.tricks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.trickbench.core.space.nb201.Genotype;
import org.trickbench.core.space.nb201.Nb201Network;
import org.trickbench.core.space.nb201.Nb201Ops;
import org.trickbench.core.space.nb201.NetworkConfig;

class GhostBnTest {
    @Test
    void eachVirtualBatchIsNormalisedWithItsOwnStatistics() {
        // Five samples × one channel × 1×2 pixels, virtual batches {0, 1}, {2, 3}, {4}.
        // Chunk 1 holds 1, 3, 5, 7: mean 4, variance 5. Chunk 2 holds 100, 300, 500, 700: mean 400,
        // variance 50000. Chunk 3 holds 10, 20: mean 15, variance 25.
        float[] x = {1, 3, 5, 7, 100, 300, 500, 700, 10, 20};
        float[] expected = new float[x.length];
        float[][] stats = {{4, 5}, {400, 50000}, {15, 25}};
        for (int i = 0; i < x.length; i++) {
            float[] s = stats[Math.min(i / 4, 2)];
            expected[i] = (float) ((x[i] - s[0]) / Math.sqrt(s[1] + 1e-5));
        }
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray input = m.create(x, new Shape(5, 1, 1, 2));
            GhostBnBlock bn = new GhostBnBlock(2);
            bn.initialize(m, DataType.FLOAT32, input.getShape());
            NDArray y = bn.forward(new ParameterStore(m, false), new NDList(input), true).singletonOrThrow();
            assertEquals(input.getShape(), y.getShape());
            // Plain BatchNorm over the whole batch would centre every value on the batch mean, 164.6.
            assertArrayEquals(expected, y.toFloatArray(), 1e-4f);
        }
    }

    @Test
    void everyNormalisationLayerOfTheNetworkIsGhost() {
        Nb201Ops ops = Hooks.nb201(new GhostBn().hook(Map.of("virtual-batch", 4))).configureNetwork(Nb201Ops.standard());
        Genotype g = Genotype.parse(
                "|nor_conv_3x3~0|+|nor_conv_1x1~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|");
        NetworkConfig config = new NetworkConfig(1, 8, 8, 2, 2, 1);
        try (NDManager m = NDManager.newBaseManager()) {
            Block net = Nb201Network.build(g, config, ops);
            net.initialize(m, DataType.FLOAT32, Nb201Network.inputShape(config, 2));
            List<Block> norms = Blocks.all(net).stream().filter(b -> b instanceof BatchNorm).toList();
            assertEquals(15, norms.size(), "stem 1, cells 3 × 3, reductions 2 × 2, last 1");
            assertTrue(norms.stream().allMatch(b -> b instanceof GhostBnBlock));
            NDArray out = net.forward(new ParameterStore(m, false), new NDList(m.randomNormal(new Shape(10, 1, 8, 8))),
                    true).singletonOrThrow();
            assertEquals(new Shape(10, 2), out.getShape(), "a batch of 10 in virtual batches of 4, 4 and 2");
        }
    }
}
