package org.trickbench.core.nd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.trickbench.core.train.ThreadGradientCollector;

/**
 * The constants of {@link Scalars} live as long as the graph that saved them: collecting garbage and
 * refilling freed native memory with NaN between the forward and the backward pass leaves the
 * gradients exact (GDAS divides its logits by τ this way).
 */
class ScalarsTest {
    /** Full collections free the direct buffers nothing reaches; NaN-filled small buffers take their blocks. */
    private static List<ByteBuffer> poisonFreedMemory() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        List<ByteBuffer> held = new ArrayList<>();
        for (int i = 0; i < 4096; i++) {
            ByteBuffer b = ByteBuffer.allocateDirect(4).order(ByteOrder.nativeOrder());
            b.putFloat(0, Float.NaN);
            held.add(b);
        }
        return held;
    }

    @Test
    void gradientsThroughMulAndDivAreExactWhateverFreedMemoryHolds() throws InterruptedException {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(new float[] {-2f, 0.5f, 3f});
            x.setRequiresGradient(true);
            List<ByteBuffer> held;
            try (GradientCollector c = new ThreadGradientCollector()) {
                // d/dx (x / 4 + 3x) = 0.25 + 3
                NDArray y = Scalars.div(x, 4).add(Scalars.mul(x, 3)).sum();
                held = poisonFreedMemory();
                c.backward(y);
            }
            assertArrayEquals(new float[] {3.25f, 3.25f, 3.25f}, x.getGradient().toFloatArray(), 0f);
            held.clear();
        }
    }
}
