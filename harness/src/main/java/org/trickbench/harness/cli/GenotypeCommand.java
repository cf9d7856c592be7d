package org.trickbench.harness.cli;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.trickbench.core.UserInputException;
import org.trickbench.core.space.Architecture;
import org.trickbench.core.space.SearchSpaces;
import org.trickbench.core.space.darts.DartsConfig;
import org.trickbench.core.space.darts.DartsCost;
import org.trickbench.core.space.darts.DartsGenotype;
import org.trickbench.core.space.darts.DartsNetwork;
import org.trickbench.core.space.nb201.Genotype;
import org.trickbench.core.space.nb201.Nb201Cost;
import org.trickbench.core.space.nb201.Nb201Network;
import org.trickbench.core.space.nb201.NetworkConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "genotype", mixinStandardHelpOptions = true,
        description = {
            "Prints a NAS-Bench-201 genotype's canonical string, its index in 0..15624, its parameter count (from the",
            "built DJL network) and FLOPs (multiply-accumulates of convolutions and linear layers, plus the",
            "classifier's bias, as the benchmark counts them).",
            "",
            "With the defaults (cifar10, C=16, N=5) the counts match the benchmark's published ones, e.g.",
            "  bench genotype '|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|none~0|nor_conv_3x3~1|avg_pool_3x3~2|'",
            "prints 802,426 parameters, and the FLOPs of the 15,625 cells span 7.78305 M to 220.11969 M.",
            "",
            "A GENOTYPE that starts with 'Genotype' is a DARTS CNN cell pair in DARTS's printed form (see",
            "docs/spaces.md). For it the command prints the canonical string and the parameters (from the built",
            "network) and FLOPs (counted as for NAS-Bench-201) of DARTS's CIFAR evaluation network, without and with",
            "its auxiliary head, at DARTS's evaluation size by default (C=36, L=20 cells; --cells sets L), e.g.",
            "  bench genotype \"Genotype(normal=[('skip_connect', 0), ('dil_conv_3x3', 1), ('skip_connect', 0),",
            "    ('sep_conv_3x3', 1), ('sep_conv_3x3', 1), ('sep_conv_3x3', 3), ('sep_conv_3x3', 0), ('dil_conv_5x5', 4)],",
            "    normal_concat=range(2, 6), reduce=[('avg_pool_3x3', 0), ('sep_conv_5x5', 1), ('sep_conv_3x3', 0),",
            "    ('dil_conv_5x5', 2), ('max_pool_3x3', 0), ('dil_conv_3x3', 1), ('dil_conv_3x3', 1), ('dil_conv_5x5', 3)],",
            "    reduce_concat=range(2, 6))\"",
            "prints P-DARTS's 3,433,798 parameters without the head and 3,910,224 with it.",
            ""})
