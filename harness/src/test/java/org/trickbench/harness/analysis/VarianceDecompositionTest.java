package org.trickbench.harness.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.trickbench.harness.analysis.Runs.run;
import static org.trickbench.harness.analysis.Runs.tricks;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class VarianceDecompositionTest {
    private static final double EPS = 1e-9;

    /*
     * Balanced 2 algorithms × trick a × 2 seeds, one run each:
     *   y = 10 + 2·[B] + x_a + 0.5·x_seed + 0.25·x_alg·x_a·x_seed   (x = ±1)
     * Mean 11; deviations ±1 (algorithm), ±1 (a), ±0.5 (seed), ±0.25 (residual, the three-way contrast
     * no term models). SS: 8·1 = 8, 8·1 = 8, 8·0.25 = 2, 8·0.0625 = 0.5; total 18.5.
     */
    private static List<Observation> balanced() {
        List<Observation> runs = new ArrayList<>();
        for (String algorithm : List.of("A", "B")) {
            for (boolean on : List.of(false, true)) {
                for (long seed : List.of(1L, 2L)) {
                    double xAlg = algorithm.equals("B") ? 1 : -1;
                    double xA = on ? 1 : -1;
                    double xSeed = seed == 2 ? 1 : -1;
                    double y = 10 + (algorithm.equals("B") ? 2 : 0) + xA + 0.5 * xSeed + 0.25 * xAlg * xA * xSeed;
                    runs.add(run(algorithm, seed, y, tricks(on ? "a+" : "a-")));
                }
            }
        }
        return runs;
    }

    @Test
    void balancedDesignGivesTheClassicalAnovaShares() {
        VarianceDecomposition.Result r = VarianceDecomposition.decompose(balanced(), false);
        assertEquals(18.5, r.totalSumOfSquares(), EPS);
        assertEquals(List.of("algorithm", "a", "seed", "residual"),
                r.components().stream().map(VarianceDecomposition.Component::term).toList());
        assertEquals(8, r.component("algorithm").sumOfSquares(), EPS);
        assertEquals(8 / 18.5, r.component("algorithm").share(), EPS);
        assertEquals(8 / 18.5, r.component("a").share(), EPS);
        assertEquals(2 / 18.5, r.component("seed").share(), EPS);
        assertEquals(0.5 / 18.5, r.component("residual").share(), EPS);
        assertEquals(VarianceDecomposition.Source.RESIDUAL, r.component("residual").source());
        assertEquals(8 - 4, r.component("residual").degreesOfFreedom());

        List<Observation> shuffled = new ArrayList<>(balanced());
        Collections.shuffle(shuffled, new java.util.Random(3));
        assertEquals(r, VarianceDecomposition.decompose(shuffled, false), "rows are a set, not a sequence");
    }

    @Test
    void unbalancedDesignCreditsAlgorithmFirstSoSharesStillSumToOne() {
        // A: a off 10, 10, 10, a on 12; B: a on 14, a off 12. Exactly y = 10 + 2·[B] + 2·[a on].
        // Mean 68/6; total SS 40/3. Algorithm alone: means 10.5 and 13 -> SS = 4·(5/6)² + 2·(5/3)² = 25/3.
        // a then removes the rest: 40/3 − 25/3 = 5. Shares 0.625 and 0.375, residual 0.
        // (Adjusted for a instead, algorithm would get only 5, and the parts would not add up to the total.)
        List<Observation> runs = List.of(
                run("A", 1, 10, tricks("a-")), run("A", 1, 10, tricks("a-")), run("A", 1, 10, tricks("a-")),
                run("A", 1, 12, tricks("a+")), run("B", 1, 14, tricks("a+")), run("B", 1, 12, tricks("a-")));
        VarianceDecomposition.Result r = VarianceDecomposition.decompose(runs, false);
        assertEquals(40.0 / 3, r.totalSumOfSquares(), EPS);
        assertEquals(0.625, r.component("algorithm").share(), EPS);
        assertEquals(0.375, r.component("a").share(), EPS);
        assertEquals(0, r.component("seed").degreesOfFreedom(), "one seed: no seed columns");
        assertEquals(0, r.component("seed").sumOfSquares(), EPS);
        assertEquals(0, r.component("residual").share(), EPS);
    }

    @Test
    void plantedDataSplitsIntoAllSourcesWithInteractionsWhenAsked() {
        List<Observation> runs = PlantedEffectsTest.plantedRuns(new SplittableRandom(4));
        VarianceDecomposition.Result without = VarianceDecomposition.decompose(runs, false);
        VarianceDecomposition.Result with = VarianceDecomposition.decompose(runs, true);
        for (VarianceDecomposition.Result r : List.of(without, with)) {
            double sum = r.components().stream().mapToDouble(VarianceDecomposition.Component::share).sum();
            assertEquals(1.0, sum, 1e-12);
            r.components().forEach(c -> assertTrue(c.share() >= 0, c.toString()));
        }
        assertEquals(1 + 4 + 1 + 1, without.components().size());
        assertEquals(1 + 4 + 6 + 1 + 1, with.components().size());
        // Balanced: a term's SS does not depend on what else is fitted, and equals n·β² for its ±1
        // column, i.e. 160·(effect/2)² with the effect TrickEffects estimates from the same runs.
        TrickEffects.Fit fit = TrickEffects.fit(runs, true, 0, new SplittableRandom(1));
        for (String term : List.of("cutout", "mixup", "label-smoothing", "drop-path", "cutout:mixup")) {
            double half = fit.effect(term).effect() / 2;
            assertEquals(160 * half * half, with.component(term).sumOfSquares(), 1e-8, term);
        }
        assertEquals(without.component("cutout").sumOfSquares(), with.component("cutout").sumOfSquares(), 1e-8);
        assertEquals(4, with.component("seed").degreesOfFreedom());
        assertEquals(160 - 1 - 1 - 4 - 6 - 4, with.component("residual").degreesOfFreedom());
        assertEquals(VarianceDecomposition.Source.INTERACTION, with.component("cutout:mixup").source());
        // Without interaction terms, their sums of squares fall into the residual.
        double interactions = with.components().stream()
                .filter(c -> c.source() == VarianceDecomposition.Source.INTERACTION)
                .mapToDouble(VarianceDecomposition.Component::sumOfSquares).sum();
        assertEquals(without.component("residual").sumOfSquares(), with.component("residual").sumOfSquares()
                + interactions, 1e-8);
    }

    @Test
    void refusesDataWithNothingToDecompose() {
        List<Observation> flat = List.of(run("A", 1, 70, tricks("a-")), run("A", 1, 70, tricks("a+")),
                run("A", 2, 70, tricks("a-")), run("A", 2, 70, tricks("a+")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> VarianceDecomposition.decompose(flat, false));
        assertTrue(e.getMessage().contains("all 4 accuracies are equal"), e.getMessage());
    }
}
