package org.trickbench.harness.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.trickbench.harness.analysis.Runs.tricks;

import java.util.List;
import org.junit.jupiter.api.Test;

class ParetoFrontTest {

    private static Observation costing(String algorithm, Double cost, double accuracy) {
        return new Observation(algorithm, Runs.DATASET, 0, tricks(), accuracy, null, cost, null, false);
    }

    @Test
    void keepsOnlyRunsThatNoCheaperRunMatchesCheapestFirst() {
        Observation random = costing("random", 0.0, 0.80);
        Observation slowWorse = costing("darts", 50.0, 0.79);
        Observation rea = costing("rea", 20.0, 0.85);
        Observation reaTwin = costing("rea", 20.0, 0.85);
        Observation gdas = costing("gdas", 30.0, 0.85);
        Observation best = costing("spos", 90.0, 0.90);
        Observation unknownCost = costing("local-search", null, 0.99);

        List<Observation> front = ParetoFront.accuracyVersusSearchCost(
                List.of(best, slowWorse, gdas, unknownCost, rea, random, reaTwin));

        // gdas ties rea's accuracy at a higher cost; darts costs more than rea for less.
        assertEquals(List.of(random, rea, reaTwin, best), front);
    }

    @Test
    void anEmptyOrUncostedListHasAnEmptyFront() {
        assertEquals(List.of(), ParetoFront.accuracyVersusSearchCost(List.of()));
        assertEquals(List.of(), ParetoFront.accuracyVersusSearchCost(List.of(costing("rea", null, 0.5))));
    }
}
