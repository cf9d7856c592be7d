package org.trickbench.core.space.darts;

import java.util.ArrayList;
import java.util.List;

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
 *
 * <p>FLOPs are counted as {@link org.trickbench.core.space.nb201.Nb201Cost} counts NAS-Bench-201's:
 * multiply-accumulates of convolutions (a depthwise k×k one costs k² per output) and linear layers,
 * plus one per output of a layer with a bias (only the two classifiers have one), and nothing for
 * pooling, BN, ReLU or the cells' sums and concatenations.
 */
public final class DartsCost {
    /** Cells concatenate their four intermediate nodes. */
    static final int MULTIPLIER = DartsGenotype.NODES;
    /** The stem convolution outputs 3C channels. */
    static final int STEM_MULTIPLIER = 3;
    private static final long AUX_HIDDEN = 128;
    private static final long AUX_FEATURES = 768;
    /** The auxiliary head's average pool in DARTS: 5×5 at stride 3, unpadded, on an 8 to 10-pixel input. */
    private static final int AUX_POOL = 5;
    private static final int AUX_POOL_STRIDE = 3;
    private static final int AUX_NATIVE_MIN = 8;
    private static final int AUX_NATIVE_MAX = 10;
    private static final int AUX_KERNEL = 2;

    private DartsCost() {}

    /**
     * One cell of the network as the counts see it: its index, whether it reduces, the channels of its
     * inputs s0 (two back) and s1 (one back), its own C, and the area of s1 and of its nodes.
     */
    private record CellShape(int index, boolean reduction, long prevPrev, long prev, long channels, long inputArea,
            long height, long width) {}

    /** The cells of {@code config}'s network, in order. */
    private static List<CellShape> cells(DartsConfig config) {
        List<CellShape> cells = new ArrayList<>();
        long prevPrev = STEM_MULTIPLIER * config.channels();
        long prev = prevPrev;
        long current = config.channels();
        long h = config.height();
        long w = config.width();
        for (int i = 0; i < config.layers(); i++) {
            boolean reduction = isReduction(i, config.layers());
            long inputArea = h * w;
            if (reduction) {
                current *= 2;
                h /= 2;
                w /= 2;
            }
            cells.add(new CellShape(i, reduction, prevPrev, prev, current, inputArea, h, w));
            prevPrev = prev;
            prev = MULTIPLIER * current;
        }
        return cells;
    }

    /** Parameters of the network, with the auxiliary head when {@code config.auxiliary()}. */
    public static long parameters(DartsGenotype genotype, DartsConfig config) {
        long stem = STEM_MULTIPLIER * config.channels();
        long params = 9L * config.inChannels() * stem + 2 * stem;
        for (CellShape cell : cells(config)) {
            long c = cell.channels();
            // preprocess0 (ReLUConvBN 1×1 or FactorizedReduce: the same count) and preprocess1.
            params += cell.prevPrev() * c + 2 * c + cell.prev() * c + 2 * c;
            for (DartsGenotype.Edge edge : genotype.cell(cell.reduction())) {
                params += opParameters(edge.op(), c, cell.reduction() && edge.input() < 2);
            }
            if (config.auxiliary() && cell.index() == auxiliaryAfter(config.layers())) {
                params += auxiliaryParameters(MULTIPLIER * c, config.classes());
            }
        }
        return params + classifier(config);
    }

    /**
     * Multiply-accumulates of one forward pass of one image, with the auxiliary head when
     * {@code config.auxiliary()} (it runs in training only, but is part of the network counted).
     */
    public static long flops(DartsGenotype genotype, DartsConfig config) {
        long stem = STEM_MULTIPLIER * config.channels();
        long macs = 9L * config.inChannels() * stem * config.height() * config.width();
        for (CellShape cell : cells(config)) {
            long c = cell.channels();
            long area = cell.height() * cell.width();
            // Both preprocessings output C channels at s1's resolution, the cell's input one, from 1×1
            // convolutions (a factorized reduction's two reach C/2 each): one MAC per weight and pixel.
            macs += (cell.prevPrev() + cell.prev()) * c * cell.inputArea();
            for (DartsGenotype.Edge edge : genotype.cell(cell.reduction())) {
                macs += opWeights(edge.op(), c, cell.reduction() && edge.input() < 2) * area;
            }
            if (config.auxiliary() && cell.index() == auxiliaryAfter(config.layers())) {
                macs += auxiliaryFlops(MULTIPLIER * c, cell.height(), cell.width(), config.classes());
            }
        }
        return macs + classifier(config);
    }

    /** The linear classifier's weights and biases, also its multiply-accumulates with one per bias. */
    private static long classifier(DartsConfig config) {
        long features = (long) MULTIPLIER * config.channels() * 4; // C doubles at both reductions
        return features * config.classes() + config.classes();
    }

