package org.trickbench.tricks;

import org.trickbench.core.search.Family;
import org.trickbench.core.trick.Phase;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.trickbench.core.train.Batch;
import org.trickbench.core.train.StepContext;
import org.trickbench.core.train.TrainingHook;
import org.trickbench.core.train.TrainingLoop;

class LabelSmoothingTest {
    @Test
    void lossEqualsTheClosedFormOnAFixedLogitVector() {
        double[] z = {2.0, 1.0, 0.5, -1.0};
        double eps = 0.2;
        // −Σ_k y'_k log p_k with y' = (1 − ε)·e_0 + ε/K and p = softmax(z).
        double logSumExp = Math.log(Math.exp(2.0) + Math.exp(1.0) + Math.exp(0.5) + Math.exp(-1.0));
        double expected = 0;
        for (int k = 0; k < 4; k++) {
            double target = (k == 0 ? 1 - eps : 0) + eps / 4;
            expected -= target * (z[k] - logSumExp);
        }
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray logits = m.create(new float[] {2.0f, 1.0f, 0.5f, -1.0f}).reshape(1, 4);
            NDArray labels = m.create(new int[] {0});
            Batch batch = new Batch(m.zeros(new Shape(1, 1, 2, 2)), labels.oneHot(4), labels);
            TrainingHook hook = new LabelSmoothing().hook(Map.of("eps", eps));
            StepContext ctx = new StepContext(0, 1, 0, 1, 0.1, null);
            float smoothed = Hooks.training(hook).lossFor(new NDList(logits), batch, ctx, (o, b) -> TrainingLoop.crossEntropy(o.get(0),
                    b.targets())).getFloat();
            float plain = TrainingLoop.crossEntropy(logits, batch.targets()).getFloat();
            assertEquals(expected, smoothed, 1e-5);
            assertTrue(Math.abs(smoothed - plain) > 0.1, "smoothing must change the loss");
        }
    }

    @Test
    void actsOnlyInTraining() {
        assertTrue(new LabelSmoothing().inapplicableReason(Family.BLACK_BOX, Phase.SEARCH).isPresent());
        assertTrue(new LabelSmoothing().inapplicableReason(Family.ONE_SHOT, Phase.TRAIN).isEmpty());
    }
}
