package org.trickbench.harness.perf;

import java.util.List;
import java.util.Objects;
import org.trickbench.core.UserInputException;
import org.trickbench.core.run.TrickSetting;
import org.trickbench.core.space.nb201.Genotype;
import org.trickbench.core.train.Protocol;

/**
 * What {@code bench perf} trains: a genotype at C channels and N cells per stage, the image side
 * (0 = the data set's), the batch size, the steps thrown away as warm-up and the steps measured, how
 * many times the two loops take turns, the seed, and the tricks the harness loop applies (the bare loop
 * never applies any).
 */
public record PerfSetup(Genotype genotype, int channels, int cells, int resolution, int batchSize, int warmup,
        int steps, int rounds, long seed, List<TrickSetting> tricks) {

    public PerfSetup {
        Objects.requireNonNull(genotype, "genotype");
        atLeast("--channels", channels, 1);
        atLeast("--cells", cells, 1);
        if (resolution != 0 && (resolution < 4 || resolution % 4 != 0)) {
            throw new UserInputException("--resolution " + resolution + " is not allowed: 0 (the data set's) or a"
                    + " multiple of 4 (the two reduction blocks halve the side twice)");
        }
        atLeast("--batch-size", batchSize, 2);
        // One warm-up step at least: a measured step's time runs from the end of the step before it.
        atLeast("--warmup", warmup, 1);
        atLeast("--steps", steps, 1);
        atLeast("--rounds", rounds, 1);
        tricks = List.copyOf(tricks);
    }

    /** Steps each loop runs: warm-up and measured. */
    public int totalSteps() {
        return warmup + steps;
    }

    /** NAS-Bench-201's protocol at this batch size, for one epoch that holds every step. */
    public Protocol protocol() {
        return Protocol.nasBench201().withBatchSize(batchSize).withEpochs(1);
    }

    private static void atLeast(String option, int value, int min) {
        if (value < min) {
            throw new UserInputException(option + " must be at least " + min + ", got " + value);
        }
    }
}
