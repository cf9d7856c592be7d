package org.trickbench.core.space.nb201;

import org.trickbench.core.UserInputException;

/**
 * The shape of a NAS-Bench-201 network: input channels and resolution, number of classes, initial
 * channels C and cells per stage N. The benchmark itself uses C=16, N=5 on 3×32×32 CIFAR images.
 */
public record NetworkConfig(int inChannels, int height, int width, int classes, int channels, int cellsPerStage) {
    public NetworkConfig {
        requirePositive("inChannels", inChannels);
        requirePositive("classes", classes);
        requirePositive("channels", channels);
        requirePositive("cellsPerStage", cellsPerStage);
        requireResolution("height", height);
        requireResolution("width", width);
    }

    /** The benchmark's own configuration for CIFAR-10. */
    public static NetworkConfig cifar10Benchmark() {
        return new NetworkConfig(3, 32, 32, 10, 16, 5);
    }

    public NetworkConfig withChannels(int c) {
        return new NetworkConfig(inChannels, height, width, classes, c, cellsPerStage);
    }

    private static void requirePositive(String field, int value) {
        if (value <= 0) {
            throw new UserInputException(field + " must be a positive integer, got " + value);
        }
    }

    /**
     * The two reduction blocks halve the resolution twice, through a stride-2 3×3 convolution beside
     * a 2×2 average-pool shortcut. The two paths only agree in size when the side is even at both
     * reductions, so a side must be a multiple of 4 (28, 16 and 12 work; 14 gives 7 → 4 against 7 → 3).
     */
    static void requireResolution(String field, int side) {
        if (side < 4 || side % 4 != 0) {
            throw new UserInputException("resolution " + field + "=" + side
                    + " is not allowed: NAS-Bench-201's two reduction blocks need a multiple of 4"
                    + " (e.g. 8, 12, 16, 28, 32)");
        }
    }
}
