package org.trickbench.tricks;

import org.trickbench.core.trick.Phase;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.trickbench.core.data.DataPreparation;
import org.trickbench.core.data.PreparedData;
import org.trickbench.core.data.RawDataset;
import org.trickbench.core.seed.Seeds;
import org.trickbench.core.space.nb201.Genotype;
import org.trickbench.core.space.nb201.Nb201Cost;
import org.trickbench.core.space.nb201.Nb201Standalone;
import org.trickbench.core.space.nb201.NetworkConfig;
import org.trickbench.core.train.Batch;
import org.trickbench.core.train.Fidelity;
import org.trickbench.core.train.Protocol;
import org.trickbench.core.train.StepContext;
import org.trickbench.core.train.SyntheticData;
import org.trickbench.core.train.TrainResult;
import org.trickbench.core.train.TrainingHook;
import org.trickbench.core.train.TrainingLoop;
import org.trickbench.core.train.WeightTrainingHook;
import org.trickbench.core.trick.Trick;

/** Every training-phase trick at once in one short training: the hooks compose in the real loop. */
class TrainingWithTricksTest {
    private static final Genotype CELL = Genotype.parse(
            "|nor_conv_3x3~0|+|nor_conv_1x1~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|");

    /**
     * group-norm and ghost-bn both replace the normalisation; the later in the list (ghost-bn) wins,
     * which is enough here, where the point is that the hooks run together.
     */
    @Test
    void allTrainingTricksComposeInOneTraining() throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            RawDataset raw = SyntheticData.topBottom(64, 32, 8);
            PreparedData data = DataPreparation.prepare(raw, new Fidelity(2, 1, 1, 0, 0), new Seeds(1),
                    DataPreparation.Purpose.FINAL, manager, Device.cpu());
            Composition composition = new Composition();
            TrainResult result = train(data, composition);
            assertEquals(2, composition.epochs, "longer-training doubled the one epoch");
            assertEquals(Nb201Cost.parameters(CELL, new NetworkConfig(1, 8, 8, 2, 4, 1)), result.parameters(),
                    "wider doubled C = 2; the auxiliary head is not counted");
            // 64 images in batches of 16: 4 steps in the first epoch, each scored twice because of SAM, and
            // each score covers the main and the auxiliary logits.
            assertEquals(4 * 2 * 2, composition.lossEvaluationsInFirstEpoch, "loss evaluations in the first epoch");
            assertEquals(1, composition.mostOutputs, "aux-tower hands the rest of the chain one output at a time");
            assertFalse(result.diverged(), "diverged in epoch " + result.divergedEpoch());
            assertEquals(2, result.epochs().size());
            assertTrue(Double.isFinite(result.epochs().get(1).trainLoss()));

            // The same seed gives the same training, also while the collector frees native memory and
            // that memory is reused: a backward pass that read freed memory (DJL's Number operands, which
            // autograd saves but does not keep alive) made such trainings diverge now and then.
            TrainResult again;
            try (AutoCloseable storm = FreedMemory.storm()) {
                again = train(data, new Composition());
            }
            assertFalse(again.diverged(), "diverged in epoch " + again.divergedEpoch() + " with memory being reused");
            for (int e = 0; e < result.epochs().size(); e++) {
                assertEquals(result.epochs().get(e).trainLoss(), again.epochs().get(e).trainLoss(), 0,
                        "epoch " + e + "'s training loss");
            }
        }
    }

    private static TrainResult train(PreparedData data, Composition composition) {
        List<TrainingHook> hooks = new ArrayList<>();
        for (Trick t : Tricks.all()) {
            if (t.phases().contains(Phase.TRAIN)) {
                hooks.add(t.hook(Map.of()));
            }
        }
        hooks.add(composition);
        Protocol protocol = new Protocol(0.05, 0, 0.9, true, 5e-4, 16, 1, "cosine", 1, true, 0);
        return TrainingLoop.train(new TrainingLoop.Request(new Nb201Standalone(CELL, 2, 1), protocol, data, new Seeds(3), hooks),
                new TrainingLoop.Listener() {});
    }

    /** Records what the other hooks made of the protocol and of the loss chain. */
    private static final class Composition implements WeightTrainingHook {
        int epochs;
        int lossEvaluationsInFirstEpoch;
        int mostOutputs;

        @Override
        public Protocol configureProtocol(Protocol p) {
            epochs = p.epochs();
            return p;
        }

        @Override
        public NDArray lossFor(NDList outputs, Batch batch, StepContext step, LossFunction next) {
            if (step.epoch() == 0) {
                lossEvaluationsInFirstEpoch++;
            }
            mostOutputs = Math.max(mostOutputs, outputs.size());
            return next.loss(outputs, batch);
        }
    }
}
