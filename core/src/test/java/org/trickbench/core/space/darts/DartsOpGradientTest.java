package org.trickbench.core.space.darts;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import java.util.function.Supplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.trickbench.core.numerics.GradientCheck;

/**
 * Gradients of the DARTS operations the NAS-Bench-201 checks do not cover, against finite differences
 * (float64) and float32 against float64: the depthwise convolutions of {@code sep_conv_3x3} and
 * {@code dil_conv_3x3} (groups = channels, dilation 2), the factorized reduction (a shifted slice and a
 * concatenation), {@code max_pool_3x3} with the search network's plain BN after it, and one mixed edge
 * of the search network with α as a differentiated input. Channel counts on and off the CPU's SIMD block,
 * stride 1 and 2, BN affine (evaluation) and not (search). Batch 2 of 6×6 maps: an even side, which a
 * factorized reduction needs, and stride 2 sees the padded border on one side only.
 */
@Tag("numerics")
class DartsOpGradientTest {
    private static Shape maps(int channels) {
        return new Shape(2, channels, 6, 6);
    }

    private static void check(String name, Supplier<Block> block, int channels) {
        GradientCheck.of(name + " C=" + channels, block).input("x", maps(channels)).verify();
    }

    @ParameterizedTest
    @CsvSource({"1,1,true", "3,2,false", "4,1,false", "8,2,true", "16,1,true", "16,2,false"})
    void separableConvolutionGradientsAreExact(int channels, int stride, boolean affine) {
        check("sep_conv_3x3/" + stride + (affine ? "" : " search"),
                () -> DartsOps.create(DartsOp.SEP_CONV_3X3, channels, stride, affine), channels);
    }

    @ParameterizedTest
    @CsvSource({"1,2,false", "3,1,true", "4,2,true", "8,1,false", "16,2,true", "16,1,false"})
    void dilatedConvolutionGradientsAreExact(int channels, int stride, boolean affine) {
        check("dil_conv_3x3/" + stride + (affine ? "" : " search"),
                () -> DartsOps.create(DartsOp.DIL_CONV_3X3, channels, stride, affine), channels);
    }

    @ParameterizedTest
    @CsvSource({"2,true", "4,false", "8,true", "16,false"})
    void factorizedReductionGradientsAreExact(int channels, boolean affine) {
        check("factorized reduce" + (affine ? "" : " search"), () -> new FactorizedReduce(channels, affine), channels);
    }

    @ParameterizedTest
    @CsvSource({"1,1", "3,2", "8,1", "16,2"})
    void maxPoolWithSearchBatchNormGradientsAreExact(int channels, int stride) {
        check("max_pool_3x3/" + stride + " search",
                () -> DartsOps.searchCandidate(DartsOp.MAX_POOL_3X3, channels, stride), channels);
    }

    /**
     * One search edge: Σ_k softmax(α)_k · op_k(x) over the eight ops, with α a differentiated input, so
     * ∂L/∂α passes through the softmax and every op's output (none's too, through the normalisation).
     */
    @ParameterizedTest
    @CsvSource({"4,1", "4,2", "3,1"})
    void mixedEdgeGradientsAreExactForAlphaWeightsAndInput(int channels, int stride) {
        double[] alpha = {0.3f, -0.2f, 0.1f, 0.5f, -0.4f, 0.25f, 0f, -0.1f};
        GradientCheck.of("mixed edge/" + stride + " C=" + channels, () -> new DartsMixedOp(channels, stride))
                .input("x", maps(channels))
                .input("alpha", new Shape(alpha.length), alpha)
                .forward((block, ps, in, training) ->
                        block.forward(ps, new NDList(in.get(0), in.get(1).softmax(0)), training))
                .verify();
    }
}
