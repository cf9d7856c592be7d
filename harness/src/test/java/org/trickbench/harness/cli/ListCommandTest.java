package org.trickbench.harness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.trickbench.algorithms.Algorithms;
import org.trickbench.core.param.ParameterSpec;
import org.trickbench.core.search.SearchAlgorithm;
import org.trickbench.core.space.SpaceId;
import org.trickbench.core.trick.Trick;
import org.trickbench.tricks.Tricks;

/** {@code bench list} prints each parameter's range, default and unit from the same specs runs check. */
class ListCommandTest {
    @Test
    void tricksShowRangeDefaultAndUnitOfEveryParameter() {
        BenchCliTest.Result r = BenchCliTest.bench("list", "tricks");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("prob (double, 0 <= prob < 1, default 0.2): "), r.out());
        assertTrue(r.out().contains("size (int, size >= 0, default 0, in px): "), r.out());
        for (Trick t : Tricks.all()) {
            for (ParameterSpec p : t.parameters()) {
                assertTrue(r.out().contains(p.summary()), t.id() + "." + p.name());
            }
        }
    }

    @Test
    void tricksSayWhichOnesTrainAloneUnderRunBatching() {
        List<String> lines = BenchCliTest.bench("list", "tricks").out().lines().toList();
        List<String> alone = new java.util.ArrayList<>();
        String current = null;
        for (String line : lines) {
            if (!line.startsWith(" ")) {
                current = line.split(" ")[0];
            } else if (line.contains("not batched: its runs train alone under --batch-runs")) {
                alone.add(current);
            }
        }
        assertTrue(alone.contains("drop-path"), alone.toString());
        assertTrue(!alone.contains("cutout") && !alone.contains("label-smoothing") && !alone.contains("gdas")
                && !alone.contains("sam"), alone.toString());
    }

    @Test
    void tricksShowTheSpacesTheyApplyToAndWhyNotElsewhere() {
        BenchCliTest.Result r = BenchCliTest.bench("list", "tricks");
        assertEquals(0, r.code());
        List<String> lines = r.out().lines().toList();
        for (Trick t : Tricks.all()) {
            String row = lines.stream().filter(l -> l.startsWith(t.id() + " ")).findFirst().orElseThrow();
            String spaces = t.spaces().equals(SpaceId.ALL) ? "all spaces" : t.info().spacesText();
            assertTrue(row.contains(" " + spaces + " "), t.id() + ": " + row);
            if (!t.spaces().equals(SpaceId.ALL)) {
                assertTrue(r.out().contains("not in other spaces: " + t.spacesNote()), t.id());
            }
        }
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("swish ") && l.contains(" nb201 ")), r.out());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("aux-tower ") && l.contains(" all spaces ")), r.out());
    }

    @Test
    void algorithmsShowRangeDefaultAndUnitOfEveryParameter() {
        BenchCliTest.Result r = BenchCliTest.bench("list", "algorithms");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("seconds (double, seconds >= 0, default unset, in s): "), r.out());
        assertTrue(r.out().contains("population (int, population >= 2, default 10): "), r.out());
        assertTrue(r.out().contains("spaces: nb201, darts"), r.out());
        for (SearchAlgorithm a : Algorithms.all()) {
            for (ParameterSpec p : a.parameters()) {
                assertTrue(r.out().contains(p.summary()), a.id() + "." + p.name());
            }
        }
    }
}
