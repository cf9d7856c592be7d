package org.trickbench.core.space.nb201;

/**
 * Closed-form size and cost of a NAS-Bench-201 network. FLOPs are counted as the benchmark counts
 * them (Dong &amp; Yang, ICLR 2020, arXiv:2001.00326; its {@code get_model_infos}): multiply-accumulates
 * of convolutions and linear layers, plus one per output of a layer with a bias, and nothing for
 * pooling, BN or additions. Only the classifier has a bias (every convolution is followed by BN and
 * has none), so it adds one per class: CIFAR-10's cells then span exactly the published 7.78305 M to
 * 220.11969 M. The parameter formula is cross-checked in tests against the DJL network's own
 * parameters, which remain the authority.
 */
public final class Nb201Cost {
    private Nb201Cost() {}

    public static long flops(Genotype genotype, NetworkConfig config) {
        long h = config.height();
        long w = config.width();
        long c = config.channels();
        long macs = c * h * w * config.inChannels() * 9; // stem
        long in = c;
        for (int stage = 0; stage < 3; stage++) {
            long cs = c << stage;
            if (stage > 0) {
                h /= 2;
                w /= 2;
                long area = h * w;
                macs += cs * area * in * 9; // conv_a, stride 2
                macs += cs * area * cs * 9; // conv_b
                macs += cs * area * in; // shortcut 1×1 after the 2×2 pool
            }
            macs += config.cellsPerStage() * cellMacs(genotype, cs, h * w);
            in = cs;
        }
        return macs + in * config.classes() + config.classes(); // classifier weights and bias
    }

    public static long parameters(Genotype genotype, NetworkConfig config) {
        long c = config.channels();
        long params = 9L * config.inChannels() * c + 2 * c; // stem conv + BN
        long in = c;
        for (int stage = 0; stage < 3; stage++) {
            long cs = c << stage;
            if (stage > 0) {
                params += 9 * in * cs + 2 * cs + 9 * cs * cs + 2 * cs + in * cs;
            }
            long cell = 0;
            for (Nb201Op op : genotype.ops()) {
                cell += switch (op) {
                    case NOR_CONV_1X1 -> cs * cs + 2 * cs;
                    case NOR_CONV_3X3 -> 9 * cs * cs + 2 * cs;
                    default -> 0;
                };
            }
            params += config.cellsPerStage() * cell;
            in = cs;
        }
        return params + 2 * in + in * config.classes() + config.classes(); // last BN, classifier
    }

    private static long cellMacs(Genotype genotype, long channels, long area) {
        long macs = 0;
        for (Nb201Op op : genotype.ops()) {
            if (op == Nb201Op.NOR_CONV_1X1) {
                macs += channels * channels * area;
            } else if (op == Nb201Op.NOR_CONV_3X3) {
                macs += 9 * channels * channels * area;
            }
        }
        return macs;
    }
}
