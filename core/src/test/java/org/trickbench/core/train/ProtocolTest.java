package org.trickbench.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.trickbench.core.UserInputException;
import org.trickbench.core.run.Canonical;

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
    @Test
    void sgdrRestartsAtTheBaseRateAfterEachCycle() {
        // 14 epochs of 10 steps, t0 = 2, tmult = 2: cycles of 2, 4 and 8 epochs start at steps 0, 20, 60.
        Protocol p = Protocol.nasBench201().withEpochs(14).withSchedule(Protocol.sgdrSchedule(2, 2));
        for (long restart : new long[] {0, 20, 60}) {
            assertEquals(0.1, p.learningRateAt(restart, 140), 1e-12, "step " + restart);
        }
        assertEquals(0.05, p.learningRateAt(10, 140), 1e-12);
        assertEquals(0.05, p.learningRateAt(40, 140), 1e-12);
        assertTrue(p.learningRateAt(19, 140) < 0.001);
        assertTrue(p.learningRateAt(59, 140) < 0.001);
    }

    @Test
    void sgdrAutoFirstCycleIsASeventhOfTheEpochs() {
        Protocol p = Protocol.nasBench201().withEpochs(21).withSchedule(Protocol.sgdrSchedule(0, 2));
        assertEquals("sgdr:t0=auto,tmult=2", p.schedule());
        // t0 = 3 epochs of 4 steps: restarts at steps 12 and 36.
        assertEquals(0.1, p.learningRateAt(12, 84), 1e-12);
        assertEquals(0.1, p.learningRateAt(36, 84), 1e-12);
        assertTrue(p.learningRateAt(11, 84) < 0.01);
    }

    @Test
    void malformedScheduleIsRejectedWithTheAllowedForms() {
        UserInputException e = assertThrows(UserInputException.class,
                () -> Protocol.nasBench201().withSchedule("sgdr:t0=0,tmult=2"));
        assertTrue(e.getMessage().contains("protocol.schedule") && e.getMessage().contains("sgdr:t0="),
                e.getMessage());
        assertThrows(UserInputException.class, () -> Protocol.nasBench201().withSchedule("step"));
    }

    /** The canonical JSON every stored run id hashes: gradient clipping off adds nothing to it. */
    @Test
    void aDefaultProtocolsCanonicalJsonIsUnchanged() {
        String today = "{\"batchSize\":256,\"cropPadding\":4,\"epochs\":200,\"horizontalFlip\":true,"
                + "\"labelSmoothing\":0.0,\"learningRate\":0.1,\"minLearningRate\":0.0,\"momentum\":0.9,"
                + "\"nesterov\":true,\"schedule\":\"cosine\",\"weightDecay\":5.0E-4}";
        assertEquals(today, Canonical.json(Protocol.nasBench201()));
        assertEquals(today, Canonical.json(Protocol.nasBench201().withGradClip(0)));
        assertEquals(Protocol.nasBench201(), read(today));
    }

    @Test
    void gradClipIsInTheCanonicalJsonOnlyWhenSetAndReadsBack() {
        Protocol clipped = Protocol.nasBench201().withGradClip(5);
        String json = Canonical.json(clipped);
        assertTrue(json.contains("\"gradClip\":5.0"), json);
        assertEquals(clipped, read(json));
        assertNotEquals(Canonical.hash(Protocol.nasBench201()), Canonical.hash(clipped));
    }

    @Test
    void gradClipMustBeAFiniteNonNegativeNumber() {
        for (double bad : new double[] {-1, Double.NaN, Double.POSITIVE_INFINITY}) {
            UserInputException e = assertThrows(UserInputException.class, () -> Protocol.nasBench201().withGradClip(bad));
            assertTrue(e.getMessage().startsWith("protocol.grad-clip"), e.getMessage());
        }
    }

    @Test
    void cosineEpochEvaluatesTheCosineAtWholeEpochs() {
        // 4 epochs of 10 steps from 0.025 to 0.001: epoch e at 0.001 + 0.012·(1 + cos(π·e/4)), flat within it.
        Protocol p = new Protocol(0.025, 0.001, 0.9, false, 3e-4, 64, 4, Protocol.COSINE_EPOCH, 4, true, 0);
        for (int step = 0; step < 40; step++) {
            int e = step / 10;
            assertEquals(0.001 + 0.012 * (1 + Math.cos(Math.PI * e / 4)), p.learningRateAt(step, 40), 1e-15,
                    "step " + step);
        }
        assertEquals(0.025, p.learningRateAt(9, 40), 1e-15);
        assertEquals(0.013, p.learningRateAt(20, 40), 1e-15);
        // Past the end it stays at the minimum, as the per-step cosine does.
        assertEquals(0.001, p.learningRateAt(40, 40), 1e-15);
        UserInputException e = assertThrows(UserInputException.class, () -> p.withSchedule("cosine-step"));
        assertTrue(e.getMessage().contains("cosine-epoch"), e.getMessage());
    }

    private static Protocol read(String json) {
        try {
            return Canonical.mapper().readValue(json, Protocol.class);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void presetsAreDartsTrainAndSearchDefaults() {
        Protocol eval = ProtocolPreset.of("darts-eval").protocol();
        assertEquals(new Protocol(0.025, 0, 0.9, false, 3e-4, 96, 600, Protocol.COSINE_EPOCH, 4, true, 0, 5), eval);
        Protocol search = ProtocolPreset.of("darts-search").protocol();
        assertEquals(new Protocol(0.025, 0.001, 0.9, false, 3e-4, 64, 50, Protocol.COSINE_EPOCH, 4, true, 0, 5), search);
        assertEquals(Protocol.nasBench201(), ProtocolPreset.of("nb201").protocol());
        UserInputException e = assertThrows(UserInputException.class, () -> ProtocolPreset.of("darts"));
        assertEquals("protocol.preset 'darts' is not known; allowed: darts-eval, darts-search, nb201", e.getMessage());
    }
}
