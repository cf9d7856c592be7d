package org.trickbench.harness.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.trickbench.harness.analysis.Observation;
import org.trickbench.harness.analysis.PlantedEffectsTest;
import org.trickbench.harness.analysis.ProtocolGain;
import org.trickbench.harness.analysis.RelativeImprovement;
import org.trickbench.harness.analysis.TrickEffects;

/**
 * A trick on in every run is part of the protocol, as a trick off in every run is absent: every
 * section leaves it out as a factor and says so in one line.
 */
class AlwaysOnTrickTest {
    private static final Set<String> TRAIN_PHASE = Set.of("cutout", "drop-path", "label-smoothing", "mixup", "sam");

    /**
     * The planted 2^4 × 2 algorithms × 5 seeds, with sam (a training trick) on in every run, the
     * random baseline's too, and prior-space (a search-only trick, which the baseline never carries)
     * on in every searched run; plus one random-baseline run per seed and cell.
     */
    static List<Observation> runs() {
        SplittableRandom noise = new SplittableRandom(3);
        List<Observation> runs = new ArrayList<>();
        for (Observation o : PlantedEffectsTest.plantedRuns(noise)) {
            Map<String, Boolean> tricks = new TreeMap<>(o.tricks());
            tricks.put("sam", true);
            tricks.put("prior-space", true);
            runs.add(new Observation(o.algorithm(), o.dataset(), o.seed(), tricks, o.accuracy(), null, null, null, false));
            if (o.algorithm().equals("darts")) {
                tricks.put("prior-space", false);
                runs.add(new Observation("random", o.dataset(), o.seed(), tricks, o.accuracy() - 3
                        + 0.5 * PlantedEffectsTest.gaussian(noise), null, null, null, true));
            }
        }
        return runs;
    }

    @Test
    void alwaysOnTricksAreLeftOutOfEveryPartAndNamedOnce() {
        AnalysisSummary a = AnalysisSummary.of(runs(), TRAIN_PHASE).get(0);

        assertEquals(List.of("prior-space", "sam"), a.protocolTricks());
        assertNotNull(a.effects(), a.effectsNote());
        assertNull(a.effectsNote(), "interactions are estimable once the constant tricks are out");
        assertEquals(List.of("cutout", "drop-path", "label-smoothing", "mixup"),
                a.effects().tricks().stream().map(e -> e.term()).toList());
        TrickEffects.Fit fit = a.effects();
        assertEquals(PlantedEffectsTest.truth("cutout"), fit.effect("cutout").effect(), 0.3);
        assertNotNull(a.variance(), a.varianceNote());
        assertTrue(a.variance().components().stream().noneMatch(c -> c.term().equals("sam")
                || c.term().equals("prior-space")));
        assertNull(a.protocolGainNote(), a.protocolGainNote());
        assertEquals(List.of("cutout", "drop-path", "label-smoothing", "mixup"),
                a.protocolGain().stream().map(ProtocolGain.Result::trick).toList());
        for (RelativeImprovement.Result r : a.relativeImprovement()) {
            assertTrue(r.baselineN() > 0, r.toString());
            assertTrue(!r.configuration().tricks().containsKey("sam"), r.toString());
        }

        String note = a.protocolTricksNote();
        assertEquals("prior-space, sam are on in every run on cifar10: part of the protocol here, not factors.", note);
        String page = HtmlReport.render(new ReportData("m", "now", List.of(), Map.of(), Map.of(), "bench run", List.of(a)));
        for (String section : HtmlReport.ANALYSIS_SECTIONS) {
            assertTrue(page.contains("<h3>" + section + "</h3>\n<p class=\"protocol\">" + HtmlReport.esc(note) + "</p>"),
                    section);
        }
        assertTrue(!page.contains("rank-deficient"), "no section reports the design as rank-deficient");
    }

    @Test
    void withoutConstantTricksNothingIsNamed() {
        AnalysisSummary a = AnalysisSummary.of(PlantedEffectsTest.plantedRuns(new SplittableRandom(1)), TRAIN_PHASE).get(0);
        assertEquals(List.of(), a.protocolTricks());
        assertNull(a.protocolTricksNote());
        assertTrue(!HtmlReport.render(new ReportData("m", "now", List.of(), Map.of(), Map.of(), "bench run", List.of(a)))
                .contains("class=\"protocol\""));
    }
}
