package org.trickbench.harness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.trickbench.algorithms.Algorithms;
import org.trickbench.core.param.ParameterSpec;
import org.trickbench.core.search.SearchAlgorithm;
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
