package org.trickbench.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.trickbench.core.data.DataPreparation;
import org.trickbench.core.data.PreparedData;
import org.trickbench.core.seed.Seeds;
import org.trickbench.core.space.nb201.Genotype;
import org.trickbench.core.space.nb201.Nb201Standalone;

/**
 * Three runs trained alone and as one grouped network, for tests of what a group computes run by run: the
 * first and last of one cell and the middle of another (one network of mixed cells, whose shared
 * convolution arrays hold slabs of several runs), seeds 0 to 2, at a tiny size (C=4, N=1, 8 px, 256
 * synthetic training images, two epochs).
 */
public final class GroupedAgainstAlone {
    public static final List<Genotype> CELLS = List.of(
            Genotype.parse("|nor_conv_3x3~0|+|nor_conv_1x1~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|none~2|"),
            Genotype.parse("|nor_conv_1x1~0|+|none~0|nor_conv_3x3~1|+|avg_pool_3x3~0|skip_connect~1|nor_conv_1x1~2|"),
            Genotype.parse("|nor_conv_3x3~0|+|nor_conv_1x1~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|none~2|"));
    public static final Fidelity TINY = new Fidelity(4, 1, 2, 0, 0);

    /**
     * What the runs computed: alone, each run's first-step gradients as a hook after {@code hooks} sees
     * them (before the protocol's clipping) and its results; grouped, the gradients each run's first update
     * used ({@link GroupedTrainingLoop.GradientProbe}) and its results.
     */
    public record Outcome(List<List<float[]>> aloneGradients, List<TrainResult> alone,
            List<List<float[]>> groupedGradients, List<TrainResult> grouped) {}

    private GroupedAgainstAlone() {}

    /** {@code protocol} at {@link #TINY}; {@code hooks} gives each training its own hook objects. */
    public static Outcome train(Protocol protocol, Supplier<List<TrainingHook>> hooks) {
        Protocol tiny = protocol.at(TINY);
        try (NDManager manager = NDManager.newBaseManager()) {
            PreparedData data = DataPreparation.prepare(SyntheticData.topBottom(512, 16, 8), TINY, new Seeds(3),
                    DataPreparation.Purpose.SEARCH, manager, Device.cpu());
            List<List<float[]>> aloneGradients = new ArrayList<>();
            List<TrainResult> alone = new ArrayList<>();
            for (int i = 0; i < CELLS.size(); i++) {
                List<float[]> first = new ArrayList<>();
                List<TrainingHook> own = new ArrayList<>(hooks.get());
                own.add(new WeightTrainingHook() {
                    @Override
                    public void step(StepContext step, Runnable next) {
                        if (step.step() == 0) {
                            step.parameters().forEach(w -> first.add(w.getGradient().toFloatArray()));
                        }
                        next.run();
                    }
                });
                alone.add(TrainingLoop.train(request(i, tiny, data, own), new TrainingLoop.Listener() {}));
                aloneGradients.add(first);
            }
            List<TrainingLoop.Request> requests = new ArrayList<>();
            for (int i = 0; i < CELLS.size(); i++) {
                requests.add(request(i, tiny, data, hooks.get()));
            }
            List<List<float[]>> groupedGradients = new ArrayList<>();
            List<TrainResult> grouped = GroupedTrainingLoop.train(requests,
                    requests.stream().map(r -> (TrainingLoop.Listener) new TrainingLoop.Listener() {}).toList(),
                    (step, gradients) -> {
                        if (step == 0) {
                            for (List<NDArray> run : gradients) {
                                groupedGradients.add(run.stream().map(NDArray::toFloatArray).toList());
                            }
                        }
                    });
            return new Outcome(aloneGradients, alone, groupedGradients, grouped);
        }
    }

    /**
     * Each run's grouped first-update gradients equal {@code expected.get(i)} within 1e-5 of each tensor's
     * largest ({@link GradientAgreement}), and its per-epoch training loss its loss alone within 1e-3.
     */
    public static void assertAgree(List<List<float[]>> expected, Outcome outcome, String what) {
        for (int i = 0; i < CELLS.size(); i++) {
            List<String> names = new ArrayList<>();
            for (int j = 0; j < expected.get(i).size(); j++) {
                names.add("parameter " + j);
            }
            GradientAgreement.assertClose(expected.get(i), outcome.groupedGradients().get(i), 1e-5, names,
                    "run " + i + " " + what);
            TrainResult result = outcome.grouped().get(i);
            assertFalse(result.diverged());
            assertEquals(TINY.epochs(), result.epochs().size());
            for (int e = 0; e < TINY.epochs(); e++) {
                double a = outcome.alone().get(i).epochs().get(e).trainLoss();
                double b = result.epochs().get(e).trainLoss();
                assertEquals(a, b, 1e-3 * Math.abs(a), "run " + i + " epoch " + e + " train loss");
            }
        }
    }

    private static TrainingLoop.Request request(int i, Protocol protocol, PreparedData data, List<TrainingHook> hooks) {
        return new TrainingLoop.Request(new Nb201Standalone(CELLS.get(i), TINY.channels(), TINY.cells()), protocol,
                data, new Seeds(i), hooks);
    }
}
