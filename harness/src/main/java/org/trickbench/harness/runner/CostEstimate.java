package org.trickbench.harness.runner;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.Locale;
import org.trickbench.core.data.DataPreparation;
import org.trickbench.core.data.HostImages;
import org.trickbench.core.data.PreparedData;
import org.trickbench.core.data.RawDataset;
import org.trickbench.core.run.RunSpec;
import org.trickbench.core.seed.Seeds;
import org.trickbench.core.space.Architecture;
import org.trickbench.core.space.SearchSpace;
import org.trickbench.core.space.SearchSpaces;
import org.trickbench.core.space.darts.DartsGenotype;
import org.trickbench.core.space.nb201.Genotype;
import org.trickbench.core.train.Fidelity;
import org.trickbench.core.train.Protocol;
import org.trickbench.core.train.TrainResult;
import org.trickbench.core.train.TrainingLoop;

/**
 * The cost of a plan, from a measured step: one network is trained for a few steps at the final
 * fidelity on random images of the data set's shape, and every run's final training is priced at
 * epochs × steps per epoch × that step time. Search cost is not priced (it depends on the algorithm),
 * so the estimate is a lower bound for searching algorithms and exact in kind for the random baseline.
 */
public final class CostEstimate {
    /**
     * NAS-Bench-201's best cell: a mid-to-heavy network, so the estimate errs on the expensive side. On the
     * DARTS space the probe is the DARTS paper's cell, mostly separable convolutions.
     */
    private static final Genotype PROBE = Genotype.parse(
            "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_3x3~2|");
    private static final int PROBE_STEPS = 4;

    private CostEstimate() {}

    /** Seconds per training step of {@code space}'s probe network at this fidelity, batch and image shape. */
    public static double stepSeconds(SearchSpace space, Fidelity fidelity, Protocol protocol, int channels, int side, int classes,
            Device device) {
        int batch = protocol.batchSize();
        int n = batch * PROBE_STEPS;
        byte[] px = new byte[n * channels * side * side];
        byte[] labels = new byte[n];
        new java.util.Random(0).nextBytes(px);
        for (int i = 0; i < n; i++) {
            labels[i] = (byte) (i % classes);
        }
        HostImages images = new HostImages(n, channels, side, side, px, labels, classes);
        HostImages test = new HostImages(classes, channels, side, side,
                java.util.Arrays.copyOf(px, classes * channels * side * side), java.util.Arrays.copyOf(labels, classes), classes);
        List<String> names = java.util.stream.IntStream.range(0, classes).mapToObj(i -> "c" + i).toList();
        try (NDManager manager = NDManager.newBaseManager(device)) {
            PreparedData data = DataPreparation.prepare(new RawDataset("probe", images, test, names),
                    new Fidelity(fidelity.channels(), fidelity.cells(), 1, 0, 0), new Seeds(0),
                    DataPreparation.Purpose.FINAL, manager, device);
            Architecture probe = space.id().equals(SearchSpaces.DARTS) ? DartsGenotype.DARTS_V2 : PROBE;
            TrainingLoop.Request request = new TrainingLoop.Request(space.standalone(probe, fidelity),
                    protocol.withEpochs(1), data, new Seeds(0), List.of());
            TrainingLoop.train(request, new TrainingLoop.Listener() {}); // warm-up: allocation, first-call costs
            TrainResult timed = TrainingLoop.train(request, new TrainingLoop.Listener() {});
            return timed.epochs().get(0).seconds() / PROBE_STEPS;
        }
    }

    /** Seconds of final training for one run, given the step time and the training images it uses. */
    public static double finalSeconds(RunSpec spec, int trainImages, double stepSeconds) {
        int n = spec.finalFidelity().trainSubset() == 0 ? trainImages : Math.min(trainImages, spec.finalFidelity().trainSubset());
        long steps = (long) Math.ceil(n / (double) spec.protocol().batchSize()) * spec.protocol().epochs();
        return steps * stepSeconds;
    }

    public static String human(double seconds) {
        if (seconds < 120) {
            return String.format(Locale.ROOT, "%.0f s", seconds);
        }
        if (seconds < 2 * 3600) {
            return String.format(Locale.ROOT, "%.1f min", seconds / 60);
        }
        if (seconds < 3 * 86400) {
            return String.format(Locale.ROOT, "%.1f h", seconds / 3600);
        }
        return String.format(Locale.ROOT, "%.1f days", seconds / 86400);
    }
}
