package org.trickbench.benchmarks;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
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
import org.trickbench.core.device.ConvBackend;
import org.trickbench.core.space.nb201.Genotype;
import org.trickbench.core.space.nb201.Nb201GroupedNetwork;
import org.trickbench.core.space.nb201.Nb201Network;
import org.trickbench.core.space.nb201.NetworkConfig;
import org.trickbench.core.train.TorchDefaultInitializer;
import org.trickbench.core.train.TrainingLoop;

/**
 * One training step's forward and backward passes of K runs at the smoke fidelity (C=8, N=1, 16×16
 * Fashion-MNIST-shaped images, batch 128): GROUPED trains them as one network with K-fold channels in
 * K convolution groups ({@link Nb201GroupedNetwork}), SEPARATE takes K steps of K networks one after
 * the other. Time per K steps; their ratio is what grouping saves per training step (the optimiser's
 * update, element by element, costs the same either way and is left out). Convolutions run on
 * the kernels the process would choose for these shapes ({@link ConvBackend}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class GroupedStepBenchmark {
    /** The smoke matrix's size: Fashion-MNIST's one channel and ten classes at 16 px, C=8, N=1. */
    private static final NetworkConfig SMOKE = new NetworkConfig(1, 16, 16, 10, 8, 1);

    @Param({"GROUPED", "SEPARATE"})
    String mode;

    @Param({"8"})
    int runs;

    @Param({"128"})
    int batch;

    @Param({"|nor_conv_3x3~0|+|nor_conv_1x1~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|avg_pool_3x3~2|"})
    String genotype;

    private NDManager manager;
    private final List<Block> networks = new ArrayList<>();
    private final List<NDArray> inputs = new ArrayList<>();
    private final List<NDArray> targets = new ArrayList<>();
    private ParameterStore store;

    @Setup(Level.Trial)
    public void setUp() {
        manager = NDManager.newBaseManager();
        Engine.getInstance().setRandomSeed(0);
        Genotype cell = Genotype.parse(genotype);
        boolean grouped = mode.equals("GROUPED");
        int copies = grouped ? 1 : runs;
        NetworkConfig config = grouped ? Nb201GroupedNetwork.grouped(SMOKE, runs) : SMOKE;
        for (int i = 0; i < copies; i++) {
            Block network = grouped ? Nb201GroupedNetwork.build(cell, SMOKE, runs) : Nb201Network.build(cell, SMOKE);
            network.setInitializer(new TorchDefaultInitializer(), Parameter.Type.WEIGHT);
            Shape input = Nb201Network.inputShape(config, batch);
            network.initialize(manager, DataType.FLOAT32, input);
            for (Pair<String, Parameter> p : network.getParameters()) {
                if (p.getValue().requiresGradient()) {
                    p.getValue().getArray().setRequiresGradient(true);
                }
            }
            ConvBackend.ensureFor(network);
            networks.add(network);
            inputs.add(manager.randomNormal(input));
            NDArray labels = manager.randomInteger(0, SMOKE.classes(), new Shape(batch), DataType.INT32);
            NDArray oneHot = labels.oneHot(SMOKE.classes());
            targets.add(NDArrays.concat(new NDList(Collections.nCopies(grouped ? runs : 1, oneHot)), 1));
        }
        store = new ParameterStore(manager, false);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        manager.close();
    }

    /** K runs' forward and backward passes: one grouped pass, or K separate ones. */
    @Benchmark
    public float step() {
        float sum = 0;
        for (int i = 0; i < networks.size(); i++) {
            Block network = networks.get(i);
            try (NDScope scope = new NDScope()) {
                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    NDArray logits = network.forward(store, new NDList(inputs.get(i)), true).singletonOrThrow();
                    NDArray loss = TrainingLoop.crossEntropy(logits.reshape(batch, -1, SMOKE.classes())
                            .reshape(-1, SMOKE.classes()), targets.get(i).reshape(-1, SMOKE.classes()));
                    collector.backward(loss);
                    sum += loss.getFloat();
                }
            }
        }
        return sum;
    }
}