final class GenotypeCommand implements Callable<Integer> {
    private static final int NB201_CHANNELS = 16;
    private static final int NB201_CELLS = 5;
    /** DARTS's CIFAR-10 evaluation size. */
    private static final int DARTS_CHANNELS = 36;
    private static final int DARTS_CELLS = 20;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "GENOTYPE", description = {"A NAS-Bench-201 genotype |op~0|+|op~0|op~1|+|op~0|op~1|op~2|,",
        "or its index, or a DARTS genotype Genotype(normal=[...], normal_concat=..., reduce=[...], reduce_concat=...)."})
    String genotype;

    @Option(names = "--dataset", defaultValue = "cifar10", paramLabel = "fashion-mnist|cifar10|cifar100",
            description = "Input shape and classes: fashion-mnist 1×28×28/10, cifar10 3×32×32/10, cifar100 3×32×32/100."
                    + " Default: ${DEFAULT-VALUE}.")
    String dataset;

    @Option(names = "--channels", paramLabel = "C", description = "Initial channels (default: 16; DARTS: 36).")
    Integer channels;

    @Option(names = "--cells", paramLabel = "N", description = "Cells per stage (default: 5); DARTS: cells in all, L (default: 20).")
    Integer cells;

    @Option(names = "--resolution", paramLabel = "PX", description = "Image side, a multiple of 4 (default: the data set's).")
    Integer resolution;

    @Mixin
    LibtorchOption libtorch;

    @Override
    public Integer call() {
        libtorch.apply();
        PrintWriter w = spec.commandLine().getOut();
        if (isDarts(genotype)) {
            darts(DartsGenotype.parse(genotype), w);
        } else {
            nb201(parse(genotype), w);
        }
        w.flush();
        return 0;
    }

    private void nb201(Genotype g, PrintWriter w) {
        int c = channels == null ? NB201_CHANNELS : channels;
        int n = cells == null ? NB201_CELLS : cells;
        Shape shape = shape();
        NetworkConfig config = new NetworkConfig(shape.inChannels(), shape.side(), shape.side(), shape.classes(), c, n);
        long params;
        try (NDManager manager = NDManager.newBaseManager()) {
            Block net = Nb201Network.build(g, config);
            net.initialize(manager, DataType.FLOAT32, Nb201Network.inputShape(config, 1));
            params = Nb201Network.countParameters(net);
        }
        w.printf("genotype    %s%n", g);
        w.printf("index       %d%n", g.index());
        w.printf("network     %s, %s, C=%d, N=%d%n", dataset, shape, c, n);
        w.printf("parameters  %,d (%.6f M)%n", params, params / 1e6);
        long flops = Nb201Cost.flops(g, config);
        // Five decimals in millions: the precision the benchmark publishes.
        w.printf(Locale.ROOT, "flops       %,d multiply-accumulates (%.5f M)%n", flops, flops / 1e6);
        w.printf("param-free  %d of 6 edges (skip_connect, avg_pool_3x3, none)%n", g.parameterFreeEdges());
    }

    private void darts(DartsGenotype g, PrintWriter w) {
        int c = channels == null ? DARTS_CHANNELS : channels;
        int layers = cells == null ? DARTS_CELLS : cells;
        Shape shape = shape();
        DartsConfig plain = new DartsConfig(shape.inChannels(), shape.side(), shape.side(), shape.classes(), c, layers,
                false);
        w.printf("genotype    %s%n", g);
        w.printf("network     DARTS CIFAR, %s, %s, C=%d, L=%d%n", dataset, shape, c, layers);
        DartsConfig withHead = DartsConfig.auxiliaryFits(shape.side(), shape.side()) ? plain.withAuxiliary(true) : null;
        long params = builtParameters(g, plain);
        w.printf("parameters  %,d (%.6f M) without the auxiliary head%n", params, params / 1e6);
        if (withHead != null) {
            long head = builtParameters(g, withHead);
            w.printf("            %,d (%.6f M) with it%n", head, head / 1e6);
        }
        long flops = DartsCost.flops(g, plain);
        w.printf(Locale.ROOT, "flops       %,d multiply-accumulates (%.5f M) without the auxiliary head%n", flops,
                flops / 1e6);
        if (withHead != null) {
            long head = DartsCost.flops(g, withHead);
            w.printf(Locale.ROOT, "            %,d multiply-accumulates (%.5f M) with it%n", head, head / 1e6);
        } else {
            w.printf("            (the auxiliary head needs an input of 8 pixels or more)%n");
        }
    }

    private static long builtParameters(DartsGenotype g, DartsConfig config) {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block net = DartsNetwork.build(g, config);
            net.initialize(manager, DataType.FLOAT32, DartsNetwork.inputShape(config, 1));
            return Nb201Network.countParameters(net);
        }
    }

    /** Whether {@code text} is a DARTS genotype: DARTS prints them starting with {@code Genotype}. */
    static boolean isDarts(String text) {
        return SearchSpaces.ofNotation(text).id().equals(SearchSpaces.DARTS);
    }

    /** The input of --dataset at --resolution. */
    private record Shape(int inChannels, int side, int classes) {
        @Override
        public String toString() {
            return inChannels + "×" + side + "×" + side + " input, " + classes + " classes";
        }
    }

    private Shape shape() {
        return switch (dataset) {
            case "fashion-mnist" -> new Shape(1, side(28), 10);
            case "cifar10" -> new Shape(3, side(32), 10);
            case "cifar100" -> new Shape(3, side(32), 100);
            default -> throw new UserInputException("--dataset '" + dataset + "' is not known; allowed: fashion-mnist, cifar10, cifar100");
        };
    }

    /**
     * An architecture of either space: a NAS-Bench-201 index in 0..15624, else a genotype string read by the
     * space of its notation (a DARTS genotype starts with {@code Genotype(}).
     */
    static Architecture architecture(String text) {
        return text.strip().matches("\\d+") ? parse(text) : SearchSpaces.parse(text);
    }

    /** A genotype string, or its index in 0..15624. */
    static Genotype parse(String text) {
        return text.strip().matches("\\d+") ? Genotype.fromIndex(Integer.parseInt(text.strip())) : Genotype.parse(text);
    }

    private int side(int nativeSide) {
        return resolution == null ? nativeSide : resolution;
    }
}
