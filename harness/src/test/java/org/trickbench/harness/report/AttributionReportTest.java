package org.trickbench.harness.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.trickbench.harness.analysis.Attribution;
import org.trickbench.harness.analysis.Observation;

/** The attribution's headline sentence and table, from cross-evaluations with hand-checked parts. */
class AttributionReportTest {
    private static Attribution.Cross cross(String algorithm, long seed, Set<String> tricks, double base,
            double architectureOnly, double trainingOnly, double both) {
        return new Attribution.Cross(algorithm, "cifar10", seed, tricks, base, architectureOnly, trainingOnly, both);
    }

    private static Observation run(String algorithm, long seed, boolean cutout, double accuracy) {
        return new Observation(algorithm, "cifar10", seed, Map.of("cutout", cutout), accuracy, null, null, null, false);
    }

    @Test
    void headlineStatesTheSharesOfTrainingAndArchitectureWithIntervalsAndThePageHasTheTable() {
        // Per seed: total 0.04, architecture 0.01, training 0.03, no interaction; shares 25% and 75% exactly.
        List<Attribution.Cross> crosses = List.of(cross("<rea>", 0, Set.of("cutout"), 0.80, 0.81, 0.83, 0.84),
                cross("<rea>", 1, Set.of("cutout"), 0.70, 0.71, 0.73, 0.74),
                cross("<rea>", 2, Set.of("cutout"), 0.75, 0.76, 0.78, 0.79));
        List<Observation> runs = List.of(run("<rea>", 0, false, 0.80), run("<rea>", 0, true, 0.84),
                run("<rea>", 1, false, 0.70), run("<rea>", 1, true, 0.74), run("<rea>", 2, false, 0.75),
                run("<rea>", 2, true, 0.79));
        AnalysisSummary a = AnalysisSummary.of(runs, Set.of("cutout"), crosses).get(0);
        assertNull(a.attributionNote());
        assertEquals(1, a.attribution().size());
        // Three seeds are too few for a seed-bootstrap interval of the shares (TrickEffects.MIN_BOOTSTRAP_SEEDS).
        assertEquals("On cifar10, switching on cutout changed <rea>'s accuracy by +4.00 points (95% CI +4.00 to +4.00)"
                + " over 3 seed(s): training with it accounts for 75% (no interval with fewer than 20 seeds) and the"
                + " architecture the search found with it for 25% (no interval with fewer than 20 seeds) of that change;"
                + " their interaction for 0% (no interval with fewer than 20 seeds).",
                a.attributionHeadline());
        assertTrue(a.headline().startsWith(a.attributionHeadline()), a.headline());

        String html = HtmlReport.render(new ReportData("m", "now", List.of(), Map.of(), Map.of(), "bench run", List.of(a)));
        assertTrue(html.contains("<h3>Architecture versus training</h3>"), html);
        assertTrue(html.contains("<td class=\"l\">&lt;rea&gt;</td><td class=\"l\">cutout</td><td>3</td><td>+4.00 [+4.00, +4.00]"
                + "</td><td>+1.00 [+1.00, +1.00]</td><td>+3.00 [+3.00, +3.00]</td>"), html);
        assertTrue(html.contains("switching on cutout changed &lt;rea&gt;&#39;s accuracy"), "headline escaped");
        assertTrue(html.contains("<td>75.00%</td></tr>"), "the training share alone, without an interval");

        // With as many seeds as the bootstrap needs, every resample gives the same shares: intervals of zero width.
        List<Attribution.Cross> many = new java.util.ArrayList<>();
        List<Observation> manyRuns = new java.util.ArrayList<>();
        for (long seed = 0; seed < org.trickbench.harness.analysis.TrickEffects.MIN_BOOTSTRAP_SEEDS; seed++) {
            double base = 0.70 + 0.005 * seed;
            many.add(cross("<rea>", seed, Set.of("cutout"), base, base + 0.01, base + 0.03, base + 0.04));
            manyRuns.add(run("<rea>", seed, false, base));
            manyRuns.add(run("<rea>", seed, true, base + 0.04));
        }
        String withIntervals = AnalysisSummary.of(manyRuns, Set.of("cutout"), many).get(0).attributionHeadline();
        assertTrue(withIntervals.contains("training with it accounts for 75% (95% CI 75% to 75%) and the architecture the"
                + " search found with it for 25% (95% CI 25% to 25%)"), withIntervals);
    }

    @Test
    void withSeveralAlgorithmsTheHeadlineUsesThePooledResultOfTheLargestTrickSet() {
        Set<String> both = Set.of("cutout", "mixup");
        List<Attribution.Cross> crosses = List.of(cross("rea", 0, Set.of("cutout"), 0.80, 0.81, 0.83, 0.84),
                cross("rea", 0, both, 0.80, 0.80, 0.86, 0.86), cross("gdas", 0, both, 0.90, 0.92, 0.90, 0.92));
        AnalysisSummary a = AnalysisSummary.of(List.of(run("rea", 0, false, 0.8)), Set.of(), crosses).get(0);
        String headline = a.attributionHeadline();
        // Pooled cutout+mixup: total (0.06 + 0.02)/2 = 0.04, training (0.06 + 0)/2 = 0.03, architecture 0.01.
        assertTrue(headline.startsWith("On cifar10, switching on cutout+mixup changed the algorithms' mean accuracy by"
                + " +4.00 points (one seed: no interval) over 1 seed(s): training with them accounts for 75% (no interval"
                + " with fewer than 20 seeds) and the architecture the search found with them for 25%"), headline);
        assertEquals(1, headline.split("On cifar10").length - 1, "one sentence: the largest trick set only");
    }
}
