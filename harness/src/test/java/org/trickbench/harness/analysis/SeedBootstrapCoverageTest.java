package org.trickbench.harness.analysis;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * How often the seed bootstrap's 95% intervals contain the planted truth, by number of seeds: the
 * measurement behind {@link TrickEffects#MIN_BOOTSTRAP_SEEDS}. Each experiment draws fresh noise for the
 * planted design (32 runs per seed, 11 terms with known effects), fits it with the bootstrap and counts
 * the intervals that cover their term's truth.
 */
class SeedBootstrapCoverageTest {
    private static final int EXPERIMENTS = 200;
    private static final int RESAMPLES = 500;

    /** Bootstrap and t coverage over every term of every experiment, in that order. */
    private static double[] coverage(int seeds, long noiseSeed) {
        SplittableRandom noise = new SplittableRandom(noiseSeed);
        int intervals = 0;
        int bootstrap = 0;
        int t = 0;
        for (int i = 0; i < EXPERIMENTS; i++) {
            TrickEffects.Fit fit = TrickEffects.fit(PlantedEffectsTest.plantedRuns(noise, seeds), true, RESAMPLES,
                    new SplittableRandom(i));
            List<EffectEstimate> all = new ArrayList<>(fit.tricks());
            all.addAll(fit.interactions());
            all.addAll(fit.algorithms());
            for (EffectEstimate e : all) {
                double truth = PlantedEffectsTest.truth(e.term());
                intervals++;
                bootstrap += e.bootstrapCovers(truth) ? 1 : 0;
                t += e.ciCovers(truth) ? 1 : 0;
            }
        }
        return new double[] {bootstrap / (double) intervals, t / (double) intervals};
    }

    @Test
    void withFewSeedsTheBootstrapIsNotA95PercentIntervalButTheTIntervalIs() {
        // 2200 intervals per row (11 per experiment, correlated within one): the rates are good to about ±1.5%.
        double[] five = coverage(5, 21);
        assertTrue(five[0] > 0.78 && five[0] < 0.89, "5 seeds: bootstrap covered " + five[0] + ", measured about 0.84");
        assertTrue(five[1] > 0.93 && five[1] < 0.97, "5 seeds: t covered " + five[1]);
        double[] ten = coverage(10, 22);
        assertTrue(ten[0] < 0.93, "10 seeds: bootstrap covered " + ten[0] + ", measured about 0.90");
    }

    @Test
    void fromTheThresholdOnTheBootstrapCoversNearlyAsPromised() {
        double[] atThreshold = coverage(TrickEffects.MIN_BOOTSTRAP_SEEDS, 23);
        assertTrue(atThreshold[0] > 0.905, TrickEffects.MIN_BOOTSTRAP_SEEDS + " seeds: bootstrap covered " + atThreshold[0]
                + ", measured about 0.92");
        assertTrue(atThreshold[1] > 0.93 && atThreshold[1] < 0.97, "t covered " + atThreshold[1]);
    }

    @Test
    void withOneSeedEveryBootstrapIntervalHasZeroWidth() {
        // Every resample draws the one seed: the refit is the fit, so the interval is the estimate alone.
        TrickEffects.Fit fit = TrickEffects.fit(PlantedEffectsTest.plantedRuns(new SplittableRandom(1), 1), true, 100,
                new SplittableRandom(2));
        for (EffectEstimate e : fit.tricks()) {
            assertTrue(Math.abs(e.bootstrapHigh() - e.bootstrapLow()) < 1e-9, e.toString());
            assertTrue(e.ciHigh() - e.ciLow() > 0.1, "the t interval still has its width: " + e);
        }
    }
}
