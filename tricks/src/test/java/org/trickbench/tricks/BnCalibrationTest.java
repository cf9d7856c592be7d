package org.trickbench.tricks;

import org.trickbench.core.search.Family;
import org.trickbench.core.trick.Phase;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.trickbench.core.UserInputException;
import org.trickbench.core.space.nb201.Genotype;
import org.trickbench.core.space.nb201.Nb201Op;
import org.trickbench.core.train.TrainingHook;
import org.trickbench.core.trick.Trick;

class BnCalibrationTest {
    private static final Genotype PATH = Genotype.parse(
            "|nor_conv_3x3~0|+|skip_connect~0|nor_conv_1x1~1|+|avg_pool_3x3~0|none~1|nor_conv_3x3~2|");

    /**
     * The stem's BatchNorm sees conv(images); after calibration its running mean and variance must be
     * the average over the calibration batches of that input's per-channel mean and unbiased variance.
     */
    @Test
    void runningStatisticsAfterCalibrationAreTheAverageStatisticsOfTheCalibrationBatches() {
        try (NDManager m = NDManager.newBaseManager()) {
            PlantedSession session = new PlantedSession(m, 4);
            session.net.useSinglePath(PATH);
            Block stem = session.net.stem();
            Block conv = stem.getChildren().get(0).getValue();
            BatchNorm bn = (BatchNorm) stem.getChildren().get(1).getValue();
            int batches = 3;
            float[] expectedMean = new float[2];
            float[] expectedVar = new float[2];
            for (int b = 0; b < batches; b++) {
                NDArray x = conv.forward(new ParameterStore(m, false), new NDList(session.batches.get(b)), false)
                        .singletonOrThrow();
                NDArray byChannel = x.transpose(1, 0, 2, 3).reshape(2, -1);
                NDArray channelMean = byChannel.mean(new int[] {1}, true);
                float[] mean = channelMean.toFloatArray();
                long count = byChannel.getShape().get(1);
                float[] var = byChannel.sub(channelMean).square().sum(new int[] {1}).div(count - 1).toFloatArray();
                for (int c = 0; c < 2; c++) {
                    expectedMean[c] += mean[c] / batches;
                    expectedVar[c] += var[c] / batches;
                }
            }
            TrainingHook hook = Tricks.byId("bn-calibration").hook(Map.of("batches", batches));
            Hooks.search(hook).beforeScoring(session);
            assertArrayEquals(expectedMean, running(bn, Parameter.Type.RUNNING_MEAN), 1e-4f);
            assertArrayEquals(expectedVar, running(bn, Parameter.Type.RUNNING_VAR), 1e-3f);
            // The next candidate: the hook now knows BN's momentum and measures it no more.
            bn.getParameters().forEach(p -> p.getValue().getArray().muli(0).addi(7));
            Hooks.search(hook).beforeScoring(session);
            assertArrayEquals(expectedMean, running(bn, Parameter.Type.RUNNING_MEAN), 1e-4f);
            assertArrayEquals(expectedVar, running(bn, Parameter.Type.RUNNING_VAR), 1e-3f);
        }
    }

    @Test
    void statisticsOfOpsOffThePathKeepTheirValues() {
        try (NDManager m = NDManager.newBaseManager()) {
            PlantedSession session = new PlantedSession(m, 2);
            session.net.useSinglePath(PATH);
            // Edge 1 runs skip_connect, so the 3×3 convolution's BN of edge 1 sees nothing.
            Block unused = session.net.cells().get(0).edge(1).candidate(Nb201Op.NOR_CONV_3X3);
            BatchNorm bn = (BatchNorm) unused.getChildren().get(2).getValue();
            bn.getParameters().forEach(p -> p.getValue().getArray().muli(0).addi(0.25f));
            Hooks.search(Tricks.byId("bn-calibration").hook(Map.of())).beforeScoring(session);
            assertArrayEquals(new float[] {0.25f, 0.25f}, running(bn, Parameter.Type.RUNNING_MEAN), 1e-7f);
            assertArrayEquals(new float[] {0.25f, 0.25f}, running(bn, Parameter.Type.RUNNING_VAR), 1e-7f);
        }
    }

    @Test
    void actsOnlyInTheSearchOfSupernetFamilies() {
        Trick t = Tricks.byId("bn-calibration");
        assertEquals(Set.of(Phase.SEARCH), t.phases());
        assertTrue(t.inapplicableReason(Family.ONE_SHOT, Phase.TRAIN).isPresent());
        assertTrue(t.inapplicableReason(Family.BLACK_BOX, Phase.SEARCH).isPresent());
        UserInputException e = assertThrows(UserInputException.class, () -> t.hook(Map.of("batches", 0)));
        assertTrue(e.getMessage().startsWith("bn-calibration: batches=0 is out of range"), e.getMessage());
    }

    private static float[] running(BatchNorm bn, Parameter.Type type) {
        for (Pair<String, Parameter> p : bn.getParameters()) {
            if (p.getValue().getType() == type) {
                return p.getValue().getArray().toFloatArray();
            }
        }
        throw new AssertionError("no " + type);
    }
}
