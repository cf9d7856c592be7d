package org.trickbench.core.space.nb201;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;

/**
 * K NAS-Bench-201 networks of one genotype and size as one network: every channel count K-fold, every
 * convolution in K groups, BatchNorm over the K·C channels (per channel, so per network), and a
 * block-diagonal classifier (a 1×1 convolution in K groups). Network i reads input channels
 * [i·c, (i+1)·c) and writes logits [i·classes, (i+1)·classes); nothing crosses between groups, so
 * each network's outputs and gradients are those of the network alone.
 *
 * <p>Parameters come in the order of {@link Nb201Network#build}'s, each the K networks' own stacked
 * along axis 0 (the classifier's weight as a (K·classes, 4C, 1, 1) kernel).
 */
public final class Nb201GroupedNetwork {
    private Nb201GroupedNetwork() {}

    /** The grouped network of {@code runs} copies of {@code genotype} at {@code config}, with the benchmark's ops. */
    public static Block build(Genotype genotype, NetworkConfig config, int runs) {
        return Nb201Network.build(genotype, grouped(config, runs), Nb201Ops.standard().withConvolutionGroups(runs));
    }

    /** {@code config} with input channels, channels and classes {@code runs}-fold. */
    public static NetworkConfig grouped(NetworkConfig config, int runs) {
        return new NetworkConfig(config.inChannels() * runs, config.height(), config.width(), config.classes() * runs,
                config.channels() * runs, config.cellsPerStage());
    }

    /**
     * The block-diagonal classifier: features (B, K·F) to logits (B, classes), {@code classes} being
     * K networks' classes, as a 1×1 convolution in K groups with a bias.
     */
    static Block classifier(int classes, int groups) {
        return new SequentialBlock()
                .add(LambdaBlock.singleton(x -> x.reshape(x.getShape().get(0), x.getShape().get(1), 1, 1),
                        "to_pixel"))
                .add(Conv2d.builder().setKernelShape(new Shape(1, 1)).setFilters(classes).optGroups(groups)
                        .optBias(true).build())
                .add(Blocks.batchFlattenBlock());
    }
}
