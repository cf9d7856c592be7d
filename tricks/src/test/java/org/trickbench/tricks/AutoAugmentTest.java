package org.trickbench.tricks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.trickbench.tricks.AutoAugment.Op;

/**
 * Each operation on a small image whose result is worked out by hand from the PIL call it
 * reproduces; pixel values on the 0..255 scale, one image per call, through the same dispatch the
 * policy uses (operation, level 0..9, sign).
 */
class AutoAugmentTest {
    private static NDManager m;

    @BeforeAll
    static void open() {
        m = NDManager.newBaseManager();
    }

    @AfterAll
    static void close() {
        m.close();
    }

    private static float[] apply(Op op, int level, int sign, float[] pixels, long c, long h, long w) {
        NDArray v = m.create(pixels, new Shape(1, c, h, w));
        return AutoAugment.applyOne(v, m.create(new float[] {op.ordinal()}), m.create(new float[] {level}),
                m.create(new float[] {sign})).toFloatArray();
    }

    private static float[] grey4x4(Op op, int level, int sign) {
        float[] ramp = new float[16];
        for (int i = 0; i < 16; i++) {
            ramp[i] = i + 1;
        }
        return apply(op, level, sign, ramp, 1, 4, 4);
    }

    @Test
    void invertMapsVTo255MinusV() {
        assertArrayEquals(new float[] {255, 155, 0, 55}, apply(Op.INVERT, 7, 1, new float[] {0, 100, 255, 200}, 1, 2, 2));
    }

    @Test
    void solarizeInvertsPixelsAtOrAboveTheThreshold() {
        // Level 5: threshold 256 − ⌊25.6·5⌋ = 128.
        assertArrayEquals(new float[] {0, 127, 127, 0}, apply(Op.SOLARIZE, 5, 1, new float[] {0, 127, 128, 255}, 1, 2, 2));
    }

    @Test
    void posterizeKeepsTheTopBits() {
        // Level 5: 8 − ⌊0.4·5⌋ = 6 bits, i.e. multiples of 4.
        assertArrayEquals(new float[] {0, 4, 128, 252}, apply(Op.POSTERIZE, 5, 1, new float[] {3, 4, 130, 255}, 1, 2, 2));
    }

    @Test
    void autoContrastStretchesEachChannelToTheFullRange() {
        // (v − 50)·255/100, truncated: 50 → 0, 100 → 127, 150 → 255, 75 → 63. Second channel already full.
        float[] out = apply(Op.AUTO_CONTRAST, 8, 1, new float[] {50, 100, 150, 75, 0, 255, 10, 20}, 2, 2, 2);
        assertArrayEquals(new float[] {0, 127, 255, 63, 0, 255, 10, 20}, out);
    }

    @Test
    void equalizeSpreadsTheCumulativeHistogram() {
        // 256 pixels: 128 of 10, 127 of 20, one 30. step = (256 − 1) / 255 = 1, so i ↦ #{pixels < i}:
        // 10 → 0, 20 → 128, 30 → 255.
        float[] in = new float[256];
        float[] expected = new float[256];
        for (int i = 0; i < 256; i++) {
            in[i] = i < 128 ? 10 : i < 255 ? 20 : 30;
            expected[i] = i < 128 ? 0 : i < 255 ? 128 : 255;
        }
        assertArrayEquals(expected, apply(Op.EQUALIZE, 2, 1, in, 1, 16, 16));
        // Too few pixels for a step of 1: left as it is.
        assertArrayEquals(new float[] {0, 0, 100, 200}, apply(Op.EQUALIZE, 2, 1, new float[] {0, 0, 100, 200}, 1, 2, 2));
    }

    @Test
    void contrastBlendsWithTheMeanLuma() {
        // Level 0: factor 0.1; mean 100; 100 + 0.1·(v − 100).
        assertArrayEquals(new float[] {90, 100, 100, 110}, apply(Op.CONTRAST, 0, 1, new float[] {0, 100, 100, 200}, 1, 2, 2));
    }

    @Test
    void colorBlendsWithTheGreyVersion() {
        // Pixel (200, 100, 0): luma (200·19595 + 100·38470 + 32768) >> 16 = 7798768 >> 16 = 118
        // (119·65536 = 7798784 is just above); factor 0.1: 118 + 0.1·(v − 118) = 126.2, 116.2, 106.2
        // → 126, 116, 106. The black pixel stays black.
        float[] out = apply(Op.COLOR, 0, 1, new float[] {200, 0, 100, 0, 0, 0}, 3, 1, 2);
        assertArrayEquals(new float[] {126, 0, 116, 0, 106, 0}, out);
        assertArrayEquals(new float[] {200, 100}, apply(Op.COLOR, 0, 1, new float[] {200, 100}, 1, 1, 2),
                "a grey image has no colour to remove");
    }

    @Test
    void brightnessScalesTowardsBlack() {
        // Level 0: factor 0.1, truncated; level 9: factor 1.72, clipped at 255.
        assertArrayEquals(new float[] {10, 20, 25, 0}, apply(Op.BRIGHTNESS, 0, 1, new float[] {100, 200, 255, 0}, 1, 2, 2));
        assertArrayEquals(new float[] {172, 255}, apply(Op.BRIGHTNESS, 9, 1, new float[] {100, 200}, 1, 1, 2));
    }

