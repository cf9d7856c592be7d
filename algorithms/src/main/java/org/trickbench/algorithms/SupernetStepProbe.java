package org.trickbench.algorithms;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import org.trickbench.core.device.ConvBackend;
import org.trickbench.core.seed.Seeds;
import org.trickbench.core.space.nb201.MixedOp;
import org.trickbench.core.space.nb201.Nb201Network;
import org.trickbench.core.space.nb201.Nb201Ops;
import org.trickbench.core.space.nb201.Nb201Supernet;
import org.trickbench.core.space.nb201.NetworkConfig;
import org.trickbench.core.train.Batch;
import org.trickbench.core.train.NesterovSgd;
import org.trickbench.core.train.Protocol;
import org.trickbench.core.train.StepContext;
import org.trickbench.core.train.TorchDefaultInitializer;

/**
 * The weight step of a supernet search, open to timing tools: a supernet built and initialised as a
 * search builds it (no hooks), and one {@link #step} at a time of what the search's loop does for a
 * training batch, through {@link SupernetTrainer}'s own weight step: set the learning rate, choose the
 * mode's pass ({@link #selectMode}: DARTS weighted, a GDAS Gumbel sample, an SPOS random path), then
 * forward, loss, backward, metrics accumulated on the device, gradient clipping at the benchmark's norm
 * and the SGD update of the weights the pass used. α is never stepped. The caller times the steps and
 * owns the scopes around them; a step's arrays belong to the caller's open scope.
 */
public final class SupernetStepProbe implements AutoCloseable {
    /** GDAS's temperature of its first epoch; the cost of a step does not depend on it. */
    public static final double TAU = Gdas.TAU_MAX;

    private final NDManager manager;
    private final SupernetTrainer trainer;
    private final ArchitectureAdam unused;
    private final MixedOp.Mode mode;
    private final Seeds seeds;
    private final SplittableRandom random;
    private final double learningRate;

    private SupernetStepProbe(NDManager manager, SupernetTrainer trainer, ArchitectureAdam unused, MixedOp.Mode mode,
            Seeds seeds, double learningRate) {
        this.manager = manager;
        this.trainer = trainer;
        this.unused = unused;
        this.mode = mode;
        this.seeds = seeds;
        this.random = random(mode, seeds);
        this.learningRate = learningRate;
    }

    /**
     * A fresh supernet from {@code seeds} in its own manager under {@code parent}, trained in
     * {@code mode} by Nesterov SGD with the protocol's settings and the search's gradient clip.
     */
    public static SupernetStepProbe open(NetworkConfig config, MixedOp.Mode mode, Protocol protocol, Seeds seeds,
            NDManager parent) {
        Objects.requireNonNull(mode, "mode");
        NDManager manager = parent.newSubManager();
        try {
            Nb201Supernet net = supernet(config, seeds, manager);
            SupernetSettings settings = SupernetSettings.benchmark();
            ArchitectureAdam adam = new ArchitectureAdam(settings.archLearningRate(), settings.archBeta1(),
                    settings.archBeta2(), settings.archWeightDecay());
            SupernetTrainer trainer = new SupernetTrainer(net, manager, NesterovSgd.of(protocol), adam,
                    settings.gradientClip(), List.of());
            // The search's metric accumulators, outside any step's scope as in its epochs.
            trainer.startEpoch();
            return new SupernetStepProbe(manager, trainer, adam, mode, seeds, protocol.learningRate());
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** A supernet as a search without hooks builds it: standard ops, PyTorch's initialisation, seeded. */
    public static Nb201Supernet supernet(NetworkConfig config, Seeds seeds, NDManager manager) {
        Nb201Supernet net = new Nb201Supernet(config, Nb201Ops.standard(), Nb201Ops.standard());
        net.setInitializer(new TorchDefaultInitializer(), Parameter.Type.WEIGHT);
        seeds.onEngine("supernet-search", () -> {
            net.initialize(manager, DataType.FLOAT32, Nb201Network.inputShape(config, 2));
            return null;
        });
        ConvBackend.ensureFor(net);
        return net;
    }

    /**
     * The draws a search of this mode makes before each weight step: none (DARTS), Gumbel noise
     * (GDAS) or a uniform path (SPOS), from the stream the search draws them from.
     */
    public static SplittableRandom random(MixedOp.Mode mode, Seeds seeds) {
        return seeds.forPurpose(mode == MixedOp.Mode.ONE_HOT ? "gumbel" : "path-sampling");
    }

    /**
     * Puts the supernet in {@code mode} for the next pass as the search's step does: weighted; a
     * fresh Gumbel sample at {@link #TAU}, its noise created in {@code manager}; or a uniform random path.
     */
    public static void selectMode(Nb201Supernet net, MixedOp.Mode mode, SplittableRandom random, NDManager manager) {
        switch (mode) {
            case WEIGHTED -> net.useWeighted();
            case ONE_HOT -> net.useGumbel(Gdas.gumbelNoise(random, net.alpha().getArray(), manager), TAU);
            case SINGLE_PATH -> net.useSinglePath(net.randomPath(random));
        }
    }

    public Nb201Supernet supernet() {
        return (Nb201Supernet) trainer.supernet();
    }

    /** Scalars in the supernet's weights (α excluded). */
    public long parameters() {
        long n = 0;
        for (Parameter p : supernet().weights()) {
            n += p.getArray().size();
        }
        return n;
    }

    /** One weight step of the search on {@code batch}, as step {@code step} of {@code totalSteps}. */
    public void step(Batch batch, long step, long totalSteps) {
        trainer.setLearningRate(learningRate);
        StepContext where = new StepContext(0, 1, step, totalSteps, learningRate, null, seeds, trainer.weightArrays());
        selectMode(supernet(), mode, random, manager);
        trainer.weightStep(batch, where);
    }

    @Override
    public void close() {
        unused.close();
        manager.close();
    }
}
