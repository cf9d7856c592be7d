package org.trickbench.core.space.nb201;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.trickbench.core.numerics.GradientCheck;

/**
 * Gradients of the NAS-Bench-201 operations against finite differences (float64) and float32 against
 * float64, at channel counts on and off the CPU's SIMD block (1, 3, 4, 8, 12, 16, 24) and with stride 2
 * where the op has one. Batch 2 of 5×5 maps: odd sides, so stride 2 and the pooling borders see
 * uneven windows. Tolerances: {@link GradientCheck#FINITE_DIFFERENCE_TOLERANCE} and
 * {@link GradientCheck#FLOAT32_TOLERANCE}.
 */
@Tag("numerics")
class Nb201OpGradientTest {
    private static Shape maps(int channels) {
        return new Shape(2, channels, 5, 5);
    }

    private static void check(String name, Supplier<Block> block, int channels) {
        GradientCheck.of(name + " C=" + channels, block).input("x", maps(channels)).verify();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 4, 8, 12, 16, 24})
    void reluConv1x1BnGradientsAreExact(int channels) {
        check("nor_conv_1x1", () -> Nb201Ops.standard().create(Nb201Op.NOR_CONV_1X1, channels), channels);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 4, 8, 12, 16, 24})
    void reluConv3x3BnGradientsAreExact(int channels) {
        check("nor_conv_3x3", () -> Nb201Ops.standard().create(Nb201Op.NOR_CONV_3X3, channels), channels);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 4, 8, 12, 16, 24})
    void reluConvBnWithStrideTwoGradientsAreExact(int channels) {
        check("relu-conv3x3/2-bn", () -> Nb201Ops.standard().reluConvBn(channels, 3, 2, 1), channels);
        check("relu-conv1x1/2-bn", () -> Nb201Ops.standard().reluConvBn(channels, 1, 2, 0), channels);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 4, 8, 12, 16, 24})
    void avgPool3x3WithoutPaddingCountGradientsAreExact(int channels) {
        check("avg_pool_3x3", () -> Nb201Ops.standard().create(Nb201Op.AVG_POOL_3X3, channels), channels);
    }

    /**
     * The input gradient of the uncounted average, by hand: output pixel (i, j) averages its n_ij real
     * neighbours, so dL/dx_pq = Σ over windows containing (p, q) of r_ij / n_ij.
     */
    @Test
    void avgPool3x3InputGradientIsTheDirectSumOverWindows() {
        int side = 5;
        Shape shape = new Shape(1, 1, side, side);
        double[] r = new double[side * side];
        for (int i = 0; i < r.length; i++) {
            r[i] = (float) Math.sin(1 + i); // the check rounds every value to float32
        }
        GradientCheck check = GradientCheck.function("avg_pool_3x3 by hand",
                        (b, ps, in, training) -> new NDList(AvgPool3x3.pool(in.singletonOrThrow())))
                .input("x", shape)
                .outputWeights(r);
        Map<String, double[]> g = check.gradients(DataType.FLOAT64);
        double[] expected = new double[side * side];
        for (int i = 0; i < side; i++) {
            for (int j = 0; j < side; j++) {
                int rows = Math.min(i + 1, side - 1) - Math.max(i - 1, 0) + 1;
                int cols = Math.min(j + 1, side - 1) - Math.max(j - 1, 0) + 1;
                for (int p = Math.max(i - 1, 0); p <= Math.min(i + 1, side - 1); p++) {
                    for (int q = Math.max(j - 1, 0); q <= Math.min(j + 1, side - 1); q++) {
                        expected[p * side + q] += r[i * side + j] / (rows * cols);
                    }
                }
            }
        }
        assertArrayEquals(expected, g.get("input:x"), 1e-12);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4, 24})
    void skipConnectPassesTheGradientThrough(int channels) {
        check("skip_connect", () -> Nb201Ops.standard().create(Nb201Op.SKIP_CONNECT, channels), channels);
    }

    @Test
    void noneHasAZeroGradient() {
        GradientCheck check = GradientCheck.of("none", () -> Nb201Ops.standard().create(Nb201Op.NONE, 3))
                .input("x", maps(3));
        double[] g = check.gradients(DataType.FLOAT64).get("input:x");
        assertArrayEquals(new double[g.length], g, 0);
        assertEquals(g.length, maps(3).size());
    }
}
