package org.trickbench.core.train;

import org.trickbench.core.UserInputException;

/**
 * How much of the full experiment a run pays for: initial channels C, cells per stage N, epochs,
 * training-subset size (0 = the whole training split) and image resolution (0 = native). Search and
 * final evaluation each have one. The benchmark's full fidelity is C=16, N=5, 200 epochs.
 */
public record Fidelity(int channels, int cells, int epochs, int trainSubset, int resolution) {
    public Fidelity {
        positive("channels", channels);
        positive("cells", cells);
        positive("epochs", epochs);
        if (trainSubset < 0) {
            throw new UserInputException("fidelity.train-subset must be 0 (all) or a positive count, got " + trainSubset);
        }
        if (resolution != 0 && (resolution < 4 || resolution % 4 != 0)) {
            throw new UserInputException("fidelity.resolution=" + resolution
                    + " is not allowed: 0 (native) or a multiple of 4, because NAS-Bench-201's two"
                    + " reduction blocks halve the side twice (e.g. 8, 12, 16, 28, 32)");
        }
    }

    public static Fidelity benchmark() {
        return new Fidelity(16, 5, 200, 0, 0);
    }

    private static void positive(String field, int value) {
        if (value <= 0) {
            throw new UserInputException("fidelity." + field + " must be a positive integer, got " + value);
        }
    }
}
