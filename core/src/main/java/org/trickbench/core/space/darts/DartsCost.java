package org.trickbench.core.space.darts;

/**
 * Closed-form parameter count of DARTS's CIFAR evaluation network ({@code NetworkCIFAR}; Liu et al.,
 * ICLR 2019, arXiv 1806.09055), counted as PyTorch's {@code parameters()} counts it: convolution
 * weights (no convolution has a bias), BN γ and β (running statistics left out), linear weights and
 * biases.
 *
 * <p>The network: a 3×3 stem convolution to 3C channels and BN; L cells of C channels per node, the
 * cells at L/3 and 2L/3 reduction cells that double C; each cell preprocesses its two inputs to C
 * channels with ReLU → 1×1 conv → BN, or, for the input from two cells back when the previous cell
 * reduced, a factorized reduction (ReLU, two stride-2 1×1 convolutions to C/2 each, concatenated, BN:
 * the same count); its output concatenates the four nodes (4C channels); global average pool and a
 * linear classifier. Edge ops at C channels: {@code sep_conv_k} is two stacks of ReLU → depthwise k×k →
 * pointwise 1×1 → BN; {@code dil_conv_k} one such stack with a dilated depthwise convolution;
 * {@code skip_connect} at stride 2 (an edge from a reduction cell's inputs) is a factorized reduction;
 * pools and {@code none} have no parameters (no BN after the pools in the evaluation network). The
 * auxiliary head reads the output of cell 2L/3: ReLU, 5×5 average pool at stride 3, 1×1 conv to 128,
 * BN, ReLU, 2×2 conv to 768, BN, ReLU, linear to the classes.
 */
public final class DartsCost {
    /** Cells concatenate their four intermediate nodes. */
    static final int MULTIPLIER = DartsGenotype.NODES;
    private static final long AUX_HIDDEN = 128;
    private static final long AUX_FEATURES = 768;

    private DartsCost() {}

    /** Parameters of the network, with the auxiliary head when {@code config.auxiliary()}. */
    public static long parameters(DartsGenotype genotype, DartsConfig config) {
        long c = config.channels();
        long stem = 3 * c;
        long params = 9L * config.inChannels() * stem + 2 * stem;
        long prevPrev = stem;
        long prev = stem;
        long current = c;
        long toAuxiliary = 0;
        for (int i = 0; i < config.layers(); i++) {
            boolean reduction = isReduction(i, config.layers());
            if (reduction) {
                current *= 2;
            }
            // preprocess0 (ReLUConvBN 1×1 or FactorizedReduce: the same count) and preprocess1.
            params += prevPrev * current + 2 * current + prev * current + 2 * current;
            for (DartsGenotype.Edge edge : genotype.cell(reduction)) {
                params += opParameters(edge.op(), current, reduction && edge.input() < 2);
            }
            prevPrev = prev;
            prev = MULTIPLIER * current;
            if (i == auxiliaryAfter(config.layers())) {
                toAuxiliary = prev;
            }
        }
        params += prev * config.classes() + config.classes();
        if (config.auxiliary()) {
            params += auxiliaryParameters(toAuxiliary, config.classes());
        }
        return params;
    }

    /** Parameters of one edge op at {@code channels} channels, strided when {@code stride2}. */
    static long opParameters(DartsOp op, long channels, boolean stride2) {
        return switch (op) {
            case NONE, MAX_POOL_3X3, AVG_POOL_3X3 -> 0;
            case SKIP_CONNECT -> stride2 ? channels * channels + 2 * channels : 0;
            case SEP_CONV_3X3 -> 2 * separable(channels, 3);
            case SEP_CONV_5X5 -> 2 * separable(channels, 5);
            case DIL_CONV_3X3 -> separable(channels, 3);
            case DIL_CONV_5X5 -> separable(channels, 5);
        };
    }

    /** The auxiliary head on {@code channels} input channels. */
    static long auxiliaryParameters(long channels, int classes) {
        return channels * AUX_HIDDEN + 2 * AUX_HIDDEN + AUX_HIDDEN * AUX_FEATURES * 4 + 2 * AUX_FEATURES
                + AUX_FEATURES * classes + classes;
    }

    /** Whether cell {@code i} of {@code layers} is a reduction cell: i = L/3 or 2L/3 (integer division). */
    public static boolean isReduction(int i, int layers) {
        return i == layers / 3 || i == 2 * layers / 3;
    }

    /** The cell whose output feeds the auxiliary head: the second reduction cell, 2L/3. */
    public static int auxiliaryAfter(int layers) {
        return 2 * layers / 3;
    }

    /** ReLU → depthwise k×k → pointwise 1×1 → BN at C channels. */
    private static long separable(long channels, int kernel) {
        return channels * kernel * kernel + channels * channels + 2 * channels;
    }
}