    /** Parameters of one edge op at {@code channels} channels, strided when {@code stride2}. */
    static long opParameters(DartsOp op, long channels, boolean stride2) {
        return opWeights(op, channels, stride2) + 2 * channels * opNorms(op, stride2);
    }

    /**
     * Convolution weights of one edge op at {@code channels} channels, strided when {@code stride2}.
     * Every convolution of an op outputs at the op's output resolution, so this is also the op's
     * multiply-accumulates per output pixel.
     */
    static long opWeights(DartsOp op, long channels, boolean stride2) {
        return switch (op) {
            case NONE, MAX_POOL_3X3, AVG_POOL_3X3 -> 0;
            // A factorized reduction: two 1×1 convolutions to C/2.
            case SKIP_CONNECT -> stride2 ? channels * channels : 0;
            case SEP_CONV_3X3 -> 2 * separable(channels, 3);
            case SEP_CONV_5X5 -> 2 * separable(channels, 5);
            case DIL_CONV_3X3 -> separable(channels, 3);
            case DIL_CONV_5X5 -> separable(channels, 5);
        };
    }

    /** BatchNorm layers of one edge op (each has γ and β per channel). */
    private static int opNorms(DartsOp op, boolean stride2) {
        return switch (op) {
            case NONE, MAX_POOL_3X3, AVG_POOL_3X3 -> 0;
            case SKIP_CONNECT -> stride2 ? 1 : 0;
            case DIL_CONV_3X3, DIL_CONV_5X5 -> 1;
            case SEP_CONV_3X3, SEP_CONV_5X5 -> 2;
        };
    }

    /** The auxiliary head on {@code channels} input channels. */
    static long auxiliaryParameters(long channels, int classes) {
        return channels * AUX_HIDDEN + 2 * AUX_HIDDEN + AUX_HIDDEN * AUX_FEATURES * AUX_KERNEL * AUX_KERNEL
                + 2 * AUX_FEATURES + AUX_FEATURES * classes + classes;
    }

    /** Whether cell {@code i} of {@code layers} is a reduction cell: i = L/3 or 2L/3 (integer division). */
    public static boolean isReduction(int i, int layers) {
        return i == layers / 3 || i == 2 * layers / 3;
    }

    /** The cell whose output feeds the auxiliary head: the second reduction cell, 2L/3. */
    public static int auxiliaryAfter(int layers) {
        return 2 * layers / 3;
    }

    /**
     * The auxiliary head's average pool along one side of {@code side} pixels, as {kernel, stride}, both
     * unpadded: DARTS's 5×5 at stride 3 where DARTS's head reads its input (8 to 10 pixels: 32 to 40-pixel
     * images), and otherwise (2 pixels or more) a kernel of ⌈side/2⌉ at stride ⌊side/2⌋, whose two windows
     * [0, ⌈side/2⌉) and [⌊side/2⌋, side) are those of an adaptive average pool to 2 (PyTorch's
     * {@code AdaptiveAvgPool2d(2)}). Either way the map is 2×2, so the head's parameters do not change.
     */
    public static int[] auxiliaryPool(long side) {
        if (side >= AUX_NATIVE_MIN && side <= AUX_NATIVE_MAX) {
            return new int[] {AUX_POOL, AUX_POOL_STRIDE};
        }
        if (side < 2) {
            throw new IllegalArgumentException("the auxiliary head needs at least 2 pixels a side, got " + side);
        }
        return new int[] {(int) ((side + 1) / 2), (int) (side / 2)};
    }

    /**
     * The auxiliary head's multiply-accumulates on an h×w input of {@code channels} channels: the 1×1
     * convolution on the pooled map (2×2, {@link #auxiliaryPool}), the 2×2 one on what remains of it
     * (1×1), and the linear layer with its bias.
     */
    static long auxiliaryFlops(long channels, long h, long w, int classes) {
        long ph = pooled(h);
        long pw = pooled(w);
        long outputs = (ph - AUX_KERNEL + 1) * (pw - AUX_KERNEL + 1);
        return channels * AUX_HIDDEN * ph * pw + AUX_HIDDEN * AUX_FEATURES * AUX_KERNEL * AUX_KERNEL * outputs
                + AUX_FEATURES * classes + classes;
    }

    private static long pooled(long side) {
        int[] pool = auxiliaryPool(side);
        return (side - pool[0]) / pool[1] + 1;
    }

    /** Weights of ReLU → depthwise k×k → pointwise 1×1 at C channels (its BN apart). */
    private static long separable(long channels, int kernel) {
        return channels * kernel * kernel + channels * channels;
    }
}
