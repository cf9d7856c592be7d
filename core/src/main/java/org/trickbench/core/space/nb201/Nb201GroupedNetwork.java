package org.trickbench.core.space.nb201;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.trickbench.core.train.GroupedParameters;

/**
 * K NAS-Bench-201 networks of one genotype and size as one network (or of different genotypes,
 * {@link #build(List, NetworkConfig)}): every channel count K-fold, every
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

    /**
     * K networks of different genotypes (network i of {@code genotypes.get(i)}) at {@code config} as one
     * network: as {@link #build(Genotype, NetworkConfig, int)} outside the cells, and cells that run each op
     * some network uses on an edge once, a ReLU-conv-BN op over only its networks' gathered channels, and
     * assemble each network's channels of the edge from its own op's output ({@link Nb201MixedCell}).
     * Where a parameter holds network i's weights, and as which of how many slabs, is {@link #slabs}'s.
     */
    public static Block build(List<Genotype> genotypes, NetworkConfig config) {
        int runs = genotypes.size();
        Nb201Ops ops = Nb201Ops.standard().withConvolutionGroups(runs);
        return Nb201Network.build(grouped(config, runs), ops, channels -> new Nb201MixedCell(genotypes, channels, ops));
    }

    /**
     * For each parameter of a grouped network of {@code runs} networks (either {@link #build} form), where
     * it holds network {@code run}'s weights: the index of the parameter of {@code single}, that network's
     * own ({@link Nb201Network#build}), as slab {@code run} of {@code runs}; in a mixed cell an op's
     * parameters hold only its users' slabs, in network order, and none of the others' weights (−1).
     *
     * @throws IllegalArgumentException when the networks do not correspond
     */
    public static List<GroupedParameters.Slab> slabs(Block single, Block grouped, int run, int runs) {
        List<Nb201Cell> cells = new ArrayList<>();
        List<Nb201MixedCell> mixed = new ArrayList<>();
        collect(single, cells, Nb201Cell.class);
        collect(grouped, mixed, Nb201MixedCell.class);
        Map<Parameter, int[]> places = new IdentityHashMap<>();
        if (!mixed.isEmpty()) {
            if (mixed.size() != cells.size()) {
                throw new IllegalArgumentException("a network of " + cells.size() + " cells and a grouped network of "
                        + mixed.size());
            }
            for (int c = 0; c < cells.size(); c++) {
                if (!mixed.get(c).genotype(run).equals(cells.get(c).genotype())) {
                    throw new IllegalArgumentException("network " + run + " of the grouped network is "
                            + mixed.get(c).genotype(run) + ", not " + cells.get(c).genotype());
                }
                mixed.get(c).slabs(run, places);
            }
        }
        List<GroupedParameters.Slab> slabs = new ArrayList<>();
        int next = 0;
        for (Parameter parameter : grouped.getParameters().values()) {
            int[] place = places.getOrDefault(parameter, new int[] {run, runs});
            slabs.add(place[0] < 0 ? new GroupedParameters.Slab(-1, -1, place[1])
                    : new GroupedParameters.Slab(next++, place[0], place[1]));
        }
        if (next != single.getParameters().size()) {
            throw new IllegalArgumentException("a network of " + single.getParameters().size()
                    + " parameters does not fit a grouped network whose slabs hold " + next);
        }
        return List.copyOf(slabs);
    }

    private static <T extends Block> void collect(Block block, List<T> found, Class<T> type) {
        if (type.isInstance(block)) {
            found.add(type.cast(block));
            return;
        }
        for (Block child : block.getChildren().values()) {
            collect(child, found, type);
        }
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
