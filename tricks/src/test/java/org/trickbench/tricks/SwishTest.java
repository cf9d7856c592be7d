package org.trickbench.tricks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.trickbench.core.space.nb201.Nb201Ops;

class SwishTest {
    @Test
    void activationComputesXTimesSigmoidXInsteadOfRelu() {
        Nb201Ops ops = new Swish().hook(Map.of()).configureNetwork(Nb201Ops.standard());
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
}
