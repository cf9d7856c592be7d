package org.trickbench.tricks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.trickbench.core.train.StepContext;
import org.trickbench.core.train.TrainingHook;

class SdartsRsTest {
    @Test
    void weightStepSeesAlphaWithinEpsilonAndTheStoredAlphaIsUnchanged() {
        double epsilon = 0.03;
        TrainingHook hook = new SdartsRs().hook(Map.of("epsilon", epsilon));
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray alpha = m.randomNormal(0, 1e-3f, new Shape(6, 5), DataType.FLOAT32);
            float[] stored = alpha.toFloatArray();
            float[] seen = Hooks.search(hook).architectureForWeightStep(alpha, Steps.at(0, 2, 3)).toFloatArray();
            assertArrayEquals(stored, alpha.toFloatArray(), 0f, "the stored α is untouched");
            double largest = 0;
            int changed = 0;
            for (int i = 0; i < stored.length; i++) {
                double d = Math.abs(seen[i] - stored[i]);
                largest = Math.max(largest, d);
                changed += d > 0 ? 1 : 0;
            }
            assertTrue(largest <= epsilon * (1 + 1e-5), "noise beyond ε: " + largest);
            assertTrue(largest > epsilon / 2, "30 uniform draws reach past ε/2: " + largest);
            assertTrue(changed == stored.length, "every entry is perturbed");
            float[] again = Hooks.search(hook).architectureForWeightStep(alpha, Steps.at(0, 2, 3)).toFloatArray();
            assertArrayEquals(seen, again, 0f, "the same step draws the same noise");
            float[] next = Hooks.search(hook).architectureForWeightStep(alpha, Steps.at(0, 2, 4)).toFloatArray();
            assertFalse(Arrays.equals(seen, next), "each step draws fresh noise");
        }
    }

    /** DARTS's two α in one weight step: each its own noise, the first the noise a single α draws. */
    @Test
    void eachAlphaOfAWeightStepDrawsItsOwnNoiseAndTheFirstTheSingleAlphasNoise() {
        TrainingHook hook = new SdartsRs().hook(Map.of());
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray alpha = m.zeros(new Shape(14, 8), DataType.FLOAT32);
            float[] single = Hooks.search(hook).architectureForWeightStep(alpha, Steps.at(0, 2, 3)).toFloatArray();
            StepContext step = Steps.at(0, 2, 3);
            float[] normal = Hooks.search(hook).architectureForWeightStep(alpha, step).toFloatArray();
            float[] reduce = Hooks.search(hook).architectureForWeightStep(alpha, step).toFloatArray();
            assertArrayEquals(single, normal, 0f, "the first α draws what a single α draws");
            assertFalse(Arrays.equals(normal, reduce), "the second α of the step draws its own noise");
            float[] nextStep = Hooks.search(hook).architectureForWeightStep(alpha, Steps.at(0, 2, 3)).toFloatArray();
            assertArrayEquals(single, nextStep, 0f, "a new weight step starts again from the first α's stream");
        }
    }
}