    @Test
    void sharpnessBlendsWithTheSmoothedImageInsideTheBorder() {
        // Centre 13 on black: smoothed centre (4·13 + 13) / 13 = 5; factor 1.72 (level 9):
        // 5 + 1.72·(13 − 5) = 18.76 → 18. Border pixels are their own smoothed value: unchanged.
        float[] in = {0, 0, 0, 0, 13, 0, 0, 0, 0};
        assertArrayEquals(new float[] {0, 0, 0, 0, 18, 0, 0, 0, 0}, apply(Op.SHARPNESS, 9, 1, in, 1, 3, 3));
    }

    @Test
    void shearXShiftsLowerRowsBySlope() {
        // Level 9, slope 0.27: row y reads x + ⌊0.5 + 0.27·(y + 0.5)⌋ = x, x, x+1, x+1.
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 128, 14, 15, 16, 128},
                grey4x4(Op.SHEAR_X, 9, 1));
    }

    @Test
    void shearYShiftsRightColumnsBySlope() {
        // Level 9, slope −0.27: column x reads row y + ⌊0.5 − 0.27·(x + 0.5)⌋ = y, y, y−1, y−1.
        assertArrayEquals(new float[] {1, 2, 128, 128, 5, 6, 3, 4, 9, 10, 7, 8, 13, 14, 11, 12},
                grey4x4(Op.SHEAR_Y, 9, -1));
    }

    @Test
    void translateShiftsByLevelPixelsScaledToTheSide() {
        // Level 9 at side 4: round(9·4/32) = 1 pixel.
        assertArrayEquals(new float[] {2, 3, 4, 128, 6, 7, 8, 128, 10, 11, 12, 128, 14, 15, 16, 128},
                grey4x4(Op.TRANSLATE_X, 9, 1));
        assertArrayEquals(new float[] {128, 128, 128, 128, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12},
                grey4x4(Op.TRANSLATE_Y, 9, -1));
    }

    @Test
    void rotateTurnsCounterClockwiseAboutTheCentre() {
        // Level 9: 27°. Output (x, y) reads ⌊cos27·u − sin27·w + 2⌋, ⌊sin27·u + cos27·w + 2⌋ with
        // u = x − 1.5, w = y − 1.5; e.g. (1, 0) reads (2.235, 0.436) → pixel 3, (0, 0) reads
        // (1.344, −0.017) → outside.
        assertArrayEquals(new float[] {128, 3, 4, 128, 1, 6, 7, 12, 5, 10, 11, 16, 128, 13, 14, 128},
                grey4x4(Op.ROTATE, 9, 1));
    }

    @Test
    void imagesWhoseOperationWasNotDrawnAreUnchanged() {
        float[] ramp = new float[16];
        for (int i = 0; i < 16; i++) {
            ramp[i] = i + 1;
        }
        NDArray v = m.create(ramp, new Shape(1, 1, 4, 4));
        float[] skipped = AutoAugment.applyOne(v, m.create(new float[] {-1}), m.create(new float[] {9}),
                m.create(new float[] {1})).toFloatArray();
        assertArrayEquals(ramp, skipped);
    }

    @Test
    void policyAppliesItsOperationsAtTheirProbabilities() {
        // Random 16×16 RGB images (256 pixels, so equalize has a step of 1) in which every operation
        // changes something, except the enhancers at level 5, whose factor is exactly 1. The share
        // left unchanged estimates the mean over sub-policies of (1 − p1)(1 − p2).
        Engine.getInstance().setRandomSeed(11);
        int n = 500;
        NDArray images = m.randomInteger(30, 220, new Shape(n, 3, 16, 16), ai.djl.ndarray.types.DataType.INT32)
                .toType(ai.djl.ndarray.types.DataType.FLOAT32, false).div(255f);
        NDArray out = Hooks.training(new AutoAugment().hook(Map.of())).transformImages(images, Steps.first());
        assertEquals(images.getShape(), out.getShape());
        assertTrue(out.min().getFloat() >= 0 && out.max().getFloat() <= 1);
        float unchanged = out.sub(images).abs().reshape(n, -1).max(new int[] {1}).lt(1e-6f)
                .toType(ai.djl.ndarray.types.DataType.FLOAT32, false).mean().getFloat();
        double expected = 0;
        for (AutoAugment.SubPolicy sp : AutoAugment.CIFAR10) {
            expected += (1 - effective(sp.first(), sp.p1(), sp.level1()))
                    * (1 - effective(sp.second(), sp.p2(), sp.level2())) / AutoAugment.CIFAR10.size();
        }
        assertEquals(expected, unchanged, 4 * Math.sqrt(expected * (1 - expected) / n),
                "share of images no operation touched");
        assertEquals(25, AutoAugment.CIFAR10.size());
    }

    private static double effective(Op op, double p, int level) {
        boolean enhancer = op == Op.CONTRAST || op == Op.COLOR || op == Op.BRIGHTNESS || op == Op.SHARPNESS;
        return enhancer && level == 5 ? 0 : p;
    }
}
