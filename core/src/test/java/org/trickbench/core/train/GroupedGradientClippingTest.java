package org.trickbench.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.trickbench.core.data.DataPreparation;
import org.trickbench.core.data.PreparedData;
import org.trickbench.core.seed.Seeds;
import org.trickbench.core.space.nb201.Genotype;
import org.trickbench.core.space.nb201.Nb201Standalone;

/**
 * A protocol's gradient clipping in a grouped training acts on each run by its own norm, as the run alone
 * clips: three runs, the first and last of one cell and the middle of another (one network of mixed
 * cells, whose shared convolution arrays hold slabs of several runs) at a tiny size (C=4, N=1, 8 px, 256 synthetic training images, two epochs), with
 * a clipping threshold far below the first step's gradient norms so that every run is clipped. Each run's
 * first update uses its own gradients scaled by min(1, max / (its norm + 1e-6)), within 1e-5 of each
 * tensor's largest, and its per-epoch training loss is its training's alone within 1e-3 relative.
 */
@Tag("numerics")
class GroupedGradientClippingTest {
    private static final List<Genotype> CELLS = List.of(
            Genotype.parse("|nor_conv_3x3~0|+|nor_conv_1x1~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|none~2|"),
            Genotype.parse("|nor_conv_1x1~0|+|none~0|nor_conv_3x3~1|+|avg_pool_3x3~0|skip_connect~1|nor_conv_1x1~2|"),
            Genotype.parse("|nor_conv_3x3~0|+|nor_conv_1x1~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|none~2|"));
    private static final Fidelity TINY = new Fidelity(4, 1, 2, 0, 0);
    /** Far below the first step's gradient norms (the test checks that it is), so that clipping acts. */
    private static final double CLIP = 0.05;
    private static final Protocol PROTOCOL = Protocol.nasBench201().withBatchSize(64).withGradClip(CLIP).at(TINY);

    @Test
    void eachRunIsClippedByItsOwnNormAsAlone() {
        try (NDManager manager = NDManager.newBaseManager()) {
            PreparedData data = DataPreparation.prepare(SyntheticData.topBottom(512, 16, 8), TINY, new Seeds(3),
                    DataPreparation.Purpose.SEARCH, manager, Device.cpu());
            List<TrainResult> alone = new ArrayList<>();
            List<List<float[]>> expected = new ArrayList<>();
            for (int i = 0; i < CELLS.size(); i++) {
                List<float[]> first = new ArrayList<>();
                TrainingHook probe = new WeightTrainingHook() {
                    @Override
                    public void step(StepContext step, Runnable next) {
                        if (step.step() == 0) {
                            step.parameters().forEach(w -> first.add(w.getGradient().toFloatArray()));
                        }
                        next.run();
                    }
                };
                alone.add(TrainingLoop.train(request(i, data, List.of(probe)), new TrainingLoop.Listener() {}));
                List<NDArray> unclipped = first.stream().map(manager::create).toList();
                NDArray norm = GradientClipping.clip(unclipped, CLIP);
                assertTrue(norm.getFloat() > 4 * CLIP, "run " + i + "'s first gradients are clipped: norm "
                        + norm.getFloat());
                expected.add(unclipped.stream().map(NDArray::toFloatArray).toList());
            }

            List<TrainingLoop.Request> requests = new ArrayList<>();
            for (int i = 0; i < CELLS.size(); i++) {
                requests.add(request(i, data, List.of()));
            }
            List<List<float[]>> used = new ArrayList<>();
            List<TrainResult> grouped = GroupedTrainingLoop.train(requests,
                    requests.stream().map(r -> (TrainingLoop.Listener) new TrainingLoop.Listener() {}).toList(),
                    (step, gradients) -> {
                        if (step == 0) {
                            for (List<NDArray> run : gradients) {
                                used.add(run.stream().map(NDArray::toFloatArray).toList());
                            }
                        }
                    });
            for (int i = 0; i < CELLS.size(); i++) {
                List<String> names = new ArrayList<>();
                for (int j = 0; j < expected.get(i).size(); j++) {
                    names.add("parameter " + j);
                }
                GradientAgreement.assertClose(expected.get(i), used.get(i), 1e-5, names, "run " + i + " clipped");
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

    /** Run i: its cell, seed i, the protocol that clips. */
    private static TrainingLoop.Request request(int i, PreparedData data, List<TrainingHook> hooks) {
        return new TrainingLoop.Request(new Nb201Standalone(CELLS.get(i), TINY.channels(), TINY.cells()), PROTOCOL,
                data, new Seeds(i), hooks);
    }
}
