package org.trickbench.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.trickbench.core.UserInputException;

class ProtocolTest {
    @Test
    void cosineScheduleRunsFromBaseToZeroInOneCycle() {
        Protocol p = Protocol.nasBench201();
        assertEquals(0.1, p.learningRateAt(0, 100), 1e-12);
        assertEquals(0.05, p.learningRateAt(50, 100), 1e-12);
        assertEquals(0.0, p.learningRateAt(100, 100), 1e-12);
        assertEquals(0.1 * 0.5 * (1 + Math.cos(Math.PI / 4)), p.learningRateAt(25, 100), 1e-12);
    }

    @Test
    void benchmarkDefaultsAreTheBenchmarks() {
        Protocol p = Protocol.nasBench201();
        assertEquals(256, p.batchSize());
        assertEquals(200, p.epochs());
        assertEquals(5e-4, p.weightDecay());
        assertEquals(0.9, p.momentum());
        assertTrue(p.nesterov());
    }

    @Test
    void cropPaddingScalesWithResolution() {
        Protocol p = Protocol.nasBench201();
        assertEquals(4, p.cropPaddingAt(28, 28));
        assertEquals(2, p.cropPaddingAt(28, 16));
        assertEquals(4, p.cropPaddingAt(32, 32));
        assertEquals(1, p.cropPaddingAt(28, 4));
    }

    @Test
    void invalidValuesNameTheField() {
        UserInputException e = assertThrows(UserInputException.class, () -> Protocol.nasBench201().withBatchSize(0));
        assertTrue(e.getMessage().contains("protocol.batch-size"));
        UserInputException f = assertThrows(UserInputException.class, () -> new Fidelity(8, 1, 2, 0, 14));
        assertTrue(f.getMessage().contains("fidelity.resolution=14"));
    }
}
