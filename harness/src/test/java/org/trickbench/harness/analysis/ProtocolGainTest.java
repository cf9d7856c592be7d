package org.trickbench.harness.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.apache.commons.math3.distribution.TDistribution;
import org.junit.jupiter.api.Test;

/**
 * Planted data: cutout adds the same 2 points to random and searched cells (a protocol gain), mixup
 * adds nothing to random cells and 3 points to searched ones, and the search-only trick has no
 * random-baseline runs to compare with.
 */
class ProtocolGainTest {
    private static final Set<String> TRAIN = Set.of("cutout", "mixup");
    private static final double NOISE_SD = 0.3;

    /** One-at-a-time over three tricks, K = 4 random cells per row, two algorithms, 6 seeds; accuracy in points. */
    private static List<Observation> planted(SplittableRandom noise) {
        List<Observation> runs = new ArrayList<>();
        List<Set<String>> rows = List.of(Set.of(), Set.of("cutout"), Set.of("mixup"), Set.of("warmup-weights"));
        for (long seed = 0; seed < 6; seed++) {
            for (Set<String> row : rows) {
                for (String algorithm : List.of("darts", "rea")) {
                    double acc = 70 + (algorithm.equals("rea") ? 1 : 0) + (row.contains("cutout") ? 2 : 0)
                            + (row.contains("mixup") ? 3 : 0) + (row.contains("warmup-weights") ? 0.5 : 0);
                    runs.add(new Observation(algorithm, "cifar10", seed, setting(row), acc + NOISE_SD
                            * PlantedEffectsTest.gaussian(noise), null, null, null, false));
                }
                if (row.contains("warmup-weights")) {
                    continue; // the random baseline is trained with the row's training tricks only: the base row's
                }
                for (int k = 0; k < 4; k++) {
                    double acc = 60 + k + (row.contains("cutout") ? 2 : 0);
                    Map<String, Boolean> tricks = setting(row);
                    tricks.put("warmup-weights", false);
                    runs.add(new Observation("random", "cifar10", seed, tricks, acc + NOISE_SD
                            * PlantedEffectsTest.gaussian(noise), null, null, null, true));
                }
            }
        }
        return runs;
    }

    private static Map<String, Boolean> setting(Set<String> on) {
        Map<String, Boolean> m = new TreeMap<>();
        for (String t : List.of("cutout", "mixup", "warmup-weights")) {
            m.put(t, on.contains(t));
        }
        return m;
    }

    @Test
    void aGainRandomCellsShareIsAProtocolGainAndOneOnlySearchedCellsGetIsNot() {
        List<ProtocolGain.Result> results = ProtocolGain.compute(planted(new SplittableRandom(3)), TRAIN);
        assertEquals(List.of("cutout", "mixup"), results.stream().map(ProtocolGain.Result::trick).toList(),
                "the search-only trick has no random-baseline side");

        ProtocolGain.Result cutout = results.get(0);
        assertEquals(2, cutout.onRandom().effect(), 0.4);
        assertEquals(2, cutout.onSearched().effect(), 0.4);
        assertTrue(cutout.differenceLow() <= 0 && 0 <= cutout.differenceHigh(), "same gain on both: " + cutout);
        assertEquals("a protocol gain: random genotypes gain as much", cutout.reading());

        ProtocolGain.Result mixup = results.get(1);
        assertEquals(0, mixup.onRandom().effect(), 0.4);
        assertEquals(3, mixup.onSearched().effect(), 0.4);
        assertEquals(3, mixup.difference(), 0.6);
        assertTrue(mixup.differenceLow() > 0, "searched cells gain more: " + mixup);
        assertTrue(mixup.differenceP() < 0.001, mixup.toString());
        assertEquals("helps searched genotypes more than random ones", mixup.reading());

        String headline = org.trickbench.harness.report.AnalysisSummary.of(planted(new SplittableRandom(3)), TRAIN)
                .get(0).protocolGainHeadline();
        assertTrue(headline.startsWith("On cifar10, cutout (+"), headline);
        assertTrue(headline.contains("a protocol gain, not the search's. On cifar10, mixup (+"), headline);
    }

    @Test
    void theDifferenceHasAWelchInterval() {
        EffectEstimate r = new EffectEstimate("t", 1.0, 1.0, 0, 0, 1, 1, Double.NaN, Double.NaN);
        EffectEstimate s = new EffectEstimate("t", 4.0, 2.0, 0, 0, 1, 1, Double.NaN, Double.NaN);
        ProtocolGain.Result d = ProtocolGain.compare(r, 10, s, 20);
        assertEquals(3.0, d.difference(), 1e-12);
        // Welch–Satterthwaite: (1 + 4)² / (1²/10 + 4²/20) = 25 / 0.9 degrees of freedom.
        double critical = new TDistribution(null, 25 / 0.9).inverseCumulativeProbability(0.975);
        assertEquals(3 - critical * Math.sqrt(5), d.differenceLow(), 1e-9);
        assertEquals(3 + critical * Math.sqrt(5), d.differenceHigh(), 1e-9);
        assertFalse(critical < new TDistribution(null, 30).inverseCumulativeProbability(0.975),
                "fewer degrees of freedom than the two fits' 30 together, so a wider interval");
    }

    @Test
    void withoutARandomBaselineItSaysWhy() {
        List<Observation> searchedOnly = planted(new SplittableRandom(3)).stream().filter(o -> !o.randomBaseline())
                .toList();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ProtocolGain.compute(searchedOnly, TRAIN));
        assertTrue(e.getMessage().contains("0 random and"), e.getMessage());
    }
}
