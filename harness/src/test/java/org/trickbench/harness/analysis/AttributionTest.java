package org.trickbench.harness.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AttributionTest {
    private static final double EPS = 1e-12;

    private static Attribution.Cross cross(String algorithm, long seed, double base, double architectureOnly,
            double trainingOnly, double both) {
        return new Attribution.Cross(algorithm, "cifar10", seed, Set.of("cutout"), base, architectureOnly, trainingOnly,
                both);
    }

    /*
     * rea, three seeds:          base  G1,P0  G0,P1  both  | total  arch  train  interaction
     *   seed 0                   0.80  0.81   0.84   0.86  | 0.06   0.01  0.04    0.01
     *   seed 1                   0.79  0.80   0.82   0.85  | 0.06   0.01  0.03    0.02
     *   seed 2                   0.81  0.83   0.86   0.87  | 0.06   0.02  0.05   -0.01
     * means: total 0.06, architecture 0.04/3, training 0.04, interaction 0.02/3.
     * training: sd 0.01, t(0.975, 2) = 4.302653, half-width 4.302653 · 0.01 / √3 = 0.0248414.
     * architecture: values 0.01, 0.01, 0.02, sd 0.0057735, half-width 4.302653 · 0.0057735 / √3 = 0.0143422.
     * shares: training 0.04 / 0.06 = 2/3, architecture 2/9, interaction 1/9.
     */
    private static final List<Attribution.Cross> REA = List.of(cross("rea", 0, 0.80, 0.81, 0.84, 0.86),
            cross("rea", 1, 0.79, 0.80, 0.82, 0.85), cross("rea", 2, 0.81, 0.83, 0.86, 0.87));

    @Test
    void partsAreTheSimpleEffectsOfTheTwoByTwoWithTIntervalsOverSeeds() {
        List<Attribution.Result> results = Attribution.compute(REA, 0, new SplittableRandom(0));
        assertEquals(1, results.size());
        Attribution.Result r = results.get(0);
        assertEquals("rea", r.algorithm());
        assertEquals("cutout", r.contrast());
        assertEquals(3, r.seeds());
        assertEquals(0.06, r.total().mean(), EPS);
        assertEquals(0.06, r.total().ciLow(), 1e-9, "the same total on every seed has no spread");
        assertEquals(0.04 / 3, r.architecture().mean(), EPS);
        assertEquals(0.04 / 3 - 0.0143422, r.architecture().ciLow(), 1e-6);
        assertEquals(0.04 / 3 + 0.0143422, r.architecture().ciHigh(), 1e-6);
        assertEquals(0.04, r.training().mean(), EPS);
        assertEquals(0.04 - 0.0248414, r.training().ciLow(), 1e-6);
        assertEquals(0.04 + 0.0248414, r.training().ciHigh(), 1e-6);
        assertEquals(0.02 / 3, r.interaction().mean(), EPS);
        assertEquals(2.0 / 3, r.trainingShare().value(), EPS);
        assertEquals(2.0 / 9, r.architectureShare().value(), EPS);
        assertEquals(1.0 / 9, r.interactionShare().value(), EPS);
        assertEquals(r.total().mean(), r.architecture().mean() + r.training().mean() + r.interaction().mean(), EPS);
        assertTrue(Double.isNaN(r.trainingShare().low()), "no resamples, no share interval");
    }

    @Test
    void shareIntervalsResampleSeedsAndStayWithinWhatTheSeedsAllow() {
        Attribution.Result r = Attribution.compute(REA, 2000, new SplittableRandom(3)).get(0);
        // Every seed's total is 0.06, so a resample's training share lies between 0.03/0.06 and 0.05/0.06.
        assertTrue(r.trainingShare().low() >= 0.5 - EPS && r.trainingShare().high() <= 0.05 / 0.06 + EPS, r.toString());
        assertTrue(r.trainingShare().low() < 2.0 / 3 && 2.0 / 3 < r.trainingShare().high(), r.toString());
        assertEquals(r, Attribution.compute(REA, 2000, new SplittableRandom(3)).get(0), "seeded, so repeatable");
    }

    @Test
    void pooledResultAveragesTheCellsOverAlgorithmsBeforeDifferencing() {
        // gdas: architecture gains 0.03, training 0.01, no interaction, on both seeds.
        List<Attribution.Cross> crosses = List.of(REA.get(0), REA.get(1), cross("gdas", 0, 0.90, 0.93, 0.91, 0.94),
                cross("gdas", 1, 0.88, 0.91, 0.89, 0.92));
        List<Attribution.Result> results = Attribution.compute(crosses, 0, new SplittableRandom(0));
        assertEquals(List.of(Attribution.POOLED, "gdas", "rea"), results.stream().map(Attribution.Result::algorithm).toList());
        Attribution.Result pooled = results.get(0);
        assertEquals(2, pooled.seeds());
        // seed 0: architecture (0.01 + 0.03)/2 = 0.02, seed 1: (0.01 + 0.03)/2 = 0.02.
        assertEquals(0.02, pooled.architecture().mean(), EPS);
        // training: seed 0 (0.04 + 0.01)/2 = 0.025, seed 1 (0.03 + 0.01)/2 = 0.02; mean 0.0225.
        assertEquals(0.0225, pooled.training().mean(), EPS);
        // total: seed 0 (0.06 + 0.04)/2 = 0.05, seed 1 (0.06 + 0.04)/2 = 0.05.
        assertEquals(0.05, pooled.total().mean(), EPS);
        assertEquals(0.0225 / 0.05, pooled.trainingShare().value(), EPS);
    }

    @Test
    void aSingleSeedGivesPointEstimatesWithoutIntervals() {
        Attribution.Result r = Attribution.compute(REA.subList(0, 1), 100, new SplittableRandom(0)).get(0);
        assertEquals(0.04, r.training().mean(), EPS);
        assertTrue(Double.isNaN(r.training().ciLow()) && Double.isNaN(r.trainingShare().high()), r.toString());
    }

    @Test
    void twoCrossesOfOneSeedAndContrastAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Attribution.compute(List.of(REA.get(0), REA.get(0)), 0, new SplittableRandom(0)));
        assertTrue(e.getMessage().contains("two cross-evaluations of rea cutout on cifar10 for seed 0"), e.getMessage());
    }
}
