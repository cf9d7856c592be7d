package org.trickbench.harness.perf;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.trickbench.core.UserInputException;
import org.trickbench.core.run.TrickSetting;
import org.trickbench.core.space.Architecture;
import org.trickbench.core.space.SearchSpace;
import org.trickbench.core.space.SearchSpaces;
import org.trickbench.core.space.nb201.MixedOp;
import org.trickbench.core.train.Fidelity;
import org.trickbench.core.train.Protocol;
import org.trickbench.core.train.StandaloneNetwork;

/**
 * What {@code bench perf} trains: a genotype of either space (NAS-Bench-201's or DARTS's, by its notation)
 * at C channels and N cells per stage, the image side
 * (0 = the data set's), the batch size, the steps thrown away as warm-up and the steps measured, how
 * many times the two loops take turns, the seed, and the tricks the harness loop applies (the bare loop
 * never applies any). With a {@code supernet} mode the loops train the NAS-Bench-201 supernet in that
 * mode instead of the genotype, and the harness loop is the search's weight step (no tricks).
 */
public record PerfSetup(Architecture genotype, int channels, int cells, int resolution, int batchSize, int warmup,
        int steps, int rounds, long seed, List<TrickSetting> tricks, MixedOp.Mode supernet) {

    /** The {@code --supernet} values, in the order the help lists them, with the mode each trains in. */
    public static final Map<String, MixedOp.Mode> SUPERNET_MODES = supernetModes();

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
        if (supernet != null && !tricks.isEmpty()) {
            throw new UserInputException("--trick applies to a standalone network only; --supernet times the"
                    + " search's weight step without tricks");
        }
    }

    /** A standalone genotype's setup. */
    public PerfSetup(Architecture genotype, int channels, int cells, int resolution, int batchSize, int warmup,
            int steps, int rounds, long seed, List<TrickSetting> tricks) {
        this(genotype, channels, cells, resolution, batchSize, warmup, steps, rounds, seed, tricks, null);
    }

    /** The space the genotype is written in. */
    public SearchSpace space() {
        return SearchSpaces.ofNotation(genotype.canonical());
    }

    /** The genotype's standalone network at this setup's channels and cells, as a run trains it. */
    public StandaloneNetwork standalone() {
        return space().standalone(genotype, new Fidelity(channels, cells, 1, 0, resolution));
    }

    /** The mode of a {@code --supernet} value; anything else is an input error naming the allowed values. */
    public static MixedOp.Mode supernetMode(String value) {
        MixedOp.Mode mode = SUPERNET_MODES.get(value);
        if (mode == null) {
            throw new UserInputException("--supernet " + value + " is not a step kind; allowed: "
                    + String.join(", ", SUPERNET_MODES.keySet()));
        }
        return mode;
    }

    /** The {@code --supernet} value of a mode. */
    public static String supernetName(MixedOp.Mode mode) {
        return SUPERNET_MODES.entrySet().stream().filter(e -> e.getValue() == mode).findFirst().orElseThrow().getKey();
    }

    private static Map<String, MixedOp.Mode> supernetModes() {
        Map<String, MixedOp.Mode> modes = new LinkedHashMap<>();
        modes.put("weighted", MixedOp.Mode.WEIGHTED);
        modes.put("one-hot", MixedOp.Mode.ONE_HOT);
        modes.put("single-path", MixedOp.Mode.SINGLE_PATH);
        return Collections.unmodifiableMap(modes);
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
