package org.trickbench.core.space.nb201;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.training.initializer.UniformInitializer;
import ai.djl.util.Pair;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.IntFunction;
import org.trickbench.core.device.ConvBackend;

/**
 * The standalone NAS-Bench-201 network of a genotype (xautodl {@code TinyNetwork}): stem Conv3×3 → BN;
 * N cells at C; reduction to 2C; N cells; reduction to 4C; N cells; BN → ReLU → global average pool →
 * Linear. An auxiliary head (see {@link Nb201Ops#withAuxiliaryHead}) branches off after the second
 * stage.
 */
public final class Nb201Network {
    private Nb201Network() {}

    public static Block build(Genotype genotype, NetworkConfig config) {
        return build(genotype, config, Nb201Ops.standard());
    }

    public static Block build(Genotype genotype, NetworkConfig config, Nb201Ops ops) {
        return build(config, ops, channels -> new Nb201Cell(genotype, channels, ops));
    }

    /** The network of {@code config} with {@code ops}, each cell built by {@code cells} for its channel count. */
    static Block build(NetworkConfig config, Nb201Ops ops, IntFunction<Block> cells) {
        int c = config.channels();
        SequentialBlock net = new SequentialBlock();
        net.add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1))
                .setFilters(c).optGroups(ops.convolutionGroups()).optBias(false).build());
        net.add(ops.normalization());
        int[] stageChannels = {c, 2 * c, 4 * c};
        // Without an auxiliary head everything is one sequence; with one, the blocks after the second
        // stage go into a second sequence so the head can branch off between them.
        SequentialBlock current = net;
        SequentialBlock rest = null;
        for (int stage = 0; stage < stageChannels.length; stage++) {
            if (stage > 0) {
                current.add(new ResNetReduction(stageChannels[stage], ops));
            }
            for (int cell = 0; cell < config.cellsPerStage(); cell++) {
                current.add(cells.apply(stageChannels[stage]));
            }
            if (stage == 1 && ops.auxiliaryHead() != null) {
                rest = new SequentialBlock();
                current = rest;
            }
        }
        current.add(ops.normalization());
        current.add(ops.activation());
        current.add(GlobalMeanPool.block());
        current.add(Blocks.batchFlattenBlock());
        current.add(ops.convolutionGroups() == 1 ? classifier(stageChannels[2], config.classes())
                : Nb201GroupedNetwork.classifier(config.classes(), ops.convolutionGroups()));
        if (rest == null) {
            return net;
        }
        return new AuxiliaryNetwork(net, ops.auxiliaryHead().create(stageChannels[1], config.classes(), ops), rest);
    }

    /**
     * Every convolution shape of a network of this configuration whose cells hold both convolution ops
     * (and so of any cell's network, and of the supernet): the stem, the cells' 1×1 and 3×3 convolutions
     * at C, 2C and 4C, and the reduction blocks' two 3×3 convolutions and 1×1 shortcut. In parameter
     * order, as {@link ConvBackend#shapesOf} finds them in a built network.
     */
    public static Set<ConvBackend.ConvShape> convolutionShapes(NetworkConfig config) {
        Set<ConvBackend.ConvShape> shapes = new LinkedHashSet<>();
        int c = config.channels();
        shapes.add(new ConvBackend.ConvShape(config.inChannels(), c, 3, false));
        for (int stage = 0; stage < 3; stage++) {
            int cs = c << stage;
            if (stage > 0) {
                shapes.add(new ConvBackend.ConvShape(cs / 2, cs, 3, true));
                shapes.add(new ConvBackend.ConvShape(cs, cs, 3, true));
                shapes.add(new ConvBackend.ConvShape(cs / 2, cs, 1, true));
            }
            shapes.add(new ConvBackend.ConvShape(cs, cs, 1, true));
            shapes.add(new ConvBackend.ConvShape(cs, cs, 3, true));
        }
        return shapes;
    }

    /**
     * A linear layer that starts as PyTorch's {@code nn.Linear}: its bias drawn from U(±1/√fan_in)
     * ({@code Linear.reset_parameters}), which the benchmark keeps; DJL's default bias is 0. The weight's
     * start comes from the trainer's initialiser ({@link org.trickbench.core.train.TorchDefaultInitializer}),
     * which sees only a tensor's own shape, so the bias's is set here, where fan_in is known.
     */
    public static Linear classifier(long inFeatures, int classes) {
        Linear linear = Linear.builder().setUnits(classes).build();
        linear.setInitializer(new UniformInitializer((float) (1 / Math.sqrt(inFeatures))), Parameter.Type.BIAS);
        return linear;
    }

    /** The input shape of one batch, for {@code Block.initialize}. */
    public static Shape inputShape(NetworkConfig config, int batch) {
        return new Shape(batch, config.inChannels(), config.height(), config.width());
    }

    /**
     * Trainable parameters as the benchmark counts them (PyTorch's {@code parameters()}): weights,
     * biases and BN γ/β, but not running statistics. Counted from the initialised block itself.
     */
    public static long countParameters(Block block) {
        if (block instanceof AuxiliaryNetwork a) {
            // Reported without the auxiliary head, which is dropped at test time (as DARTS counts).
            return countParameters(a.trunk()) + countParameters(a.rest());
        }
        long total = 0;
        for (Pair<String, Parameter> p : block.getParameters()) {
            Parameter.Type type = p.getValue().getType();
            if (type == Parameter.Type.RUNNING_MEAN || type == Parameter.Type.RUNNING_VAR) {
                continue;
            }
            total += p.getValue().getArray().getShape().size();
        }
        return total;
    }
}
