package org.trickbench.tricks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.trickbench.core.numerics.GradientCheck;
import org.trickbench.core.space.nb201.Genotype;
import org.trickbench.core.space.nb201.Nb201Cell;
import org.trickbench.core.space.nb201.Nb201Network;
import org.trickbench.core.space.nb201.Nb201Op;
import org.trickbench.core.space.nb201.Nb201Ops;
import org.trickbench.core.space.nb201.NetworkConfig;
import org.trickbench.core.train.Batch;
import org.trickbench.core.train.CrossEntropyClosedForm;
import org.trickbench.core.train.StepContext;
import org.trickbench.core.train.TrainingHook;
import org.trickbench.core.train.TrainingLoop;

/**
 * Gradients of the tricks' own blocks and of the places where a trick touches the gradient, against
 * finite differences in float64 and float32 against float64 ({@link GradientCheck#verify}), and against
 * closed forms where one exists. Random draws (drop-path masks, mixup's λ and partners, cutout's
 * squares) come from the step context, so every forward pass of a check sees the same ones: the hook
 * is handed the same context before each pass, as the training loop does within a step.
 */
@Tag("numerics")
class TrickGradientTest {
    private static final Genotype ALL_OPS =
            Genotype.parse("|nor_conv_3x3~0|+|nor_conv_1x1~0|avg_pool_3x3~1|+|skip_connect~0|none~1|nor_conv_3x3~2|");
    private static final int B = 4;
    private static final int K = 5;

    private static Shape maps(int channels) {
        return new Shape(2, channels, 5, 5);
    }

    private static double[] oneHotTargets(int[] labels) {
        double[] y = new double[labels.length * K];
        for (int b = 0; b < labels.length; b++) {
            y[b * K + labels[b]] = 1;
        }
        return y;
    }

