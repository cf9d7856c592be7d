package org.trickbench.core.nd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.trickbench.core.train.ThreadGradientCollector;

/**
 * The constants of {@link Scalars} live as long as the graph that saved them: collecting garbage and
 * refilling freed native memory with NaN between the forward and the backward pass leaves the
 * gradients exact (GDAS divides its logits by τ this way).
 */
class ScalarsTest {

    @Test
    void gradientsThroughMulAndDivAreExactWhateverFreedMemoryHolds() throws InterruptedException {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(new float[] {-2f, 0.5f, 3f});
            x.setRequiresGradient(true);
            List<ByteBuffer> held;
            try (GradientCollector c = new ThreadGradientCollector()) {
                // d/dx (x / 4 + 3x) = 0.25 + 3
                NDArray y = Scalars.div(x, 4).add(Scalars.mul(x, 3)).sum();
                held = FreedNativeMemory.poison();
                c.backward(y);
            }
            assertArrayEquals(new float[] {3.25f, 3.25f, 3.25f}, x.getGradient().toFloatArray(), 0f);
            held.clear();
        }
    }
}
