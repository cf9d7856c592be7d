package org.trickbench.core.space.nb201;


import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.trickbench.core.numerics.GradientCheck;

/**
 * Gradients of the standalone network's pieces, each taken from a network {@link Nb201Network} built,
 * and of a whole small network: finite differences in float64 and float32 against float64 (tolerances
 * as in {@link Nb201OpGradientTest}).
 */
@Tag("numerics")
class Nb201NetworkGradientTest {
    /** Every op on some edge, 'none' included, so the whole network exercises all five. */
    static final Genotype ALL_OPS =
            Genotype.parse("|nor_conv_3x3~0|+|nor_conv_1x1~0|avg_pool_3x3~1|+|skip_connect~0|none~1|nor_conv_3x3~2|");

    /** The standalone network's blocks in order: conv, BN, cells and reductions, BN, ReLU, pool, flatten, linear. */
    private static List<Block> parts(int channels) {
        Block net = Nb201Network.build(ALL_OPS, new NetworkConfig(3, 8, 8, 5, channels, 1));
        return net.getChildren().values();
    }

    private static Block sequence(List<Block> blocks) {
        SequentialBlock s = new SequentialBlock();
        blocks.forEach(s::add);
        return s;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 4, 8, 12, 16, 24})
    void resNetReductionGradientsAreExact(int channels) {
        // Stride 2 on 6×6: the 3×3/2 convolution and the 2×2/2 pool of the shortcut both give 3×3.
        GradientCheck.of("reduction " + channels + "->" + 2 * channels,
                        () -> new ResNetReduction(2 * channels, Nb201Ops.standard()))
                .input("x", new Shape(2, channels, 6, 6))
                .verify();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 4, 8, 12, 16, 24})
    void stemGradientsAreExact(int channels) {
        GradientCheck.of("stem C=" + channels, () -> sequence(parts(channels).subList(0, 2)))
                .input("images", new Shape(2, 3, 5, 5))
                .verify();
    }

    /** The head infers its width from its input, so one built network serves every channel count. */
    @ParameterizedTest
    @ValueSource(ints = {1, 3, 4, 8, 12, 16, 24})
    void headGradientsAreExact(int channels) {
        GradientCheck.of("head C=" + channels, () -> {
            List<Block> p = parts(2);
            return sequence(p.subList(p.size() - 5, p.size()));
        }).input("features", new Shape(3, channels, 3, 3))
                .verify();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 4, 8, 12, 16, 24})
    void linearClassifierGradientsAreExact(int channels) {
        GradientCheck.of("linear " + channels + "->5", () -> {
            List<Block> p = parts(2);
            Block linear = p.get(p.size() - 1);
            if (!(linear instanceof Linear)) {
                throw new IllegalStateException("the network no longer ends with its linear classifier: " + linear);
            }
            return linear;
        }).input("features", new Shape(3, channels))
                .verify();
    }

    /**
     * A whole network with every op, two reductions (stride 2) and channels C, 2C, 4C, in training
     * mode. Its many tensors are sampled lightly: the largest-gradient coordinate, two random ones and
     * a random direction each.
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 4})
    void wholeNetworkGradientsAreExact(int channels) {
        NetworkConfig config = new NetworkConfig(3, 8, 8, 5, channels, 1);
        GradientCheck.of("network C=" + channels, () -> Nb201Network.build(ALL_OPS, config))
                .input("images", Nb201Network.inputShape(config, 3))
                .coordinates(3)
                .verify();
    }
}
