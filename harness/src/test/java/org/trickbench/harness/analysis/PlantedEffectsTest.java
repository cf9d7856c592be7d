package org.trickbench.harness.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Data with known effects: the fit must find them, its intervals must cover them, and Holm must
 * separate the real tricks from the null one.
 */
public class PlantedEffectsTest {
    /** Planted on − off effects, in accuracy points; label-smoothing does nothing. */
    static final Map<String, Double> EFFECTS = Map.of("cutout", 2.0, "mixup", -1.0, "label-smoothing", 0.0,
            "drop-path", 0.5);
    /** cutout helps less when mixup is on: (cutout's effect with mixup − without)/2. */
    static final double CUTOUT_MIXUP = -0.6;
    static final double GDAS_OVER_DARTS = 1.5;
    static final double NOISE_SD = 0.5;
    static final int SEEDS = 5;

    /**
     * The full 2^4 factorial of the four tricks, for darts and gdas, on each of 5 seeds: 160 runs.
     * accuracy = 70 + 1.5·[gdas] + Σ effect/2 · x + interaction/2 · x_cutout · x_mixup + N(0, 0.5²).
     */
    public static List<Observation> plantedRuns(SplittableRandom noise) {
        return plantedRuns(noise, SEEDS);
    }

    /** As {@link #plantedRuns(SplittableRandom)}, on seeds 1 to {@code seeds}: 32 runs per seed. */
    public static List<Observation> plantedRuns(SplittableRandom noise, int seeds) {
        List<String> tricks = List.of("cutout", "drop-path", "label-smoothing", "mixup");
        List<Observation> runs = new ArrayList<>();
        for (long seed = 1; seed <= seeds; seed++) {
            for (String algorithm : List.of("darts", "gdas")) {
                for (int cell = 0; cell < 16; cell++) {
                    Map<String, Boolean> setting = new LinkedHashMap<>();
                    double accuracy = 70 + (algorithm.equals("gdas") ? GDAS_OVER_DARTS : 0);
                    for (int t = 0; t < tricks.size(); t++) {
                        boolean on = (cell >> t & 1) == 1;
                        setting.put(tricks.get(t), on);
                        accuracy += EFFECTS.get(tricks.get(t)) / 2 * (on ? 1 : -1);
                    }
                    accuracy += CUTOUT_MIXUP / 2 * (setting.get("cutout") == setting.get("mixup") ? 1 : -1);
                    accuracy += NOISE_SD * gaussian(noise);
                    runs.add(new Observation(algorithm, "cifar10", seed, setting, accuracy, null, null, null, false));
                }
            }
        }
        return runs;
    }

    /** Box–Muller, so the only randomness is the generator passed in. */
    public static double gaussian(SplittableRandom random) {
        double u = 1 - random.nextDouble(); // in (0, 1], so the log is finite
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
    }

    public static double truth(String term) {
        if (EFFECTS.containsKey(term)) {
            return EFFECTS.get(term);
        }
        if (term.equals("gdas")) {
            return GDAS_OVER_DARTS;
        }
        return term.equals("cutout:mixup") ? CUTOUT_MIXUP : 0.0;
    }

    /*
     * Eleven 95% intervals all cover their truth together for only about 0.95^11 ≈ 57% of noise draws
     * (23 of noise seeds 1..40 do); noise seed 1 is one of them, fixed so the test is deterministic.
     * That this is calibration and not luck is what the coverage test below checks.
     */
    @Test
    void recoversPlantedEffectsWithinTheirIntervals() {
        TrickEffects.Fit fit = TrickEffects.fit(plantedRuns(new SplittableRandom(1)), true, 1000,
                new SplittableRandom(99));
        assertEquals(160, fit.observations());
        assertEquals(160 - 1 - 1 - 4 - 6, fit.residualDegreesOfFreedom());
        assertEquals(NOISE_SD, fit.residualStandardError(), 0.1);
        List<EffectEstimate> all = new ArrayList<>(fit.tricks());
        all.addAll(fit.interactions());
        all.addAll(fit.algorithms());
        assertEquals(4 + 6 + 1, all.size());
        for (EffectEstimate e : all) {
            double truth = truth(e.term());
            double halfWidth = (e.ciHigh() - e.ciLow()) / 2;
            // SE of a ±1 effect is 2σ/√160 ≈ 0.079 for σ = 0.5, so the t interval's half-width is ≈ 0.16.
            assertTrue(halfWidth < 0.25, e.term() + " interval too wide: " + e);
            assertTrue(Math.abs(e.effect() - truth) <= halfWidth, e.term() + " estimate " + e.effect()
                    + " is farther than its half-width " + halfWidth + " from the truth " + truth);
            assertTrue(e.ciCovers(truth), e.term() + " t interval misses " + truth + ": " + e);
            // The percentile bootstrap over only 5 seeds is optimistic (about 84% coverage over repeated
            // experiments, see TrickEffects.MIN_BOOTSTRAP_SEEDS), so it is held to bracketing the estimate at the t
            // interval's scale.
            assertTrue(e.bootstrapLow() < e.effect() && e.effect() < e.bootstrapHigh(), e.term() + ": " + e);
            double bootstrapHalfWidth = (e.bootstrapHigh() - e.bootstrapLow()) / 2;
            assertTrue(bootstrapHalfWidth > 0.3 * halfWidth && bootstrapHalfWidth < 2 * halfWidth,
                    e.term() + " bootstrap and t intervals disagree in scale: " + e);
        }
        assertTrue(fit.effect("label-smoothing").holmP() > 0.05, "null trick: " + fit.effect("label-smoothing"));
        for (String real : List.of("cutout", "mixup", "drop-path")) {
            assertTrue(fit.effect(real).holmP() < 0.05, real + " should be significant: " + fit.effect(real));
        }
        assertTrue(fit.effect("cutout:mixup").holmP() < 0.05, "planted interaction: " + fit.effect("cutout:mixup"));
        assertTrue(fit.effect("gdas").pValue() < 0.05);
    }

    @Test
    void tIntervalsCoverAtTheirNominalRateOverRepeatedExperiments() {
        // Coverage is what a 95% interval promises. Over 400 independent data sets each term's interval
        // should contain the truth in about 95% of them (binomial sd 1.1%); a standard error off by a
        // factor of 2 (e.g. forgetting that effect = 2β) would give about 68% or 99.99%.
        SplittableRandom noise = new SplittableRandom(5);
        int experiments = 400;
        Map<String, Integer> covered = new LinkedHashMap<>();
        int nullRejected = 0;
        for (int i = 0; i < experiments; i++) {
            TrickEffects.Fit fit = TrickEffects.fit(plantedRuns(noise), true, 0, new SplittableRandom(i));
            List<EffectEstimate> all = new ArrayList<>(fit.tricks());
            all.addAll(fit.interactions());
            all.addAll(fit.algorithms());
            for (EffectEstimate e : all) {
                covered.merge(e.term(), e.ciCovers(truth(e.term())) ? 1 : 0, Integer::sum);
            }
            if (fit.effect("label-smoothing").holmP() <= 0.05) {
                nullRejected++;
            }
        }
        assertEquals(11, covered.size());
        covered.forEach((term, count) -> {
            double rate = count / (double) experiments;
            assertTrue(rate > 0.91 && rate < 0.99, term + " covered in " + rate + " of experiments");
        });
        // The other three tricks are always clearly significant, so Holm tests the null one last at 0.05
        // itself: about 20 rejections of 400 (sd 4.4) are expected.
        assertTrue(nullRejected / (double) experiments < 0.08, "null trick rejected in " + nullRejected);
    }
}
