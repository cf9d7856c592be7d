package org.trickbench.tricks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.trickbench.core.data.DataPreparation;
import org.trickbench.core.data.PreparedData;
import org.trickbench.core.seed.Seeds;
import org.trickbench.core.space.nb201.Genotype;
import org.trickbench.core.space.nb201.Nb201Standalone;
import org.trickbench.core.train.Fidelity;
import org.trickbench.core.train.GradientAgreement;
import org.trickbench.core.train.GroupedTrainingLoop;
import org.trickbench.core.train.Protocol;
import org.trickbench.core.train.StepContext;
import org.trickbench.core.train.SyntheticData;
import org.trickbench.core.train.TrainResult;
import org.trickbench.core.train.TrainingHook;
import org.trickbench.core.train.TrainingLoop;
import org.trickbench.core.train.WeightTrainingHook;

/**
 * SAM in a grouped training takes each run's step as the run alone takes it, its ascent scaled by the
 * run's own gradient norm: three runs, the first and last of one cell and the middle of another (one
 * network of mixed cells, whose shared convolution arrays hold slabs of several runs), at a tiny size
 * (C=4, N=1, 8 px, 256 synthetic training images, two epochs), with {@code sam}'s default ρ and label
 * smoothing. The gradients each run's first update uses (SAM's second pass) match its training alone
 * within 1e-5 of each tensor's largest, and its per-epoch training loss within 1e-3 relative.
 */
class GroupedSamTest {
    private static final List<Genotype> CELLS = List.of(
            Genotype.parse("|nor_conv_3x3~0|+|nor_conv_1x1~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|none~2|"),
            Genotype.parse("|nor_conv_1x1~0|+|none~0|nor_conv_3x3~1|+|avg_pool_3x3~0|skip_connect~1|nor_conv_1x1~2|"),
            Genotype.parse("|nor_conv_3x3~0|+|nor_conv_1x1~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|none~2|"));
    private static final Fidelity TINY = new Fidelity(4, 1, 2, 0, 0);
    private static final Protocol PROTOCOL = Protocol.nasBench201().withBatchSize(64).at(TINY);

    @Test
    void eachRunTakesItsOwnSharpnessAwareStepAsAlone() {
        try (NDManager manager = NDManager.newBaseManager()) {
            PreparedData data = DataPreparation.prepare(SyntheticData.topBottom(512, 16, 8), TINY, new Seeds(3),
                    DataPreparation.Purpose.SEARCH, manager, Device.cpu());
            List<TrainResult> alone = new ArrayList<>();
            List<List<float[]>> expected = new ArrayList<>();
            for (int i = 0; i < CELLS.size(); i++) {
                List<float[]> used = new ArrayList<>();
                // After sam in the chain: it sees the gradients of sam's second pass, which the update uses.
                TrainingHook probe = new WeightTrainingHook() {
                    @Override
                    public void step(StepContext step, Runnable next) {
                        if (step.step() == 0) {
                            step.parameters().forEach(w -> used.add(w.getGradient().toFloatArray()));
                        }
                        next.run();
                    }
                };
                List<TrainingHook> hooks = new ArrayList<>(tricks());
                hooks.add(probe);
                alone.add(TrainingLoop.train(request(i, data, hooks), new TrainingLoop.Listener() {}));
                expected.add(used);
            }

            List<TrainingLoop.Request> requests = new ArrayList<>();
            for (int i = 0; i < CELLS.size(); i++) {
                requests.add(request(i, data, tricks()));
            }
            List<List<float[]>> used = new ArrayList<>();
            List<TrainResult> grouped = GroupedTrainingLoop.train(requests,
                    requests.stream().map(r -> (TrainingLoop.Listener) new TrainingLoop.Listener() {}).toList(),
                    (step, gradients) -> {
                        if (step == 0) {
                            gradients.forEach(run -> used.add(run.stream().map(g -> g.toFloatArray()).toList()));
                        }
                    });
            for (int i = 0; i < CELLS.size(); i++) {
                List<String> names = new ArrayList<>();
                for (int j = 0; j < expected.get(i).size(); j++) {
                    names.add("parameter " + j);
                }
                GradientAgreement.assertClose(expected.get(i), used.get(i), 1e-5, names, "run " + i + " after sam");
                TrainResult result = grouped.get(i);
                assertFalse(result.diverged());
                assertEquals(TINY.epochs(), result.epochs().size());
                for (int e = 0; e < TINY.epochs(); e++) {
                    double a = alone.get(i).epochs().get(e).trainLoss();
                    double b = result.epochs().get(e).trainLoss();
                    assertEquals(a, b, 1e-3 * Math.abs(a), "run " + i + " epoch " + e + " train loss");
                }
            }
        }
    }

    private static List<TrainingHook> tricks() {
        return List.of(new Sam().hook(Map.of()), new LabelSmoothing().hook(Map.of()));
    }

    private static TrainingLoop.Request request(int i, PreparedData data, List<TrainingHook> hooks) {
        return new TrainingLoop.Request(new Nb201Standalone(CELLS.get(i), TINY.channels(), TINY.cells()), PROTOCOL,
                data, new Seeds(i), hooks);
    }
}
