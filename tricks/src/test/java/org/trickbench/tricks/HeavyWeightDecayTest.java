package org.trickbench.tricks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.trickbench.core.space.nb201.Nb201Ops;
import org.trickbench.core.train.Protocol;
import org.trickbench.core.train.TrainingHook;

class HeavyWeightDecayTest {
    @Test
    void replacesOnlyTheProtocolsWeightDecay() {
        Protocol base = Protocol.nasBench201();
        TrainingHook hook = new HeavyWeightDecay().hook(Map.of());
        assertEquals(base.withWeightDecay(3e-3), hook.configureProtocol(base));
        assertEquals(base.withWeightDecay(1e-2), new HeavyWeightDecay().hook(Map.of("value", 1e-2)).configureProtocol(base));
        Nb201Ops ops = Nb201Ops.standard();
        assertSame(ops, hook.configureNetwork(ops));
        assertSame(ops, hook.configureSupernetCells(ops));
    }
}
