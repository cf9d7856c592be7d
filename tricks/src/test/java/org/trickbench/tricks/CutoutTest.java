package org.trickbench.tricks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.trickbench.core.train.Batch;
import org.trickbench.core.train.TrainingHook;

class CutoutTest {
    private static final int B = 64;
    private static final int C = 2;
    private static final int SIDE = 8;

    @Test
    void zeroesExactlyOneSquareOfTheRightSizePerImageAndLeavesTheRestUnchanged() {
        Engine.getInstance().setRandomSeed(3);
        try (NDManager m = NDManager.newBaseManager()) {
            // Strictly positive pixels, so every zero after cutout was put there by it.
            NDArray x = m.randomUniform(1, 2, new Shape(B, C, SIDE, SIDE));
            NDArray labels = m.zeros(new Shape(B), ai.djl.ndarray.types.DataType.INT32);
            TrainingHook hook = new Cutout().hook(Map.of());
            float[] before = x.toFloatArray();
            float[] after = Hooks.training(hook).transformBatch(new Batch(x, labels.oneHot(2), labels), Steps.first()).images()
                    .toFloatArray();
            int full = 0;
            Set<Integer> corners = new HashSet<>();
            for (int b = 0; b < B; b++) {
                int top = SIDE;
                int bottom = -1;
                int left = SIDE;
                int right = -1;
                int zeros = 0;
                for (int y = 0; y < SIDE; y++) {
                    for (int xx = 0; xx < SIDE; xx++) {
                        int i0 = ((b * C) * SIDE + y) * SIDE + xx;
                        boolean zero = after[i0] == 0;
                        for (int c = 0; c < C; c++) {
                            int i = ((b * C + c) * SIDE + y) * SIDE + xx;
                            assertEquals(zero, after[i] == 0, "the square is the same in every channel");
                            if (!zero) {
                                assertEquals(before[i], after[i], "pixels outside the square are unchanged");
                            }
                        }
                        if (zero) {
                            zeros++;
                            top = Math.min(top, y);
                            bottom = Math.max(bottom, y);
                            left = Math.min(left, xx);
                            right = Math.max(right, xx);
                        }
                    }
                }
                int height = bottom - top + 1;
                int width = right - left + 1;
                assertTrue(zeros > 0, "image " + b + " has its square");
                assertEquals(height * width, zeros, "image " + b + ": the zeros form one rectangle");
                // Default size: half the side. Only a square clipped by the border may be smaller.
                assertTrue(height == 4 || (height < 4 && (top == 0 || bottom == SIDE - 1)), "height " + height);
                assertTrue(width == 4 || (width < 4 && (left == 0 || right == SIDE - 1)), "width " + width);
                full += height == 4 && width == 4 ? 1 : 0;
                corners.add(top * SIDE + left);
            }
            assertTrue(full > B / 8, "most squares lie inside the image: " + full);
            assertTrue(corners.size() > 10, "each image draws its own position: " + corners.size());
        }
    }

    @Test
    void sizeParameterSetsTheSquareSide() {
        Engine.getInstance().setRandomSeed(4);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.ones(new Shape(256, 1, SIDE, SIDE));
            NDArray out = Cutout.apply(x, 3);
            float[] zerosPerImage = out.eq(0).toType(ai.djl.ndarray.types.DataType.FLOAT32, false).sum(new int[] {1, 2, 3})
                    .toFloatArray();
            float max = 0;
            for (float z : zerosPerImage) {
                max = Math.max(max, z);
                assertTrue(z >= 1 && z <= 9, "zeros " + z);
            }
            assertEquals(9, max, "an unclipped 3×3 square");
        }
    }
}
