package org.trickbench.tricks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.trickbench.core.UserInputException;
import org.trickbench.core.train.EpochContext;
import org.trickbench.core.train.TrainingHook;

class WarmupWeightsTest {
    private static List<Integer> heldEpochs(double fraction, int epochs) {
        TrainingHook hook = new WarmupWeights().hook(Map.of("fraction", fraction));
        List<Integer> held = new ArrayList<>();
        for (int e = 0; e < epochs; e++) {
            if (!Hooks.search(hook).beforeArchitectureStep(EpochContext.starting(e, epochs, null))) {
                held.add(e);
            }
        }
        return held;
    }

    @Test
    void holdsAlphaForTheFirstFractionOfEpochs() {
        assertEquals(List.of(0, 1), heldEpochs(0.5, 4));
        assertEquals(List.of(0, 1, 2), heldEpochs(0.5, 5), "epoch 2 of 5 starts at 40 % < 50 %");
        assertEquals(List.of(0, 1, 2), heldEpochs(0.3, 10), "3 / 10 meets 0.3 exactly");
        assertEquals(List.of(), heldEpochs(0, 10));
        assertEquals(List.of(0, 1, 2, 3), heldEpochs(1, 4), "fraction 1 never trains α");
        assertEquals(25, heldEpochs(0.5, 50).size(), "the default holds half of DARTS' 50 epochs");
    }

    @Test
    void fractionOutsideZeroToOneIsRejected() {
        UserInputException e = assertThrows(UserInputException.class,
                () -> new WarmupWeights().hook(Map.of("fraction", 1.5)));
        assertTrue(e.getMessage().equals("warmup-weights: fraction=1.5 is out of range; allowed: 0 <= fraction <= 1"),
                e.getMessage());
    }
}
