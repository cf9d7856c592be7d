package org.trickbench.core.space.nb201;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

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
     * network: as {@link #build(Genotype, NetworkConfig, int)} outside the cells, and cells that run every
     * op some network uses on an edge and mask each op's output to its networks' channels
     * ({@link Nb201MixedCell}). Network i's parameters are slabs i of the grouped network's parameters
     * that {@link #slabs} maps its own to; the op slabs it does not use hold no weights of it.
     */
    public static Block build(List<Genotype> genotypes, NetworkConfig config) {
        int runs = genotypes.size();
        Nb201Ops ops = Nb201Ops.standard().withConvolutionGroups(runs);
        return Nb201Network.build(grouped(config, runs), ops, channels -> new Nb201MixedCell(genotypes, channels, ops));
    }

    /**
     * For each parameter of a grouped network (either {@link #build} form), the index of the parameter of
     * {@code single}, one network's own ({@link Nb201Network#build}), that the grouped parameter's slab for
     * that network holds, or −1 where it holds none of that network's weights (an op the network does
     * not use on an edge of a mixed cell).
     *
     * @throws IllegalArgumentException when the networks do not correspond
     */
    public static int[] slabs(Block single, Block grouped) {
        List<Nb201Cell> cells = new ArrayList<>();
        List<Nb201MixedCell> mixed = new ArrayList<>();
        collect(single, cells, Nb201Cell.class);
        collect(grouped, mixed, Nb201MixedCell.class);
        Set<Parameter> unused = Collections.newSetFromMap(new IdentityHashMap<>());
        if (!mixed.isEmpty()) {
            if (mixed.size() != cells.size()) {
                throw new IllegalArgumentException("a network of " + cells.size() + " cells and a grouped network of "
                        + mixed.size());
            }
            for (int c = 0; c < cells.size(); c++) {
                for (Block op : mixed.get(c).unusedBy(cells.get(c).genotype())) {
                    op.getParameters().values().forEach(unused::add);
                }
            }
        }
        PairList<String, Parameter> parameters = grouped.getParameters();
        int[] slabs = new int[parameters.size()];
        int next = 0;
        for (int j = 0; j < slabs.length; j++) {
            slabs[j] = unused.contains(parameters.get(j).getValue()) ? -1 : next++;
        }
        if (next != single.getParameters().size()) {
            throw new IllegalArgumentException("a network of " + single.getParameters().size()
                    + " parameters does not fit a grouped network whose slabs hold " + next);
        }
        return slabs;
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
