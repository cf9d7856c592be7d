package org.trickbench.tricks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.trickbench.core.train.Batch;
import org.trickbench.core.train.TrainingHook;

class MixupTest {
    private static final int B = 8;

    @Test
    void imagesAndTargetsAreTheSameConvexCombination() {
        Engine.getInstance().setRandomSeed(5);
        try (NDManager m = NDManager.newBaseManager()) {
            // One class per image, so a mixed target row names both partners and λ.
            NDArray x = m.randomNormal(new Shape(B, 1, 4, 4));
            NDArray labels = m.arange(0, B, 1, ai.djl.ndarray.types.DataType.INT32);
            TrainingHook hook = new Mixup().hook(Map.of("alpha", 1.0));
            int mixedRows = 0;
            for (long step = 0; step < 5; step++) {
                Batch out = Hooks.training(hook).transformBatch(new Batch(x, labels.oneHot(B), labels), Steps.at(0, 1, step));
                float[] y = out.targets().toFloatArray();
                float[] xs = x.toFloatArray();
                float[] mixed = out.images().toFloatArray();
                double lambda = Double.NaN;
                for (int i = 0; i < B; i++) {
                    int partner = i;
                    for (int k = 0; k < B; k++) {
                        if (k != i && y[i * B + k] > 0) {
                            partner = k;
                        }
                    }
                    double weight = y[i * B + i];
                    if (partner != i) {
                        mixedRows++;
                        lambda = Double.isNaN(lambda) ? weight : lambda;
                        assertEquals(lambda, weight, 1e-6, "one λ per batch");
                        assertEquals(1 - weight, y[i * B + partner], 1e-6, "target row sums to 1");
                    }
                    for (int p = 0; p < 16; p++) {
                        double expected = weight * xs[i * 16 + p] + (1 - weight) * xs[partner * 16 + p];
                        assertEquals(expected, mixed[i * 16 + p], 1e-5, "image " + i + " pixel " + p);
                    }
                }
                assertTrue(Double.isNaN(lambda) || (lambda > 0 && lambda < 1), "λ " + lambda);
            }
            assertTrue(mixedRows > 20, "images are mixed with partners: " + mixedRows);
        }
    }

    @Test
    void lambdaFollowsBetaAlphaAlpha() {
        SplittableRandom random = new SplittableRandom(9);
        int n = 40_000;
        for (double alpha : new double[] {0.2, 1.0, 4.0}) {
            double sum = 0;
            double sumSq = 0;
            for (int i = 0; i < n; i++) {
                double l = Mixup.sampleBeta(alpha, random);
                assertTrue(l >= 0 && l <= 1);
                sum += l;
                sumSq += l * l;
            }
            double mean = sum / n;
            double variance = sumSq / n - mean * mean;
            // Beta(α, α): mean 1/2, variance 1 / (4(2α + 1)).
            double expectedVariance = 1 / (4 * (2 * alpha + 1));
            assertEquals(0.5, mean, 4 * Math.sqrt(expectedVariance / n), "alpha " + alpha);
            assertEquals(expectedVariance, variance, 0.05 * expectedVariance, "alpha " + alpha);
        }
    }

    @Test
    void sameRunStepDrawsTheSameLambda() {
        TrainingHook hook = new Mixup().hook(Map.of());
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.ones(new Shape(2, 1, 2, 2));
            NDArray labels = m.create(new int[] {0, 1});
            Engine.getInstance().setRandomSeed(6);
            float[] a = Hooks.training(hook).transformBatch(new Batch(x, labels.oneHot(2), labels), Steps.at(0, 1, 3)).targets()
                    .toFloatArray();
            Engine.getInstance().setRandomSeed(6);
            float[] b = Hooks.training(hook).transformBatch(new Batch(x, labels.oneHot(2), labels), Steps.at(0, 1, 3)).targets()
                    .toFloatArray();
            assertEquals(Arrays.toString(a), Arrays.toString(b));
        }
    }
}
