package org.trickbench.tricks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.trickbench.core.space.nb201.Nb201Hook;
import org.trickbench.core.train.Protocol;
import org.trickbench.core.train.TrainingHook;

class HeavyWeightDecayTest {
    @Test
    void replacesOnlyTheProtocolsWeightDecay() {
        Protocol base = Protocol.nasBench201();
        TrainingHook hook = new HeavyWeightDecay().hook(Map.of());
        assertEquals(base.withWeightDecay(3e-3), Hooks.training(hook).configureProtocol(base));
        assertEquals(base.withWeightDecay(1e-2),
                Hooks.training(new HeavyWeightDecay().hook(Map.of("value", 1e-2))).configureProtocol(base));
        assertFalse(hook instanceof Nb201Hook, "the network and the supernet's cells are left as they are");
    }
}
