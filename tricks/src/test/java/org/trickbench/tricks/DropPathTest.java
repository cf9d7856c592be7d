package org.trickbench.tricks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.trickbench.core.space.nb201.Nb201Op;
import org.trickbench.core.space.nb201.Nb201Ops;
import org.trickbench.core.train.Batch;
import org.trickbench.core.train.TrainingHook;

class DropPathTest {
    private static final int SAMPLES = 4000;

    /** The fraction of samples the edge transform zeroed, after checking each sample is all 0 or all 1/(1−p). */
    private static double droppedFraction(float[] out, double p) {
        int per = out.length / SAMPLES;
        int dropped = 0;
        for (int s = 0; s < SAMPLES; s++) {
            float first = out[s * per];
            assertTrue(first == 0f || Math.abs(first - 1 / (1 - p)) < 1e-5, "sample " + s + ": " + first);
            for (int i = 1; i < per; i++) {
                assertEquals(first, out[s * per + i], "sample " + s + " is dropped or kept as a whole");
            }
            dropped += first == 0f ? 1 : 0;
        }
        return dropped / (double) SAMPLES;
    }

    private static Batch batch(NDManager m) {
        NDArray labels = m.zeros(new Shape(1), ai.djl.ndarray.types.DataType.INT32);
        return new Batch(m.zeros(new Shape(1, 1, 2, 2)), labels.oneHot(2), labels);
    }

    @Test
    void zeroesWholeSamplesAndRescalesSurvivorsPreservingTheExpectation() {
        Engine.getInstance().setRandomSeed(7);
        TrainingHook hook = new DropPath().hook(Map.of("prob", 0.4));
        Nb201Ops ops = Hooks.nb201(hook).configureNetwork(Nb201Ops.standard());
        try (NDManager m = NDManager.newBaseManager()) {
            Hooks.training(hook).transformBatch(batch(m), Steps.at(5, 10, 50));
            double p = 0.4 * 5 / 10;
            NDArray ones = m.ones(new Shape(SAMPLES, 2, 2, 2));
            float[] out = ops.edgeOutput().apply(Nb201Op.NOR_CONV_3X3, ones, true).toFloatArray();
            double sigma = Math.sqrt(p * (1 - p) / SAMPLES);
            assertEquals(p, droppedFraction(out, p), 4 * sigma, "drop rate at half-way is half of prob");
            double mean = 0;
            for (float v : out) {
                mean += v;
            }
            assertEquals(1.0, mean / out.length, 4 * sigma / (1 - p), "expectation preserved");
        }
    }

    @Test
    void rampsFromZeroAndSparesIdentityEdgesAndEvaluation() {
        Engine.getInstance().setRandomSeed(8);
        TrainingHook hook = new DropPath().hook(Map.of("prob", 0.4));
        Nb201Ops ops = Hooks.nb201(hook).configureNetwork(Nb201Ops.standard());
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.randomUniform(1, 2, new Shape(SAMPLES, 1, 2, 2));
            float[] in = x.toFloatArray();
            Hooks.training(hook).transformBatch(batch(m), Steps.at(0, 10, 0));
            assertArrayEquals(in, ops.edgeOutput().apply(Nb201Op.NOR_CONV_1X1, x, true).toFloatArray(),
                    "p = 0 in the first epoch");
            Hooks.training(hook).transformBatch(batch(m), Steps.at(9, 10, 90));
            assertArrayEquals(in, ops.edgeOutput().apply(Nb201Op.SKIP_CONNECT, x, true).toFloatArray(),
                    "identity edges are never dropped");
            assertArrayEquals(in, ops.edgeOutput().apply(Nb201Op.NOR_CONV_3X3, x, false).toFloatArray(),
                    "evaluation sees every edge");
            double p = 0.4 * 9 / 10;
            float[] pooled = ops.edgeOutput().apply(Nb201Op.AVG_POOL_3X3, m.ones(new Shape(SAMPLES, 1, 2, 2)), true)
                    .toFloatArray();
            assertEquals(p, droppedFraction(pooled, p), 4 * Math.sqrt(p * (1 - p) / SAMPLES),
                    "pooling edges are dropped too, at p = prob · 9/10 in the last epoch");
        }
    }
}
