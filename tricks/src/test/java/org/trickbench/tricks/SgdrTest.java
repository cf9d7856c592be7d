package org.trickbench.tricks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.trickbench.core.train.Protocol;

class SgdrTest {
    @Test
    void learningRateAtEachRestartEqualsTheBaseRate() {
        // 14 epochs of 10 steps with t0 = auto = 2 and tmult = 2: restarts at epochs 0, 2 and 6.
        Protocol base = Protocol.nasBench201().withEpochs(14);
        Protocol sgdr = Hooks.training(new Sgdr().hook(Map.of())).configureProtocol(base);
        long total = 140;
        for (long restart : new long[] {0, 20, 60}) {
            assertEquals(base.learningRate(), sgdr.learningRateAt(restart, total), 1e-12, "step " + restart);
        }
        assertTrue(base.learningRateAt(20, total) < 0.099, "one cosine cycle does not restart");
        assertTrue(sgdr.learningRateAt(19, total) < 0.01, "the rate anneals before a restart");
    }

    @Test
    void explicitFirstCycleAndGrowth() {
        Protocol sgdr = Hooks.training(new Sgdr().hook(Map.of("t0", 1, "tmult", 3))).configureProtocol(Protocol.nasBench201()
                .withEpochs(13));
        // Cycles of 1, 3 and 9 epochs of 10 steps: restarts at steps 10 and 40.
        assertEquals(0.1, sgdr.learningRateAt(10, 130), 1e-12);
        assertEquals(0.1, sgdr.learningRateAt(40, 130), 1e-12);
        assertEquals(0.05, sgdr.learningRateAt(25, 130), 1e-12);
    }
}
