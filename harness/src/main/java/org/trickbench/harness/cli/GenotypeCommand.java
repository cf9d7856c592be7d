package org.trickbench.harness.cli;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.trickbench.core.UserInputException;
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
            ""})
final class GenotypeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "GENOTYPE", description = "A genotype string |op~0|+|op~0|op~1|+|op~0|op~1|op~2|, or an index.")
    String genotype;

    @Option(names = "--dataset", defaultValue = "cifar10", paramLabel = "fashion-mnist|cifar10|cifar100",
            description = "Input shape and classes: fashion-mnist 1×28×28/10, cifar10 3×32×32/10, cifar100 3×32×32/100."
                    + " Default: ${DEFAULT-VALUE}.")
    String dataset;

    @Option(names = "--channels", defaultValue = "16", paramLabel = "C", description = "Initial channels (default: ${DEFAULT-VALUE}).")
    int channels;

    @Option(names = "--cells", defaultValue = "5", paramLabel = "N", description = "Cells per stage (default: ${DEFAULT-VALUE}).")
    int cells;

    @Option(names = "--resolution", paramLabel = "PX", description = "Image side, a multiple of 4 (default: the data set's).")
    Integer resolution;

    @Mixin
    LibtorchOption libtorch;

    @Override
    public Integer call() {
        libtorch.apply();
        Genotype g = parse(genotype);
        NetworkConfig config = switch (dataset) {
            case "fashion-mnist" -> new NetworkConfig(1, side(28), side(28), 10, channels, cells);
            case "cifar10" -> new NetworkConfig(3, side(32), side(32), 10, channels, cells);
            case "cifar100" -> new NetworkConfig(3, side(32), side(32), 100, channels, cells);
            default -> throw new UserInputException("--dataset '" + dataset + "' is not known; allowed: fashion-mnist, cifar10, cifar100");
        };
        long params;
        try (NDManager manager = NDManager.newBaseManager()) {
            Block net = Nb201Network.build(g, config);
            net.initialize(manager, DataType.FLOAT32, Nb201Network.inputShape(config, 1));
            params = Nb201Network.countParameters(net);
        }
        PrintWriter w = spec.commandLine().getOut();
        w.printf("genotype    %s%n", g);
        w.printf("index       %d%n", g.index());
        w.printf("network     %s, %d×%d×%d input, %d classes, C=%d, N=%d%n", dataset, config.inChannels(), config.height(),
                config.width(), config.classes(), channels, cells);
        w.printf("parameters  %,d (%.6f M)%n", params, params / 1e6);
        long flops = Nb201Cost.flops(g, config);
        // Five decimals in millions: the precision the benchmark publishes.
        w.printf(Locale.ROOT, "flops       %,d multiply-accumulates (%.5f M)%n", flops, flops / 1e6);
        w.printf("param-free  %d of 6 edges (skip_connect, avg_pool_3x3, none)%n", g.parameterFreeEdges());
        w.flush();
        return 0;
    }

    /** A genotype string, or its index in 0..15624. */
    static Genotype parse(String text) {
        return text.strip().matches("\\d+") ? Genotype.fromIndex(Integer.parseInt(text.strip())) : Genotype.parse(text);
    }

    private int side(int nativeSide) {
        return resolution == null ? nativeSide : resolution;
    }
}
