package org.trickbench.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.trickbench.core.numerics.GradientCheck;

/**
 * The training loss {@link TrainingLoop#crossEntropy} against soft targets: L = −(1/B) Σ_b Σ_k y_bk ·
 * log softmax(z_b)_k. Its gradient has a closed form, ∂L/∂z_bk = (p_bk · Σ_j y_bj − y_bk) / B and
 * ∂L/∂y_bk = −log p_bk / B, which is checked exactly besides finite differences and float32, for one-hot, mixed (two classes, as mixup makes) and label-smoothed targets.
 */
@Tag("numerics")
class CrossEntropyGradientTest {
    private static final int B = 4;
    private static final int K = 5;

    private enum Targets { ONE_HOT, MIXED, SMOOTHED }

    private static double[] targets(Targets kind) {
        SplittableRandom random = new SplittableRandom(3);
        double[] y = new double[B * K];
        for (int b = 0; b < B; b++) {
            int label = random.nextInt(K);
            int partner = (label + 1 + random.nextInt(K - 1)) % K;
            switch (kind) {
                case ONE_HOT -> y[b * K + label] = 1;
                case MIXED -> {
                    float lambda = 0.3f;
                    y[b * K + label] = lambda;
                    y[b * K + partner] = 1 - lambda;
                }
                case SMOOTHED -> {
                    double eps = 0.1;
                    for (int k = 0; k < K; k++) {
                        y[b * K + k] = (float) ((k == label ? 1 - eps : 0) + eps / K);
                    }
                }
            }
        }
        return y;
    }

    private static double[] logits() {
        SplittableRandom random = new SplittableRandom(8);
        double[] z = new double[B * K];
        for (int i = 0; i < z.length; i++) {
            z[i] = (float) (2 * random.nextGaussian());
        }
        return z;
    }

    private static GradientCheck check(Targets kind) {
        return GradientCheck.function("cross-entropy, " + kind + " targets",
                        (block, ps, in, training) -> new NDList(TrainingLoop.crossEntropy(in.get(0), in.get(1))))
                .input("logits", new Shape(B, K), logits())
                .input("targets", new Shape(B, K), targets(kind))
                .outputWeights(new double[] {1});
    }

    @ParameterizedTest
    @ValueSource(strings = {"ONE_HOT", "MIXED", "SMOOTHED"})
    void gradientsAreTheClosedForm(String kind) {
        Targets t = Targets.valueOf(kind);
        double[] z = logits();
        double[] y = targets(t);
        double[] dz = CrossEntropyClosedForm.logitGradient(z, y, B);
        double[] dy = CrossEntropyClosedForm.targetGradient(z, B);
        Map<String, double[]> g = check(t).gradients(DataType.FLOAT64);
        assertArrayEquals(dz, g.get("input:logits"), 1e-14);
        assertArrayEquals(dy, g.get("input:targets"), 1e-14);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ONE_HOT", "MIXED", "SMOOTHED"})
    void gradientsMatchFiniteDifferencesAndFloat64(String kind) {
        check(Targets.valueOf(kind)).verify();
    }
}
