package org.trickbench.tricks;

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

class GroupNormTest {
    @Test
    void noBatchNormLayerIsLeftInTheNetwork() {
        Nb201Ops ops = Hooks.nb201(new GroupNorm().hook(Map.of())).configureNetwork(Nb201Ops.standard());
        Genotype g = Genotype.parse(
                "|nor_conv_3x3~0|+|nor_conv_1x1~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|");
        NetworkConfig config = new NetworkConfig(1, 8, 8, 2, 4, 1);
        try (NDManager m = NDManager.newBaseManager()) {
            Block net = Nb201Network.build(g, config, ops);
            net.initialize(m, DataType.FLOAT32, Nb201Network.inputShape(config, 2));
            List<Block> blocks = Blocks.all(net);
            assertEquals(0, blocks.stream().filter(b -> b instanceof BatchNorm).count());
            // Stem 1, three conv edges in each of 3 cells 9, reductions 2 × 2, the last one: 15 in all.
            assertEquals(15, blocks.stream().filter(b -> b instanceof GroupNormBlock).count());
            assertTrue(blocks.stream().filter(b -> b instanceof GroupNormBlock)
                    .allMatch(b -> ((GroupNormBlock) b).groups() == 4 || ((GroupNormBlock) b).groups() == 8),
                    "8 groups, or as many as there are channels (4 at C=4)");
        }
    }

    @Test
    void outputIsNormalisedPerSampleAndGroupNotPerChannelOrBatch() {
        // Two samples × four channels × 3×3, two groups of two channels. Channels within a group have
        // different means, and the two samples different scales.
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.randomNormal(new Shape(2, 4, 3, 3))
                    .add(m.create(new float[] {5, -5, 1, 3}).reshape(1, 4, 1, 1))
                    .mul(m.create(new float[] {1, 10}).reshape(2, 1, 1, 1));
            GroupNormBlock norm = new GroupNormBlock(2);
            norm.initialize(m, DataType.FLOAT32, x.getShape());
            float[] y = norm.forward(new ParameterStore(m, false), new NDList(x), true).singletonOrThrow()
                    .toFloatArray();
            for (int b = 0; b < 2; b++) {
                for (int group = 0; group < 2; group++) {
                    double sum = 0;
                    double sumSq = 0;
                    for (int i = 0; i < 18; i++) {
                        double v = y[b * 36 + group * 18 + i];
                        sum += v;
                        sumSq += v * v;
                    }
                    assertEquals(0, sum / 18, 1e-4, "sample " + b + " group " + group + " mean");
                    assertEquals(1, sumSq / 18, 1e-3, "sample " + b + " group " + group + " variance");
                }
                double channel0 = 0;
                for (int i = 0; i < 9; i++) {
                    channel0 += y[b * 36 + i];
                }
                assertTrue(channel0 / 9 > 0.5, "channel 0 keeps its lead over channel 1 within the group");
            }
        }
    }

    @Test
    void groupsFallBackToADivisorOfTheChannels() {
        assertEquals(4, GroupNormBlock.groupsFor(4, 8));
        assertEquals(6, GroupNormBlock.groupsFor(12, 8));
        assertEquals(8, GroupNormBlock.groupsFor(64, 8));
        assertEquals(1, GroupNormBlock.groupsFor(7, 4));
    }
}
