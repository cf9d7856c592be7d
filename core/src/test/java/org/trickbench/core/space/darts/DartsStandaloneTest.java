package org.trickbench.core.space.darts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.trickbench.core.data.PreparedData;
import org.trickbench.core.seed.Seeds;
import org.trickbench.core.train.Protocol;
import org.trickbench.core.train.SyntheticData;
import org.trickbench.core.train.TrainResult;
import org.trickbench.core.train.TrainingLoop;

class DartsStandaloneTest {

    @Test
    void cellsPerStageCountLikeNasBench201s() {
        // DARTS's evaluation network (L=20) and search network (L=8) as N normal cells per stage.
        assertEquals(20, DartsStandalone.layers(6));
        assertEquals(8, DartsStandalone.layers(2));
        assertEquals(5, DartsStandalone.layers(1));
    }

    @Test
    void parametersLeaveTheAuxiliaryHeadOut() {
        DartsConfig config = new DartsConfig(3, 32, 32, 10, 8, 5, true);
        try (NDManager manager = NDManager.newBaseManager()) {
            Block net = DartsNetwork.build(DartsGenotype.DARTS_V2, config);
            net.initialize(manager, DataType.FLOAT32, DartsNetwork.inputShape(config, 2));
            long counted = new DartsStandalone(DartsGenotype.DARTS_V2, 8, 1).countParameters(net);
            assertEquals(DartsCost.parameters(DartsGenotype.DARTS_V2, config.withAuxiliary(false)), counted);
            assertTrue(counted < DartsCost.parameters(DartsGenotype.DARTS_V2, config));
        }
    }

    @Test
    void trainsThroughTheSpaceNeutralLoop() {
        try (NDManager manager = NDManager.newBaseManager()) {
            PreparedData data = SyntheticData.prepare(SyntheticData.topBottom(128, 64, 8), manager, 1);
            Protocol protocol = new Protocol(0.05, 0, 0.9, true, 3e-4, 32, 3, "cosine", 1, true, 0);
            DartsStandalone network = new DartsStandalone(DartsGenotype.DARTS_V2, 4, 1);
            TrainResult result = TrainingLoop.train(new TrainingLoop.Request(network, protocol, data, new Seeds(5),
                    List.of()), new TrainingLoop.Listener() {});
            assertFalse(result.diverged());
            assertEquals(3, result.epochs().size());
            assertEquals(DartsCost.parameters(DartsGenotype.DARTS_V2, network.config(data)), result.parameters());
            assertEquals(DartsCost.flops(DartsGenotype.DARTS_V2, network.config(data)), result.flops());
            assertTrue(result.epochs().get(2).trainLoss() < result.epochs().get(0).trainLoss(),
                    "train loss " + result.epochs());
        }
    }
}
