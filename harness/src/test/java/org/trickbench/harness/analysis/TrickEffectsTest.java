package org.trickbench.harness.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.trickbench.harness.analysis.Runs.run;
import static org.trickbench.harness.analysis.Runs.tricks;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.commons.math3.distribution.TDistribution;
import org.junit.jupiter.api.Test;

class TrickEffectsTest {
    private static final double EPS = 1e-9;

    /*
     * A replicated 2^2 design, one algorithm, two seeds per cell (accuracy in %):
     *   a off, b off: 10, 12 (mean 11)     a on, b off: 14, 14 (mean 14)
     *   a off, b on : 11, 13 (mean 12)     a on, b on : 16, 18 (mean 17)
     * Effect of a = (14 + 17)/2 − (11 + 12)/2 = 4; of b = (12 + 17)/2 − (11 + 14)/2 = 2.
     * Interaction a:b = ((17 − 12) − (14 − 11))/2 = 1.
     */
    private static List<Observation> twoByTwo() {
        return List.of(
                run("darts", 1, 10, tricks("a-", "b-")), run("darts", 2, 12, tricks("a-", "b-")),
                run("darts", 1, 14, tricks("a+", "b-")), run("darts", 2, 14, tricks("a+", "b-")),
                run("darts", 1, 11, tricks("a-", "b+")), run("darts", 2, 13, tricks("a-", "b+")),
                run("darts", 1, 16, tricks("a+", "b+")), run("darts", 2, 18, tricks("a+", "b+")));
    }

    @Test
    void mainEffectsAreOnMinusOffWithTIntervalsOnTheResidualDegreesOfFreedom() {
        TrickEffects.Fit fit = TrickEffects.fit(twoByTwo(), false, 0, new SplittableRandom(1));
        // Additive fit 13.5 ± 2 ± 1 leaves residuals −.5, 1.5, −.5, −.5, −1.5, .5, −.5, 1.5: RSS = 8,
        // df = 8 − 3 = 5, σ² = 1.6. The ±1 columns are orthogonal with X'X = 8·I, so Var(β) = 1.6/8 = 0.2
        // and SE(effect) = 2·√0.2 = 0.894427. t(a) = 4/0.894427 = √20, t(b) = √5.
        assertEquals(5, fit.residualDegreesOfFreedom());
        assertEquals(Math.sqrt(1.6), fit.residualStandardError(), EPS);
        EffectEstimate a = fit.effect("a");
        EffectEstimate b = fit.effect("b");
        assertEquals(4.0, a.effect(), EPS);
        assertEquals(2.0, b.effect(), EPS);
        assertEquals(2 * Math.sqrt(0.2), a.standardError(), EPS);
        assertEquals(2 * Math.sqrt(0.2), b.standardError(), EPS);
        // t(0.975, 5) = 2.570582 (standard table): 4 ± 2.570582·0.894427 = 4 ± 2.299199 = [1.700801, 6.299199].
        assertEquals(1.700801, a.ciLow(), 1e-6);
        assertEquals(6.299199, a.ciHigh(), 1e-6);
        TDistribution t5 = new TDistribution(5);
        double pa = 2 * (1 - t5.cumulativeProbability(Math.sqrt(20)));
        double pb = 2 * (1 - t5.cumulativeProbability(Math.sqrt(5)));
        assertEquals(pa, a.pValue(), 1e-12);
        assertEquals(pb, b.pValue(), 1e-12);
        // Holm with m = 2: the smaller p doubles; the larger is max(2·pa, pb).
        assertEquals(2 * pa, a.holmP(), 1e-12);
        assertEquals(Math.max(2 * pa, pb), b.holmP(), 1e-12);
        assertTrue(fit.interactions().isEmpty());
        assertTrue(fit.algorithms().isEmpty());
        assertEquals("darts", fit.referenceAlgorithm());
        assertTrue(Double.isNaN(a.bootstrapLow()), "no resamples, no bootstrap interval");
    }

    @Test
    void interactionEffectIsHalfTheDifferenceBetweenConditionalEffects() {
        TrickEffects.Fit fit = TrickEffects.fit(twoByTwo(), true, 0, new SplittableRandom(1));
        // With a:b the fit reaches the cell means; residuals ±1 within three cells, 0 in one: RSS = 6,
        // df = 4, σ² = 1.5, SE(effect) = 2·√(1.5/8).
        assertEquals(4, fit.residualDegreesOfFreedom());
        EffectEstimate ab = fit.effect("a:b");
        assertEquals(1.0, ab.effect(), EPS);
        assertEquals(2 * Math.sqrt(1.5 / 8), ab.standardError(), EPS);
        assertEquals(4.0, fit.effect("a").effect(), EPS, "orthogonal columns: main effects unchanged");
        assertEquals(2.0, fit.effect("b").effect(), EPS);
        assertEquals(1.0, ab.holmP() / ab.pValue(), EPS, "one interaction is a family of one");
    }

