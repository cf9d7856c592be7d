package org.trickbench.algorithms;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

class ArchitectureAdamTest {
    @Test
    void twoStepsFollowTorchAdamWithCoupledWeightDecayAndBiasCorrection() {
        // torch.optim.Adam(lr=0.1, betas=(0.5, 0.999), weight_decay=0.01), gradient 1, from w = 2:
        // step 1: g = 1.02, m = 0.51, v = 0.0010404; w = 2 − 0.1/0.5 · 0.51 / (√v/√0.001) = 1.9
        // step 2: g = 1.019, m = 0.7645, v = 0.0020777206; w = 1.9 − 0.1/0.75 · m / √(v/0.001999) = 1.8000163
        // (decoupled AdamW decay would give 1.898 after the first step).
        try (NDManager m = NDManager.newBaseManager()) {
            ArchitectureAdam adam = new ArchitectureAdam(0.1, 0.5, 0.999, 0.01);
            NDArray w = m.create(new float[] {2f});
            adam.update(w, m.create(new float[] {1f}));
            assertEquals(1.9f, w.toFloatArray()[0], 1e-6f);
            adam.update(w, m.create(new float[] {1f}));
            assertEquals(1.8000163f, w.toFloatArray()[0], 1e-6f);
            adam.close();
        }
    }
}
