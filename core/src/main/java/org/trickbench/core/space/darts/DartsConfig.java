package org.trickbench.core.space.darts;

import org.trickbench.core.UserInputException;

/**
 * The shape of a DARTS evaluation network: input channels and resolution, number of classes, initial
 * channels C, cells L in all (the ones at L/3 and 2L/3 reduce), and whether the auxiliary head is
 * attached. DARTS evaluates its CIFAR-10 cells at C=36, L=20 on 3×32×32 images, with the head, and
 * searches them at C=16, L=8 without it.
 */
public record DartsConfig(int inChannels, int height, int width, int classes, int channels, int layers,
        boolean auxiliary) {
    /** The auxiliary head pools the second reduction's output, a quarter of the side, to 2×2. */
    private static final int AUX_MIN_SIDE = 8;

    public DartsConfig {
        requirePositive("inChannels", inChannels);
        requirePositive("classes", classes);
        requirePositive("channels", channels);
        if (layers < 3) {
            throw new UserInputException("layers must be at least 3 (the cells at layers/3 and 2·layers/3 reduce"
                    + " and must differ, with a normal cell first), got " + layers);
        }
        requireResolution("height", height, auxiliary);
        requireResolution("width", width, auxiliary);
    }

    /** DARTS's CIFAR-10 evaluation: C=36, L=20, 10 classes on 3×32×32, with the auxiliary head. */
    public static DartsConfig cifar10Evaluation() {
        return new DartsConfig(3, 32, 32, 10, 36, 20, true);
    }

    /** DARTS's CIFAR-10 search network: C=16, L=8, 10 classes on 3×32×32, no auxiliary head. */
    public static DartsConfig cifar10Search() {
        return new DartsConfig(3, 32, 32, 10, 16, 8, false);
    }

    public DartsConfig withAuxiliary(boolean on) {
        return new DartsConfig(inChannels, height, width, classes, channels, layers, on);
    }

    /** This shape at {@code c} initial channels. */
    public DartsConfig withChannels(int c) {
        return new DartsConfig(inChannels, height, width, classes, c, layers, auxiliary);
    }

    /**
     * Whether the auxiliary head can read an input of this size: 8 pixels a side or more (2 after the two
     * reductions). At 32 to 40 pixels it is DARTS's own head; elsewhere its pool is adaptive
     * ({@link DartsCost#auxiliaryPool}).
     */
    public static boolean auxiliaryFits(int height, int width) {
        return auxiliaryFits(height) && auxiliaryFits(width);
    }

    private static boolean auxiliaryFits(int side) {
        return side >= AUX_MIN_SIDE && side % 4 == 0;
    }

    private static void requirePositive(String field, int value) {
        if (value <= 0) {
            throw new UserInputException(field + " must be a positive integer, got " + value);
        }
    }

    /**
     * The two reduction cells halve the side, and their factorized reductions (two stride-2 1×1
     * convolutions, one shifted by a pixel) only agree in size on an even side, so a side is a multiple
     * of 4. The auxiliary head pools to 2×2 for its 2×2 convolution, so it needs 2 pixels after the
     * reductions: a side of 8 or more.
     */
    private static void requireResolution(String field, int side, boolean auxiliary) {
        if (side < 4 || side % 4 != 0) {
            throw new UserInputException("resolution " + field + "=" + side + " is not allowed: the DARTS network's"
                    + " two reduction cells need a multiple of 4 (e.g. 8, 16, 32)");
        }
        if (auxiliary && !auxiliaryFits(side)) {
            throw new UserInputException("resolution " + field + "=" + side + " is not allowed with the auxiliary"
                    + " head, which pools the second reduction's output (a quarter of the side) to 2×2: 8 or more,"
                    + " a multiple of 4");
        }
    }
}