    @Test
    void algorithmEffectIsTheContrastWithTheFirstAlgorithmInSortedOrder() {
        List<Observation> runs = new ArrayList<>();
        for (Observation o : twoByTwo()) {
            runs.add(run("gdas", o.seed(), o.accuracy() + 3, o.tricks()));
            runs.add(o);
        }
        TrickEffects.Fit fit = TrickEffects.fit(runs, false, 0, new SplittableRandom(1));
        assertEquals("darts", fit.referenceAlgorithm());
        assertEquals(1, fit.algorithms().size());
        EffectEstimate gdas = fit.effect("gdas");
        assertEquals(3.0, gdas.effect(), EPS, "a dummy's coefficient is the whole contrast, not doubled");
        // 16 rows, 4 coefficients: RSS doubles to 16 on df 12; Var(gdas − darts) = σ²·(1/8 + 1/8).
        assertEquals(12, fit.residualDegreesOfFreedom());
        assertEquals(Math.sqrt(16.0 / 12 * 0.25), gdas.standardError(), EPS);
        assertEquals(4.0, fit.effect("a").effect(), EPS);
    }

    @Test
    void holmAdjustsAcrossTheTrickMainEffects() {
        // A third trick c, on for seed 1's runs and off for seed 2's (balanced against a and b).
        List<Observation> runs = new ArrayList<>();
        for (Observation o : twoByTwo()) {
            runs.add(run("darts", o.seed(), o.accuracy() + (o.on("a") ? 0.3 : 0), tricks("a" + (o.on("a") ? "+" : "-"),
                    "b" + (o.on("b") ? "+" : "-"), "c" + (o.seed() == 1 ? "+" : "-"))));
        }
        TrickEffects.Fit fit = TrickEffects.fit(runs, false, 0, new SplittableRandom(1));
        double[] p = fit.tricks().stream().mapToDouble(EffectEstimate::pValue).toArray();
        double[] holm = fit.tricks().stream().mapToDouble(EffectEstimate::holmP).toArray();
        assertArrayEquals(Holm.adjust(p), holm, 1e-15);
        assertEquals(List.of("a", "b", "c"), fit.tricks().stream().map(EffectEstimate::term).toList());
    }

