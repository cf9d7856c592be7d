package org.trickbench.tricks;

import org.trickbench.core.search.Family;
import org.trickbench.core.trick.Phase;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.trickbench.core.train.Protocol;

class LongerTrainingTest {
    @Test
    void multipliesTheEpochCountAndNothingElse() {
        Protocol base = Protocol.nasBench201().withEpochs(12);
        Protocol doubled = Hooks.training(new LongerTraining().hook(Map.of())).configureProtocol(base);
        assertEquals(24, doubled.epochs());
        assertEquals(base.withEpochs(24), doubled);
        assertEquals(18, Hooks.training(new LongerTraining().hook(Map.of("factor", 1.5))).configureProtocol(base).epochs());
    }

    @Test
    void actsInTheFinalTrainingOnly() {
        assertTrue(new LongerTraining().inapplicableReason(Family.BLACK_BOX, Phase.SEARCH).isPresent());
        assertFalse(new LongerTraining().inProxyTraining());
    }
}
