package org.trickbench.core.space.nb201;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.trickbench.core.nd.FreedNativeMemory;
import org.trickbench.core.train.ThreadGradientCollector;

class GlobalMeanPoolTest {
    /** Same outputs and input gradients as DJL's adaptive pool, whose CUDA backward is not deterministic. */
    @Test
    void agreesWithTheAdaptivePoolItReplacesForwardAndBackward() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.randomNormal(new Shape(3, 5, 7, 6));
            Block mean = GlobalMeanPool.block();
            Block adaptive = Pool.globalAvgPool2dBlock();
            assertArrayEquals(adaptive.getOutputShapes(new Shape[] {x.getShape()}),
                    mean.getOutputShapes(new Shape[] {x.getShape()}));
            float[][] out = new float[2][];
            float[][] grad = new float[2][];
            NDArray weights = m.randomNormal(new Shape(3, 5)); // a non-uniform upstream gradient
            Block[] blocks = {mean, adaptive};
            for (int i = 0; i < 2; i++) {
                NDArray input = x.duplicate();
                input.setRequiresGradient(true);
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray y = blocks[i].forward(new ParameterStore(m, false), new NDList(input), true).head();
                    assertEquals(new Shape(3, 5), y.getShape());
                    out[i] = y.toFloatArray();
                    gc.backward(y.mul(weights).sum());
                }
                grad[i] = input.getGradient().toFloatArray();
            }
            assertArrayEquals(out[1], out[0], 1e-6f);
            assertArrayEquals(grad[1], grad[0], 1e-7f);
        }
    }

    /**
     * The backward pass is exact even when the memory Java freed between forward and backward now holds
     * NaN: the divisor by H·W must live in memory the graph owns (see Scalars).
     */
    @Test
    void backwardIsExactWhateverFreedMemoryHolds() throws InterruptedException {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray input = m.ones(new Shape(2, 3, 4, 5));
            input.setRequiresGradient(true);
            List<ByteBuffer> held;
            try (GradientCollector gc = new ThreadGradientCollector()) {
                NDArray y = GlobalMeanPool.block().forward(new ParameterStore(m, false), new NDList(input), true)
                        .head();
                NDArray loss = y.sum();
                held = FreedNativeMemory.poison();
                gc.backward(loss);
            }
            float[] grad = input.getGradient().toFloatArray();
            float[] expected = new float[grad.length];
            Arrays.fill(expected, 1f / 20);
            assertArrayEquals(expected, grad, 0f);
            held.clear();
        }
    }


    /** No network head goes back to DJL's global pool (libtorch's adaptive_avg_pool2d). */
    @Test
    void noMainCodeUsesTheAdaptiveGlobalPool() throws Exception {
        Path root = Path.of("..").toAbsolutePath().normalize();
        List<String> offenders = new ArrayList<>();
        for (String module : List.of("core", "tricks", "algorithms", "harness")) {
            Path main = root.resolve(module).resolve("src/main/java");
            try (Stream<Path> files = Files.walk(main)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    List<String> lines = Files.readAllLines(f);
                    for (int i = 0; i < lines.size(); i++) {
                        String code = lines.get(i).strip();
                        if (!code.startsWith("*") && !code.startsWith("//")
                                && code.matches(".*(globalAvgPool|adaptiveAvgPool|globalMaxPool).*")) {
                            offenders.add(root.relativize(f) + ":" + (i + 1));
                        }
                    }
                }
            }
        }
        assertEquals(List.of(), offenders, "use GlobalMeanPool: adaptive pooling's CUDA backward is not deterministic");
    }
}