    @Test
    void aliasedInteractionInAResolutionThreeFractionIsNamed() {
        // 2^(3−1) with c = ab: runs (−,−,+), (+,−,−), (−,+,−), (+,+,+), two seeds each.
        List<Observation> runs = new ArrayList<>();
        double[] y = {10, 14, 11, 17};
        String[][] rows = {{"a-", "b-", "c+"}, {"a+", "b-", "c-"}, {"a-", "b+", "c-"}, {"a+", "b+", "c+"}};
        for (long seed = 1; seed <= 2; seed++) {
            for (int r = 0; r < rows.length; r++) {
                runs.add(run("darts", seed, y[r] + seed, tricks(rows[r])));
            }
        }
        TrickEffects.fit(runs, false, 0, new SplittableRandom(1)); // main effects alone are estimable
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrickEffects.fit(runs, true, 0, new SplittableRandom(1)));
        assertTrue(e.getMessage().contains("a:b = +1.00·c"), e.getMessage());
        assertTrue(e.getMessage().contains("rank-deficient"), e.getMessage());
    }

    @Test
    void trickOnInEveryRunIsPartOfTheProtocolNotAFactor() {
        List<Observation> runs = new ArrayList<>();
        for (Observation o : twoByTwo()) {
            runs.add(run("darts", o.seed(), o.accuracy(), tricks("a" + (o.on("a") ? "+" : "-"),
                    "b" + (o.on("b") ? "+" : "-"), "always+", "never-")));
        }
        for (boolean interactions : List.of(false, true)) {
            TrickEffects.Fit fit = TrickEffects.fit(runs, interactions, 0, new SplittableRandom(1));
            TrickEffects.Fit without = TrickEffects.fit(twoByTwo(), interactions, 0, new SplittableRandom(1));
            assertEquals(java.util.Map.of("always", true, "never", false), fit.constantTricks());
            assertEquals(without.tricks(), fit.tricks(), "the constant tricks change no estimate");
            assertEquals(without.interactions(), fit.interactions());
            assertEquals(without.residualDegreesOfFreedom(), fit.residualDegreesOfFreedom());
        }
        assertEquals(VarianceDecomposition.decompose(twoByTwo(), true), VarianceDecomposition.decompose(runs, true));

        List<Observation> nothingVaries = runs.stream().filter(o -> o.on("a") && o.on("b")).toList();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrickEffects.fit(nothingVaries, false, 0, new SplittableRandom(1)));
        assertTrue(e.getMessage().contains("no trick varies"), e.getMessage());
    }

    @Test
    void aliasedMainEffectsAreNotToldToDropInteractions() {
        // b is on exactly when a is: no design without more rows can tell them apart, with or without interactions.
        List<Observation> runs = new ArrayList<>();
        for (Observation o : twoByTwo()) {
            String a = o.on("a") ? "+" : "-";
            runs.add(run("darts", o.seed(), o.accuracy(), tricks("a" + a, "b" + a, "c" + (o.on("b") ? "+" : "-"))));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrickEffects.fit(runs, false, 0, new SplittableRandom(1)));
        assertTrue(e.getMessage().contains("b = +1.00·a"), e.getMessage());
        assertTrue(!e.getMessage().contains("without interactions"), e.getMessage());
    }

    @Test
    void refusesFitsWithoutResidualDegreesOfFreedomOrAcrossDataSets() {
        List<Observation> oneSeed = twoByTwo().stream().filter(o -> o.seed() == 1).toList();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrickEffects.fit(oneSeed, true, 0, new SplittableRandom(1)));
        assertTrue(e.getMessage().contains("4 observations cannot estimate 4 coefficients"), e.getMessage());

        List<Observation> mixed = new ArrayList<>(twoByTwo());
        mixed.add(new Observation("darts", "cifar100", 3, tricks("a+", "b+"), 40, null, null, null, false));
        e = assertThrows(IllegalArgumentException.class, () -> TrickEffects.fit(mixed, false, 0, new SplittableRandom(1)));
        assertTrue(e.getMessage().contains("[cifar10, cifar100]"), e.getMessage());

        List<Observation> ragged = new ArrayList<>(twoByTwo());
        ragged.add(run("darts", 3, 12, tricks("a+")));
        e = assertThrows(IllegalArgumentException.class, () -> TrickEffects.fit(ragged, false, 0, new SplittableRandom(1)));
        assertTrue(e.getMessage().contains("same tricks"), e.getMessage());
    }

    @Test
    void bootstrapOverTwoSeedsSpansTheEffectsEachSeedAloneShows() {
        // Seed 1 alone shows an effect of a of 1 (10 -> 11), seed 2 of 3 (10 -> 13). A resample draws two
        // seeds with replacement: {1,1} refits to 1, {2,2} to 3, {1,2} to 2, with chances 1/4, 1/4, 1/2.
        // With 400 resamples each extreme holds about 100 values, far more than the 2.5% = 10 that the
        // percentiles reach into, so the interval is exactly [1, 3]; the full data give 2.
        List<Observation> runs = List.of(
                run("darts", 1, 10, tricks("a-")), run("darts", 1, 11, tricks("a+")),
                run("darts", 2, 10, tricks("a-")), run("darts", 2, 13, tricks("a+")));
        TrickEffects.Fit fit = TrickEffects.fit(runs, false, 400, new SplittableRandom(7));
        EffectEstimate a = fit.effect("a");
        assertEquals(2.0, a.effect(), EPS);
        assertEquals(1.0, a.bootstrapLow(), EPS);
        assertEquals(3.0, a.bootstrapHigh(), EPS);
        assertEquals(400, fit.bootstrapResamples());
    }

    @Test
    void bootstrapIsAFunctionOfTheGeneratorPassedIn() {
        List<Observation> runs = new ArrayList<>(twoByTwo());
        for (Observation o : twoByTwo()) {
            runs.add(run("darts", o.seed() + 2, o.accuracy() + (o.seed() == 1 ? 0.7 : -0.4) * (o.on("a") ? 1 : 0),
                    o.tricks()));
        }
        EffectEstimate first = TrickEffects.fit(runs, false, 200, new SplittableRandom(11)).effect("a");
        EffectEstimate again = TrickEffects.fit(runs, false, 200, new SplittableRandom(11)).effect("a");
        EffectEstimate other = TrickEffects.fit(runs, false, 200, new SplittableRandom(12)).effect("a");
        assertEquals(first, again);
        assertTrue(first.bootstrapLow() != other.bootstrapLow() || first.bootstrapHigh() != other.bootstrapHigh(),
                "another generator draws other resamples");
        assertTrue(first.bootstrapLow() < first.effect() && first.effect() < first.bootstrapHigh());
    }

    @Test
    void dataTheModelFitsExactlyGiveCertainEffectsInsteadOfNaN() {
        // y = 10 + 2·[a on], no noise: RSS = 0, so SE = 0; a is certain (p = 0), b is certainly absent (p = 1).
        List<Observation> runs = new ArrayList<>();
        for (Observation o : twoByTwo()) {
            runs.add(run("darts", o.seed(), 10 + (o.on("a") ? 2 : 0), o.tricks()));
        }
        TrickEffects.Fit fit = TrickEffects.fit(runs, false, 0, new SplittableRandom(1));
        assertEquals(2.0, fit.effect("a").effect(), EPS);
        assertEquals(0.0, fit.effect("a").standardError());
        assertEquals(2.0, fit.effect("a").ciLow(), EPS);
        assertEquals(0.0, fit.effect("a").pValue());
        assertEquals(1.0, fit.effect("b").pValue());
        assertEquals(0.0, fit.effect("a").holmP());
    }
}
