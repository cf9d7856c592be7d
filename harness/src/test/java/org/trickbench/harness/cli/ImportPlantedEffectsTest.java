package org.trickbench.harness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trickbench.harness.analysis.EffectEstimate;
import org.trickbench.harness.analysis.Observation;
import org.trickbench.harness.analysis.PlantedEffectsTest;
import org.trickbench.harness.analysis.TrickEffects;
import org.trickbench.harness.report.AnalysisSummary;
import org.trickbench.harness.report.ReportBuilder;
import org.trickbench.harness.store.Store;

/**
 * Planted effects through the whole import path: a CSV written with every spelling of on and off, in a
 * shuffled column order, with accuracies as fractions, imported with `bench import`, read back by the
 * report and analysed. A mistake anywhere (a spelling read the wrong way, percent and fraction mixed, a
 * ±1 coding off by a factor) moves an estimate far outside its interval.
 */
class ImportPlantedEffectsTest {
    private static final List<String> TRICKS = List.of("cutout", "drop-path", "label-smoothing", "mixup");
    private static final List<String> ON = List.of("1", "on", "true", "TRUE", "On");
    private static final List<String> OFF = List.of("0", "off", "false", "False", "OFF");
    /** Seed-to-seed noise shared by every run of a seed (data order, initialisation), in points. */
    private static final double SEED_SD = 0.4;

    @Test
    void importedFullFactorialRecoversEveryPlantedEffectWithinItsInterval(@TempDir Path tmp) throws Exception {
        SplittableRandom random = new SplittableRandom(7);
        Map<Long, Double> seedOffset = new HashMap<>();
        StringBuilder csv = new StringBuilder("trick:mixup,seed,algorithm,trick:cutout,accuracy,dataset,"
                + "trick:label-smoothing,trick:drop-path\n");
        // The planted design (PlantedEffectsTest): 2^4 tricks × darts, gdas × 5 seeds, cutout:mixup interaction.
        List<Observation> planted = PlantedEffectsTest.plantedRuns(new SplittableRandom(1));
        for (Observation o : planted) {
            double offset = seedOffset.computeIfAbsent(o.seed(), s -> SEED_SD * PlantedEffectsTest.gaussian(random));
            csv.append(spelling(o, "mixup", random)).append(',').append(o.seed()).append(',').append(o.algorithm())
                    .append(',').append(spelling(o, "cutout", random)).append(',')
                    .append((o.accuracy() + offset) / 100).append(',').append(o.dataset()).append(',')
                    .append(spelling(o, "label-smoothing", random)).append(',').append(spelling(o, "drop-path", random))
                    .append('\n');
        }
        Path file = Files.writeString(tmp.resolve("planted.csv"), csv);
        Path db = tmp.resolve("results.db");
        BenchCliTest.Result imported = BenchCliTest.bench("import", file.toString(), "--db", db.toString());
        assertEquals(0, imported.code(), imported.err());
        assertTrue(imported.out().contains("160 row(s), 160 run(s), 160 new"), imported.out());

        AnalysisSummary summary;
        try (Store s = Store.open(db)) {
            summary = ReportBuilder.from(s, "planted", "bench import planted.csv").analysis().get(0);
        }
        TrickEffects.Fit fit = summary.effects();
        assertNull(summary.effectsNote(), "a full factorial with seeds estimates every two-way interaction");
        assertEquals(160, fit.observations());
        List<EffectEstimate> all = new ArrayList<>(fit.tricks());
        all.addAll(fit.interactions());
        all.addAll(fit.algorithms());
        assertEquals(TRICKS.size() + 6 + 1, all.size());
        for (EffectEstimate e : all) {
            // The store keeps fractions; the planted truth is in points.
            double truth = PlantedEffectsTest.truth(e.term()) / 100;
            double halfWidth = (e.ciHigh() - e.ciLow()) / 2;
            assertTrue(halfWidth < 0.003, e.term() + " interval too wide to tell a mistake: " + e);
            assertTrue(Math.abs(e.effect() - truth) <= halfWidth, e.term() + " estimate " + e.effect()
                    + " is farther than its half-width " + halfWidth + " from the truth " + truth);
            assertTrue(e.ciCovers(truth), e.term() + " interval misses " + truth + ": " + e);
        }
        assertTrue(fit.effect("label-smoothing").holmP() > 0.05, "null trick: " + fit.effect("label-smoothing"));
        for (String real : List.of("cutout", "mixup", "drop-path", "cutout:mixup")) {
            assertTrue(fit.effect(real).holmP() < 0.05, real + " should be significant: " + fit.effect(real));
        }
    }

    private static String spelling(Observation o, String trick, SplittableRandom random) {
        List<String> spellings = o.on(trick) ? ON : OFF;
        return spellings.get(random.nextInt(spellings.size()));
    }
}
