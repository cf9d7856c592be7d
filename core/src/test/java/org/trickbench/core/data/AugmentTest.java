package org.trickbench.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AugmentTest {
    /** Host reference of one crop-and-flip of a C×H×W image. */
    private static float[] reference(float[] img, int c, int h, int w, int pad, int oy, int ox, boolean flip) {
        float[] out = new float[c * h * w];
        for (int ch = 0; ch < c; ch++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int sx = (flip ? w - 1 - x : x) + ox - pad;
                    int sy = y + oy - pad;
                    boolean inside = sy >= 0 && sy < h && sx >= 0 && sx < w;
                    out[(ch * h + y) * w + x] = inside ? img[(ch * h + sy) * w + sx] : 0f;
                }
            }
        }
        return out;
    }

    @Test
    void everyImageIsOneValidCropOfItselfAndBothFlipsOccur() {
        int b = 64;
        int c = 2;
        int h = 6;
        int w = 5;
        int pad = 2;
        try (NDManager m = NDManager.newBaseManager()) {
            m.getEngine().setRandomSeed(3);
            NDArray x = m.arange((float) (b * c * h * w)).add(1).reshape(b, c, h, w);
            NDArray y = Augment.cropAndFlip(x, pad, true);
            assertEquals(new Shape(b, c, h, w), y.getShape());
            float[] in = x.toFloatArray();
            float[] out = y.toFloatArray();
            Set<String> transforms = new HashSet<>();
            for (int i = 0; i < b; i++) {
                float[] img = java.util.Arrays.copyOfRange(in, i * c * h * w, (i + 1) * c * h * w);
                float[] got = java.util.Arrays.copyOfRange(out, i * c * h * w, (i + 1) * c * h * w);
                String match = null;
                for (int oy = 0; oy <= 2 * pad && match == null; oy++) {
                    for (int ox = 0; ox <= 2 * pad && match == null; ox++) {
                        for (boolean flip : new boolean[] {false, true}) {
                            if (java.util.Arrays.equals(reference(img, c, h, w, pad, oy, ox, flip), got)) {
                                match = oy + "," + ox + "," + flip;
                                break;
                            }
                        }
                    }
                }
                assertTrue(match != null, "image " + i + " is not a crop/flip of itself");
                transforms.add(match);
            }
            assertTrue(transforms.stream().anyMatch(t -> t.endsWith("true")));
            assertTrue(transforms.stream().anyMatch(t -> t.endsWith("false")));
            assertTrue(transforms.size() > 10, "offsets are not random: " + transforms);
        }
    }

    @Test
    void noPaddingAndNoFlipIsTheIdentity() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.randomNormal(new Shape(3, 1, 4, 4));
            assertArrayEquals(x.toFloatArray(), Augment.cropAndFlip(x, 0, false).toFloatArray());
        }
    }

    @Test
    void areaResizeAveragesBlocksAndKeepsConstants() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.arange(16f).reshape(1, 1, 4, 4);
            // 2×2 block means of 0..15 laid out 4×4.
            assertArrayEquals(new float[] {2.5f, 4.5f, 10.5f, 12.5f}, Resize.area(x, 2).toFloatArray(), 1e-5f);
            NDArray constant = m.full(new Shape(2, 1, 28, 28), 0.7f);
            NDArray small = Resize.area(constant, 16);
            assertEquals(new Shape(2, 1, 16, 16), small.getShape());
            for (float v : small.toFloatArray()) {
                assertEquals(0.7f, v, 1e-5f);
            }
        }
    }
}
