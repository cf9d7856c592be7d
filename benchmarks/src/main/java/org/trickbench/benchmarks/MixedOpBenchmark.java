package org.trickbench.benchmarks;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
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
import org.trickbench.core.space.nb201.MixedOp;
import org.trickbench.core.space.nb201.Nb201Op;
import org.trickbench.core.space.nb201.Nb201Supernet;
import org.trickbench.core.train.TorchDefaultInitializer;

/**
 * One supernet edge, forward and backward, in each of its modes: WEIGHTED runs the four ops that are
 * not {@code none} and weights them (DARTS), ONE_HOT runs the chosen op with straight-through weights
 * (GDAS), SINGLE_PATH runs the chosen op alone (SPOS, RSWS). The chosen op cycles through all five, so
 * one-hot and single-path report the mean over ops, as a uniform sampler sees them. The feature map is
 * a stage-one map of the benchmark's size (C channels at 32×32) or the smoke fidelity's.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class MixedOpBenchmark {
    private static final int OPS = Nb201Op.values().length;

    @Param({"WEIGHTED", "ONE_HOT", "SINGLE_PATH"})
    MixedOp.Mode mode;

    /** channels × side of the input map. */
    @Param({"16x32", "8x16"})
    String size;

    @Param({"64"})
    int batch;

    private NDManager manager;
    private MixedOp edge;
    private NDArray x;
    private NDArray alpha;
    private ParameterStore store;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        String[] cs = size.split("x");
        int channels = Integer.parseInt(cs[0]);
        int side = Integer.parseInt(cs[1]);
        manager = NDManager.newBaseManager();
        Engine.getInstance().setRandomSeed(0);
        Shape shape = new Shape(batch, channels, side, side);
        edge = MixedOp.of(channels, Nb201Supernet.searchCellOps());
        edge.setInitializer(new TorchDefaultInitializer(), Parameter.Type.WEIGHT);
        edge.initialize(manager, DataType.FLOAT32, shape);
        x = manager.randomNormal(shape);
        // Inside a supernet an edge's input carries a gradient, and backward computes it: so here too. It
        // also gives the parameter-free ops (skip, average pool) a graph to differentiate.
        x.setRequiresGradient(true);
        alpha = manager.randomNormal(0, 1e-3f, new Shape(OPS), DataType.FLOAT32);
        alpha.setRequiresGradient(true);
        store = new ParameterStore(manager, false);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        manager.close();
    }

    @Benchmark
    public float forwardBackward() {
        int choice = next++ % OPS;
        try (NDScope step = new NDScope(); GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            MixedOp.Selection selection = switch (mode) {
                case WEIGHTED -> MixedOp.Selection.weighted(alpha.softmax(0));
                case ONE_HOT -> {
                    NDArray p = alpha.softmax(0);
                    NDArray hot = manager.create(new int[] {choice}).oneHot(OPS, DataType.FLOAT32).reshape(OPS);
                    yield MixedOp.Selection.oneHot(hot.sub(p.stopGradient()).add(p), choice);
                }
                case SINGLE_PATH -> MixedOp.Selection.single(Nb201Op.values()[choice]);
            };
            NDArray y = edge.forward(store, x, selection, true, null);
            // A none edge in single-path mode outputs constant zeros: there is nothing to differentiate.
            if (mode != MixedOp.Mode.SINGLE_PATH || choice != Nb201Op.NONE.ordinal()) {
                collector.backward(y.mean());
            }
            return y.getShape().size();
        }
    }
}
