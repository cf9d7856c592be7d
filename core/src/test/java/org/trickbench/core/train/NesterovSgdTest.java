package org.trickbench.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

class NesterovSgdTest {
    @Test
    void twoStepsFollowTorchSgdWithNesterovAndWeightDecay() {
        // torch.optim.SGD(lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.01), by hand:
        // step 1: g = 1 + 0.01·2 = 1.02; b = 1.02; d = 1.02 + 0.9·1.02 = 1.938; w = 2 − 0.1938 = 1.8062
        // step 2: g = 1 + 0.01·1.8062 = 1.018062; b = 0.9·1.02 + 1.018062 = 1.936062;
        //         d = 1.018062 + 0.9·1.936062 = 2.7605178; w = 1.8062 − 0.27605178 = 1.53014822
        try (NDManager m = NDManager.newBaseManager()) {
            NesterovSgd sgd = new NesterovSgd(0.1f, 0.9f, true, 0.01f);
            NDArray w = m.create(new float[] {2f});
            sgd.update("w", w, m.create(new float[] {1f}));
            assertArrayEquals(new float[] {1.8062f}, w.toFloatArray(), 1e-6f);
            sgd.update("w", w, m.create(new float[] {1f}));
            assertArrayEquals(new float[] {1.53014822f}, w.toFloatArray(), 1e-6f);
        }
    }

    /** The gradient is only read: callers (the bare perf loop, the equivalence tests) keep using theirs. */
    @Test
    void theGradientIsLeftAsItWasInEveryConfiguration() {
        float[][] settings = {{0.1f, 0.9f, 1, 0.01f}, {0.1f, 0.9f, 0, 0.01f}, {0.1f, 0f, 0, 0f}, {0.1f, 0.9f, 1, 0f}};
        for (float[] c : settings) {
            try (NDManager m = NDManager.newBaseManager()) {
                NesterovSgd sgd = new NesterovSgd(c[0], c[1], c[2] == 1, c[3]);
                NDArray w = m.create(new float[] {2f, -1f});
                NDArray g = m.create(new float[] {1f, 0.5f});
                sgd.update("w", w, g);
                sgd.update("w", w, g);
                assertArrayEquals(new float[] {1f, 0.5f}, g.toFloatArray(), 0f, java.util.Arrays.toString(c));
            }
        }
    }

    @Test
    void plainMomentumStepsAlongTheBuffer() {
        try (NDManager m = NDManager.newBaseManager()) {
            NesterovSgd sgd = new NesterovSgd(0.5f, 0.5f, false, 0f);
            NDArray w = m.create(new float[] {0f});
            sgd.update("w", w, m.create(new float[] {1f}));
            sgd.update("w", w, m.create(new float[] {1f}));
            // b1 = 1, w = −0.5; b2 = 1.5, w = −1.25
            assertEquals(-1.25f, w.toFloatArray()[0], 1e-6f);
        }
    }

    @Test
    void exposesTheMomentumBufferItStepsWith() {
        try (NDManager m = NDManager.newBaseManager()) {
            NesterovSgd sgd = new NesterovSgd(0.5f, 0.5f, false, 0f);
            NDArray w = m.create(new float[] {0f});
            assertEquals(null, sgd.momentumBuffer("w", w.getDevice()));
            sgd.update("w", w, m.create(new float[] {1f}));
            sgd.update("w", w, m.create(new float[] {1f}));
            assertArrayEquals(new float[] {1.5f}, sgd.momentumBuffer("w", w.getDevice()).toFloatArray(), 1e-6f);
        }
    }
}
