package org.trickbench.benchmarks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.trickbench.core.data.Augment;

/**
 * Cost of the protocol's batched crop-and-flip per training batch (one gather on the device), the
 * augmentation that every training step pays. Run: {@code java -jar benchmarks/target/benchmarks.jar}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class AugmentBenchmark {
    @Param({"64", "256"})
    int batch;

    private NDManager manager;
    private NDArray images;

    @Setup(Level.Trial)
    public void setUp() {
        manager = NDManager.newBaseManager();
        images = manager.randomUniform(0, 1, new Shape(batch, 1, 28, 28));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        manager.close();
    }

    @Benchmark
    public float cropAndFlip() {
        try (NDManager step = manager.newSubManager()) {
            NDArray x = images.duplicate();
            x.attach(step);
            NDArray out = Augment.cropAndFlip(x, 4, true);
            out.attach(step);
            return out.getShape().size();
        }
    }
}