    private static double[] gaussian(long seed, int n) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (1.5 * random.nextGaussian());
        }
        return v;
    }

    private static void assertClose(double[] expected, double[] actual, double tolerance, String what) {
        double scale = 0;
        for (double v : expected) {
            scale = Math.max(scale, Math.abs(v));
        }
        assertArrayEquals(expected, actual, tolerance * scale, what);
    }

    // ---- drop-path -------------------------------------------------------------------------------

    /** Epoch 9 of 10: drop-path's p is 0.9 of its final value. */
    private static final StepContext LATE = Steps.at(9, 10, 90);

    /**
     * One edge's output through drop-path: ∂L/∂x is r / (1 − p) on a kept sample and exactly 0 on a
     * dropped one, with the same mask on every pass of the check; p = 0.9 · 9/10 = 0.81.
     */
    @Test
    void dropPathInputGradientIsTheMaskOverTheKeepProbability() {
        TrainingHook hook = new DropPath().hook(Map.of("prob", 0.9));
        Nb201Ops ops = Hooks.nb201(hook).configureNetwork(Nb201Ops.standard());
        int samples = 8;
        Shape shape = new Shape(samples, 3, 2, 2);
        double[] r = gaussian(4, (int) shape.size());
        GradientCheck check = GradientCheck.function("drop-path edge", (block, ps, in, training) -> {
                    Hooks.training(hook).transformBatch(new Batch(in.head(), null, null), LATE);
                    return new NDList(ops.edgeOutput().apply(Nb201Op.NOR_CONV_3X3, in.head(), training));
                })
                .input("x", shape)
                .outputWeights(r);
        check.verify();
        double[] g = check.gradients(DataType.FLOAT64).get("input:x");
        double keep = 1 - 0.9 * 9 / 10;
        int per = (int) (shape.size() / samples);
        int dropped = 0;
        for (int s = 0; s < samples; s++) {
            boolean kept = g[s * per] != 0;
            dropped += kept ? 0 : 1;
            for (int i = s * per; i < (s + 1) * per; i++) {
                // The mask divides by 1 − p as float32, whatever the array's type.
                double expected = kept ? r[i] / (float) keep : 0;
                assertEquals(expected, g[i], 1e-12 * Math.abs(expected), "sample " + s + " element " + i);
            }
        }
        assertTrue(dropped > 0 && dropped < samples, "some samples dropped, some kept: " + dropped);
    }

    /**
     * A whole cell with drop-path on its edges (skip connections exempt), masks fixed by the step; p =
     * 0.5 · 9/10 = 0.45, so that the last convolution, which feeds the output alone, keeps some samples.
     */
    @ParameterizedTest
    @ValueSource(ints = {3, 4, 8})
    void dropPathCellGradientsAreExact(int channels) {
        TrainingHook hook = new DropPath().hook(Map.of("prob", 0.5));
        Nb201Ops ops = Hooks.nb201(hook).configureNetwork(Nb201Ops.standard());
        GradientCheck check = GradientCheck.of("drop-path cell C=" + channels, () -> new Nb201Cell(ALL_OPS, channels, ops))
                .input("x", new Shape(4, channels, 4, 4))
                .forward((block, ps, in, training) -> {
                    Hooks.training(hook).transformBatch(new Batch(in.head(), null, null), LATE);
                    return block.forward(ps, in, training);
                })
                .coordinates(8);
        check.verify();
        double[] last = check.gradients(DataType.FLOAT64).get("06edge2to3_02Conv2d_weight");
        assertTrue(Arrays.stream(last).anyMatch(v -> v != 0), "the last edge keeps some samples");
    }

    // ---- normalisation blocks --------------------------------------------------------------------

    /** Five samples in virtual batches of two: chunks {0, 1}, {2, 3}, {4}, each with its own statistics. */
    @ParameterizedTest
    @ValueSource(ints = {1, 3, 4, 8, 12, 16, 24})
    void ghostBatchNormGradientsAreExact(int channels) {
        GradientCheck.of("ghost BN C=" + channels, () -> new GhostBnBlock(2))
                .input("x", new Shape(5, channels, 3, 3))
                .verify();
    }

    /** Eight groups requested: 1, 3, 4, 8, 4, 8, 8 groups in use on these channel counts. */
    @ParameterizedTest
    @ValueSource(ints = {1, 3, 4, 8, 12, 16, 24})
    void groupNormGradientsAreExact(int channels) {
        GradientCheck.of("group norm C=" + channels, () -> new GroupNormBlock(8))
                .input("x", maps(channels))
                .verify();
    }

    // ---- auxiliary tower -------------------------------------------------------------------------

    /** The head on 3 channels; its own convolutions are 3→128 and 128→768, 1×1. */
    @Test
    void auxiliaryHeadGradientsAreExact() {
        GradientCheck.of("aux head C=3", () -> AuxTower.head(3, K, Nb201Ops.standard()))
                .input("features", new Shape(3, 3, 8, 8))
                .verify();
    }

    /** main + w · aux: ∂L/∂main = (p − y)/B and ∂L/∂aux = w (p_aux − y)/B. */
    @Test
    void auxiliaryLossGradientIsMainPlusWeightedAuxiliary() {
        double weight = 0.4;
        TrainingHook hook = new AuxTower().hook(Map.of("weight", weight));
        int[] labels = {0, 3, 1, 4};
        double[] y = oneHotTargets(labels);
        double[] main = gaussian(5, B * K);
        double[] aux = gaussian(6, B * K);
        GradientCheck check = GradientCheck.function("aux-tower loss", (block, ps, in, training) -> new NDList(
                        Hooks.training(hook).lossFor(new NDList(in.get(0), in.get(1)), new Batch(null, in.get(2), null), Steps.first(),
                                (outputs, batch) -> TrainingLoop.crossEntropy(outputs.head(), batch.targets()))))
                .input("main", new Shape(B, K), main)
                .input("aux", new Shape(B, K), aux)
                .constant("targets", new Shape(B, K), y)
                .outputWeights(new double[] {1});
        check.verify();
        Map<String, double[]> g = check.gradients(DataType.FLOAT64);
        assertClose(CrossEntropyClosedForm.logitGradient(main, y, B), g.get("input:main"), 1e-12, "main logits");
        double[] expectedAux = CrossEntropyClosedForm.logitGradient(aux, y, B);
        for (int i = 0; i < expectedAux.length; i++) {
            expectedAux[i] *= (float) weight; // Scalars makes the constant in float32
        }
        assertClose(expectedAux, g.get("input:aux"), 1e-12, "auxiliary logits");
    }

    /** A whole network with the auxiliary head, through the trick's loss: every weight, both heads. */
    @Test
    void networkWithAuxiliaryHeadGradientsAreExact() {
        TrainingHook hook = new AuxTower().hook(Map.of("weight", 0.4));
        NetworkConfig config = new NetworkConfig(3, 8, 8, K, 4, 1);
        Nb201Ops ops = Hooks.nb201(hook).configureNetwork(Nb201Ops.standard());
        int[] labels = {2, 0, 4};
        GradientCheck.of("network with aux head", () -> Nb201Network.build(ALL_OPS, config, ops))
                .input("images", Nb201Network.inputShape(config, labels.length))
                .forward((block, ps, in, training) -> {
                    NDList outputs = block.forward(ps, in, training);
                    assertEquals(2, outputs.size(), "training mode returns main and auxiliary logits");
                    NDArray y = in.head().getManager().create(labels).oneHot(K, in.head().getDataType());
                    return new NDList(Hooks.training(hook).lossFor(outputs, new Batch(in.head(), y, null), Steps.first(),
                            (o, batch) -> TrainingLoop.crossEntropy(o.head(), batch.targets())));
                })
                // Its pieces are checked coordinate by coordinate above; here the wiring, by a random
                // direction per tensor.
                .coordinates(0)
                .verify();
    }

    // ---- swish -----------------------------------------------------------------------------------

    /** d/dx x·σ(x) = σ(x) (1 + x (1 − σ(x))). */
    @Test
    void swishGradientIsTheClosedForm() {
        Shape shape = new Shape(3, 4, 5);
        double[] x = gaussian(7, (int) shape.size());
        double[] r = gaussian(8, (int) shape.size());
        GradientCheck check = GradientCheck.function("swish",
                        (block, ps, in, training) -> new NDList(Swish.swish(in.head())))
                .input("x", shape, x)
                .outputWeights(r);
        check.verify();
        double[] expected = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            double s = 1 / (1 + Math.exp(-x[i]));
            expected[i] = r[i] * s * (1 + x[i] * (1 - s));
        }
        assertClose(expected, check.gradients(DataType.FLOAT64).get("input:x"), 1e-12, "swish");
    }

    @ParameterizedTest
    @ValueSource(ints = {3, 4, 8})
    void swishConvBnGradientsAreExact(int channels) {
        Nb201Ops ops = Hooks.nb201(new Swish().hook(Map.of())).configureNetwork(Nb201Ops.standard());
        GradientCheck.of("swish-conv3x3-bn C=" + channels, () -> ops.create(Nb201Op.NOR_CONV_3X3, channels))
                .input("x", maps(channels))
                .verify();
    }

    // ---- mixup -----------------------------------------------------------------------------------

    /**
     * The loss on mixed targets y' = λy + (1 − λ)y_π: ∂L/∂z = (p − y')/B, which is λ times the gradient
     * for y plus (1 − λ) times the gradient for y_π. λ and π are the step's own draws, the same on
     * every pass.
     */
    @Test
    void mixupLossGradientIsTheGradientForTheMixedTargets() {
        TrainingHook hook = new Mixup().hook(Map.of("alpha", 1.0));
        StepContext step = Steps.at(0, 1, 3);
        int[] labels = {0, 1, 2, 3};
        double[] z = gaussian(9, B * K);
        GradientCheck check = GradientCheck.function("mixup loss", (block, ps, in, training) -> {
                    Batch mixed = mix(hook, step, in.get(1), labels);
                    return new NDList(TrainingLoop.crossEntropy(in.get(0), mixed.targets()));
                })
                .input("logits", new Shape(B, K), z)
                .constant("images", new Shape(B, 1, 2, 2), gaussian(10, B * 4))
                .outputWeights(new double[] {1});
        check.verify();
        double[] mixedTargets = GradientCheck.function("mixup targets", (block, ps, in, training) ->
                        new NDList(mix(hook, step, in.get(0), labels).targets()))
                .constant("images", new Shape(B, 1, 2, 2), gaussian(10, B * 4))
                .forwardValues(DataType.FLOAT64).get(0);
        int mixedRows = 0;
        for (int b = 0; b < B; b++) {
            int nonZero = 0;
            for (int k = 0; k < K; k++) {
                nonZero += mixedTargets[b * K + k] > 0 ? 1 : 0;
            }
            mixedRows += nonZero == 2 ? 1 : 0;
        }
        assertTrue(mixedRows > 0, "the fixture mixes some rows of distinct labels");
        assertClose(CrossEntropyClosedForm.logitGradient(z, mixedTargets, B), check.gradients(DataType.FLOAT64).get("input:logits"),
                1e-12, "logits");
    }

    private static Batch mix(TrainingHook hook, StepContext step, NDArray images, int[] labels) {
        NDArray l = images.getManager().create(labels);
        return Hooks.training(hook).transformBatch(new Batch(images, l.oneHot(K, images.getDataType()), l), step);
    }

    // ---- cutout ----------------------------------------------------------------------------------

    /** Cutout multiplies the images by a 0/1 mask: the input gradient is r where kept, exactly 0 in the squares. */
    @Test
    void cutoutMasksTheInputGradient() {
        TrainingHook hook = new Cutout().hook(Map.of("size", 4));
        Shape shape = new Shape(3, 2, 8, 8);
        double[] r = gaussian(11, (int) shape.size());
        GradientCheck check = GradientCheck.function("cutout", (block, ps, in, training) -> new NDList(
                        Hooks.training(hook).transformBatch(new Batch(in.head(), null, null), Steps.first()).images()))
                .input("images", shape)
                .outputWeights(r);
        check.verify();
        double[] g = check.gradients(DataType.FLOAT64).get("input:images");
        int plane = 64;
        for (int b = 0; b < 3; b++) {
            int zeros = 0;
            for (int p = 0; p < plane; p++) {
                int c0 = b * 2 * plane + p;
                int c1 = c0 + plane;
                assertTrue(g[c0] == 0 || g[c0] == r[c0], "image " + b + " pixel " + p + ": 0 or r");
                assertEquals(g[c0] == 0, g[c1] == 0, "the same square in every channel");
                zeros += g[c0] == 0 ? 1 : 0;
            }
            assertTrue(zeros > 0 && zeros <= 16, "image " + b + ": a square of at most 4×4 cut: " + zeros);
        }
    }

    // ---- label smoothing -------------------------------------------------------------------------

    /** Against y' = (1 − ε)y + ε/K: ∂L/∂z = (p − y')/B (the constants are float32, as the trick makes them). */
    @Test
    void labelSmoothingLossGradientIsTheGradientForSmoothedTargets() {
        double eps = 0.1;
        TrainingHook hook = new LabelSmoothing().hook(Map.of("eps", eps));
        int[] labels = {4, 0, 2, 2};
        double[] y = oneHotTargets(labels);
        double[] z = gaussian(12, B * K);
        GradientCheck check = GradientCheck.function("label smoothing", (block, ps, in, training) -> new NDList(
                        Hooks.training(hook).lossFor(new NDList(in.get(0)), new Batch(null, in.get(1), null), Steps.first(),
                                (outputs, batch) -> TrainingLoop.crossEntropy(outputs.head(), batch.targets()))))
                .input("logits", new Shape(B, K), z)
                .constant("targets", new Shape(B, K), y)
                .outputWeights(new double[] {1});
        check.verify();
        double[] smoothed = new double[y.length];
        for (int i = 0; i < y.length; i++) {
            smoothed[i] = y[i] * (float) (1 - eps) + (float) (eps / K);
        }
        assertClose(CrossEntropyClosedForm.logitGradient(z, smoothed, B), check.gradients(DataType.FLOAT64).get("input:logits"),
                1e-12, "logits");
    }
}
