package org.trickbench.algorithms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.trickbench.core.UserInputException;
import org.trickbench.core.run.AlgorithmSetting;
import org.trickbench.core.run.RunSpec;
import org.trickbench.core.search.SearchContext;
import org.trickbench.core.seed.Seeds;
import org.trickbench.core.space.nb201.Genotype;
import org.trickbench.core.train.Fidelity;
import org.trickbench.core.train.Protocol;

class RandomBaselineTest {
    private static SearchContext context(int index, long seed) {
        Fidelity f = new Fidelity(8, 1, 2, 2000, 16);
        RunSpec spec = new RunSpec("fashion-mnist", "nb201", new AlgorithmSetting("random", Map.of("index", index)),
                List.of(), f, f, Protocol.nasBench201(), seed);
        return SearchContext.of(spec, new Seeds(seed), null);
    }

    @Test
    void drawsAReproducibleGenotypePerIndexAndSeed() {
        RandomBaseline r = new RandomBaseline();
        Genotype a = Genotype.from(r.search(context(0, 1)).genotype());
        assertEquals(a, r.search(context(0, 1)).genotype());
        assertNotEquals(a, r.search(context(1, 1)).genotype());
        assertNotEquals(a, r.search(context(0, 2)).genotype());
    }

    @Test
    void coversTheSpaceUniformlyEnoughToHitManyCells() {
        RandomBaseline r = new RandomBaseline();
        Set<Genotype> seen = new HashSet<>();
        int[] conv3x3OnEdge0 = new int[1];
        for (int k = 0; k < 2000; k++) {
            Genotype g = Genotype.from(r.search(context(k, 9)).genotype());
            seen.add(g);
            if (g.op(0).id().equals("nor_conv_3x3")) {
                conv3x3OnEdge0[0]++;
            }
        }
        assertTrue(seen.size() > 1850, "distinct " + seen.size());
        // Each op should own about a fifth of edge 0: 400 ± 4 standard deviations (≈ 72).
        assertTrue(Math.abs(conv3x3OnEdge0[0] - 400) < 72, "nor_conv_3x3 on edge 0: " + conv3x3OnEdge0[0]);
    }

    @Test
    void unknownAlgorithmNamesTheKnownOnes() {
        UserInputException e = assertThrows(UserInputException.class, () -> Algorithms.byId("rae"));
        assertTrue(e.getMessage().contains("random"));
    }
}
