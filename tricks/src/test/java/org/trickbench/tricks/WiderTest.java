package org.trickbench.tricks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.trickbench.core.space.nb201.Genotype;
import org.trickbench.core.space.nb201.Nb201Cost;
import org.trickbench.core.space.nb201.Nb201Network;
import org.trickbench.core.space.nb201.NetworkConfig;

class WiderTest {
    @Test
    void parameterCountMatchesTheFormulaAtTwiceTheChannels() {
        Genotype g = Genotype.parse(
                "|nor_conv_3x3~0|+|nor_conv_1x1~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|");
        NetworkConfig base = new NetworkConfig(1, 8, 8, 2, 3, 1);
        NetworkConfig wide = Hooks.nb201(new Wider().hook(Map.of())).configureNetworkConfig(base);
        assertEquals(6, wide.channels());
        try (NDManager m = NDManager.newBaseManager()) {
            Block net = Nb201Network.build(g, wide);
            net.initialize(m, DataType.FLOAT32, Nb201Network.inputShape(wide, 2));
            assertEquals(Nb201Cost.parameters(g, base.withChannels(6)), Nb201Network.countParameters(net));
        }
        assertEquals(9, Hooks.nb201(new Wider().hook(Map.of("factor", 3))).configureNetworkConfig(base).channels());
        assertFalse(new Wider().inProxyTraining());
    }
}
