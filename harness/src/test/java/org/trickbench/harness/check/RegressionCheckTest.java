package org.trickbench.harness.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RegressionCheckTest {
    private static Baseline.Configuration config(String algorithm, List<String> tricks, double... acc) {
        Map<String, Double> bySeed = new java.util.TreeMap<>();
        for (int i = 0; i < acc.length; i++) {
            bySeed.put(Integer.toString(i), acc[i]);
        }
        String key = algorithm + " | " + (tricks.isEmpty() ? "base" : String.join(" + ", tricks)) + " | fashion-mnist";
        return new Baseline.Configuration(key, algorithm, tricks, "fashion-mnist", bySeed, 1.0);
    }

    private static Baseline of(Baseline.Configuration... c) {
        return new Baseline("m", "v", Map.of(), "now", List.of(c));
    }

    @Test
    void aDropBeyondKPooledStandardDeviationsIsARegressionAndOneWithinIsNot() {
        // Seeds 0.80/0.82 → mean 0.81, sd 0.01414; pooled with itself 0.01414; 3 × that = 0.0424 > floor 0.02.
        Baseline base = of(config("rea", List.of(), 0.80, 0.82));
        RegressionCheck check = RegressionCheck.defaults();
        assertTrue(check.compare(base, of(config("rea", List.of(), 0.77, 0.79))).passed(), "a 4-point drop is within 3 sd");
        RegressionCheck.Result r = check.compare(base, of(config("rea", List.of(), 0.75, 0.77)));
        assertFalse(r.passed(), "a 5-point drop is beyond 3 sd");
        assertEquals("REGRESSION", r.rows().get(0).verdict());
        assertEquals(-0.05, r.rows().get(0).delta(), 1e-12);
    }

    @Test
    void theFloorProtectsConfigurationsWhoseSeedsAgree() {
        Baseline base = of(config("rea", List.of(), 0.80, 0.80));
        assertTrue(RegressionCheck.defaults().compare(base, of(config("rea", List.of(), 0.79, 0.79))).passed());
        assertFalse(RegressionCheck.defaults().compare(base, of(config("rea", List.of(), 0.77, 0.77))).passed());
    }

    @Test
    void aMissingConfigurationFails() {
        RegressionCheck.Result r = RegressionCheck.defaults().compare(of(config("rea", List.of(), 0.8)), of());
        assertEquals("MISSING", r.rows().get(0).verdict());
        assertFalse(r.passed());
    }

    @Test
    void aSignificantTrickEffectThatFlipsSignFails() {
        Baseline base = of(config("rea", List.of(), 0.70, 0.70), config("rea", List.of("cutout"), 0.80, 0.80));
        // Now the base improved and cutout hurts: no configuration regressed beyond its threshold... except the effect.
        Baseline now = of(config("rea", List.of(), 0.80, 0.80), config("rea", List.of("cutout"), 0.78, 0.78));
        RegressionCheck.Result r = RegressionCheck.defaults().compare(base, now);
        assertTrue(r.rows().stream().anyMatch(x -> x.verdict().equals("SIGN FLIP")), r.rows().toString());
        assertFalse(r.passed());
        // The same effect merely shrinking is no flip.
        Baseline shrunk = of(config("rea", List.of(), 0.70, 0.70), config("rea", List.of("cutout"), 0.75, 0.75));
        assertTrue(RegressionCheck.defaults().compare(base, shrunk).rows().stream().noneMatch(x -> x.verdict().equals("SIGN FLIP")));
    }

    @Test
    void slowerEpochsOnlyWarn() {
        Baseline base = of(new Baseline.Configuration("k", "rea", List.of(), "d", Map.of("0", 0.8), 1.0));
        Baseline now = of(new Baseline.Configuration("k", "rea", List.of(), "d", Map.of("0", 0.8), 2.0));
        RegressionCheck.Result r = RegressionCheck.defaults().compare(base, now);
        assertTrue(r.passed());
        assertEquals(1, r.warnings().size());
    }

    @Test
    void junitXmlHasOneCasePerConfigurationAndAFailureForTheRegression() {
        Baseline base = of(config("rea", List.of(), 0.80, 0.80), config("random-baseline", List.of(), 0.5, 0.5));
        Baseline now = of(config("rea", List.of(), 0.70, 0.70), config("random-baseline", List.of(), 0.5, 0.5));
        String xml = JUnitXml.render("m", RegressionCheck.defaults().compare(base, now));
        assertTrue(xml.contains("tests=\"2\" failures=\"1\""), xml);
        assertEquals(2, xml.split("<testcase ").length - 1);
        assertTrue(xml.contains("<failure message=\"REGRESSION: 70.00% now vs 80.00% baseline"), xml);
    }
}
