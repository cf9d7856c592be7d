package org.trickbench.core.space.darts;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.List;
import java.util.Objects;
import org.trickbench.core.data.PreparedData;
import org.trickbench.core.train.Protocol;
import org.trickbench.core.train.StandaloneNetwork;
import org.trickbench.core.train.TrainingHooks;

/**
 * A DARTS evaluation network ({@link DartsNetwork}) for {@link org.trickbench.core.train.TrainingLoop}: a
 * genotype at {@code channels} initial channels and {@code cellsPerStage} normal cells per stage, that is
 * L = 3·N + 2 cells in all with the two reductions at L/3 and 2L/3, as a fidelity's {@code cells} counts
 * them in both spaces (DARTS's evaluation network, L=20, is N=6; its search network, L=8, is N=2).
 */
public record DartsStandalone(DartsGenotype genotype, int channels, int cellsPerStage) implements StandaloneNetwork {
    public DartsStandalone {
        Objects.requireNonNull(genotype, "genotype");
    }

    /** The DARTS cell count L of {@code cellsPerStage} normal cells per stage: 3·N + 2. */
    public static int layers(int cellsPerStage) {
        return 3 * cellsPerStage + 2;
    }

    /** The network's shape for {@code data}'s images and classes, before the hooks, without the auxiliary head. */
    public DartsConfig config(PreparedData data) {
        return new DartsConfig(data.channels(), data.side(), data.side(), data.classes(), channels,
                layers(cellsPerStage), false);
    }

    /**
     * The network as the hooks configure it ({@link DartsHooks#configureStandalone}): its shape, and with a
     * {@link DartsTraining} other than none, the auxiliary head and a network that trains as DARTS does,
     * with the hook that does it ({@link DartsTrainingNetwork}). FLOPs are counted without the head, which
     * only training runs.
     */
    @Override
    public Built build(Protocol protocol, PreparedData data, TrainingHooks hooks) {
        DartsHooks.StandaloneSetup setup = new DartsHooks(hooks).configureStandalone(
                new DartsHooks.StandaloneSetup(protocol, config(data), DartsTraining.none()));
        DartsTraining training = setup.training();
        DartsConfig config = setup.config().withAuxiliary(training.auxiliary());
        DartsNetwork network = DartsNetwork.build(genotype, config);
        long flops = DartsCost.flops(genotype, config.withAuxiliary(false));
        if (training.equals(DartsTraining.none())) {
            return new Built(setup.protocol(), network, DartsNetwork.inputShape(config, 2), flops);
        }
        DartsTrainingNetwork trained = new DartsTrainingNetwork(network, training);
        return new Built(setup.protocol(), trained, DartsNetwork.inputShape(config, 2), flops, List.of(trained.hook()));
    }

    /**
     * Trainable parameters (weights, biases, BN γ/β, not running statistics) without the auxiliary head,
     * which is dropped at test time, as DARTS reports its networks.
     */
    @Override
    public long countParameters(Block network) {
        Block built = network instanceof DartsTrainingNetwork trained ? trained.network() : network;
        long total = trainable(built);
        if (built instanceof DartsNetwork darts && darts.auxiliaryHead() != null) {
            total -= trainable(darts.auxiliaryHead());
        }
        return total;
    }

    private static long trainable(Block block) {
        long total = 0;
        for (Pair<String, Parameter> p : block.getParameters()) {
            Parameter.Type type = p.getValue().getType();
            if (type != Parameter.Type.RUNNING_MEAN && type != Parameter.Type.RUNNING_VAR) {
                total += p.getValue().getArray().getShape().size();
            }
        }
        return total;
    }
}
