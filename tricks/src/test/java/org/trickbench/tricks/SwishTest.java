package org.trickbench.tricks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.trickbench.core.space.nb201.Nb201Ops;
import org.trickbench.core.train.ThreadGradientCollector;

class SwishTest {
    @Test
    void activationComputesXTimesSigmoidXInsteadOfRelu() {
        Nb201Ops ops = Hooks.nb201(new Swish().hook(Map.of())).configureNetwork(Nb201Ops.standard());
        float[] xs = {-3f, -1f, -0.5f, 0f, 0.5f, 2f};
        float[] expected = new float[xs.length];
        for (int i = 0; i < xs.length; i++) {
            expected[i] = (float) (xs[i] / (1 + Math.exp(-xs[i])));
        }
        try (NDManager m = NDManager.newBaseManager()) {
            Block activation = ops.activation();
            activation.initialize(m, DataType.FLOAT32, new ai.djl.ndarray.types.Shape(xs.length));
            NDArray y = activation.forward(new ParameterStore(m, false), new NDList(m.create(xs)), true)
                    .singletonOrThrow();
            assertArrayEquals(expected, y.toFloatArray(), 1e-6f);
            assertTrue(y.toFloatArray()[1] < 0, "negative inputs are not clipped to 0 as by ReLU");
        }
        assertTrue(ops.normalization() instanceof BatchNorm, "only the activation changes");
    }

    /**
     * d/dx x·σ(x) = σ(x)·(1 + x·(1 − σ(x))), also when freed native memory has been reused between the
     * forward and the backward pass: DJL's swish saved its β in such memory, which made trainings with
     * this trick turn NaN now and then.
     */
    @Test
    void gradientDoesNotDependOnFreedMemory() {
        Nb201Ops ops = Hooks.nb201(new Swish().hook(Map.of())).configureNetwork(Nb201Ops.standard());
        float[] xs = {-3f, -1f, 0f, 0.5f, 2f};
        float[] expected = new float[xs.length];
        for (int i = 0; i < xs.length; i++) {
            double s = 1 / (1 + Math.exp(-xs[i]));
            expected[i] = (float) (s * (1 + xs[i] * (1 - s)));
        }
        try (NDManager m = NDManager.newBaseManager()) {
            Block activation = ops.activation();
            activation.initialize(m, DataType.FLOAT32, new ai.djl.ndarray.types.Shape(xs.length));
            NDArray x = m.create(xs);
            x.setRequiresGradient(true);
            try (GradientCollector collector = new ThreadGradientCollector()) {
                NDArray y = activation.forward(new ParameterStore(m, false), new NDList(x), true).singletonOrThrow();
                List<ByteBuffer> poisoned = FreedMemory.poison();
                collector.backward(y.sum());
                Reference.reachabilityFence(poisoned);
            }
            assertArrayEquals(expected, x.getGradient().toFloatArray(), 1e-6f);
        }
    }
}
