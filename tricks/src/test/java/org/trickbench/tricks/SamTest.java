package org.trickbench.tricks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.trickbench.core.train.StepContext;

class SamTest {
    /**
     * Loss ½‖w‖² + a·w + ½‖v‖², so the gradient at (w, v) is (w + a, v) and SAM's step gradient is
     * the gradient at (w, v) + ρ·g/‖g‖, known in closed form.
     */
    @Test
    void stepsFromRestoredWeightsWithTheGradientAtThePerturbedPoint() {
        float[] w0 = {1f, -2f, 0.5f};
        float[] a = {0.5f, 0.5f, -1f};
        float[] v0 = {2f};
        double rho = 0.1;
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray w = m.create(w0);
            NDArray v = m.create(v0);
            NDArray shift = m.create(a);
            w.setRequiresGradient(true);
            v.setRequiresGradient(true);
            int[] evaluations = {0};
            Runnable gradient = () -> {
                evaluations[0]++;
                w.getGradient().muli(0);
                v.getGradient().muli(0);
                try (GradientCollector c = Engine.getInstance().newGradientCollector()) {
                    c.backward(w.square().sum().mul(0.5).add(w.mul(shift).sum()).add(v.square().sum().mul(0.5)));
                }
            };
            gradient.run();
            StepContext ctx = Steps.withWeights(List.of(w, v), gradient);
            List<float[]> seenAtStep = new ArrayList<>();
            Hooks.training(new Sam().hook(Map.of("rho", rho))).step(ctx, () -> {
                seenAtStep.add(w.toFloatArray());
                seenAtStep.add(v.toFloatArray());
                seenAtStep.add(w.getGradient().toFloatArray());
                seenAtStep.add(v.getGradient().toFloatArray());
            });
            assertEquals(2, evaluations[0], "two gradient evaluations per step");
            assertArrayEquals(w0, seenAtStep.get(0), 1e-6f, "weights restored before the step");
            assertArrayEquals(v0, seenAtStep.get(1), 1e-6f, "weights restored before the step");
            double[] g = {w0[0] + a[0], w0[1] + a[1], w0[2] + a[2], v0[0]};
            double norm = Math.sqrt(g[0] * g[0] + g[1] * g[1] + g[2] * g[2] + g[3] * g[3]);
            float[] expectedW = new float[3];
            for (int i = 0; i < 3; i++) {
                // ∇ at w + ε̂: (w + ε̂) + a.
                expectedW[i] = (float) (w0[i] + rho * g[i] / norm + a[i]);
            }
            assertArrayEquals(expectedW, seenAtStep.get(2), 1e-5f, "gradient taken at w + ε̂");
            assertArrayEquals(new float[] {(float) (v0[0] + rho * g[3] / norm)}, seenAtStep.get(3), 1e-5f);
        }
    }
}
