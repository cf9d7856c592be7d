package org.trickbench.core.param;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.trickbench.core.UserInputException;

class ParametersTest {
    private static final List<ParameterSpec> SPECS = List.of(
            ParameterSpec.number("seconds", null, 0, true, Double.POSITIVE_INFINITY, false, "budget").withUnit("s"),
            ParameterSpec.bool("nesterov", true, "Nesterov momentum"),
            ParameterSpec.string("genotype", null, "a cell"),
            ParameterSpec.choices("ops", "a,b", List.of("a", "b", "c"), "ops"),
            ParameterSpec.integer("population", 10, 2, 100, "cells"));

    private static String rejected(Map<String, Object> given) {
        return assertThrows(UserInputException.class, () -> Parameters.resolve("algorithm 'x'", SPECS, given))
                .getMessage();
    }

    @Test
    void defaultsFillInAndAParameterWithoutOneStaysUnset() {
        Parameters p = Parameters.resolve("algorithm 'x'", SPECS, Map.of());
        assertFalse(p.isSet("seconds"));
        assertFalse(p.isSet("genotype"));
        assertTrue(p.bool("nesterov"));
        assertEquals(List.of("a", "b"), p.choices("ops"));
        assertEquals(10, p.integer("population"));
        Parameters given = Parameters.resolve("algorithm 'x'", SPECS, Map.of("seconds", 30, "population", 20.0));
        assertEquals(30.0, given.number("seconds"));
        assertEquals(20, given.integer("population"));
    }

    @Test
    void everyRejectionNamesOwnerParameterValueAndWhatIsAllowed() {
        assertEquals("algorithm 'x': seconds=-1 is out of range; allowed: seconds >= 0", rejected(Map.of("seconds", -1)));
        assertEquals("algorithm 'x': seconds=Infinity is out of range; allowed: seconds >= 0",
                rejected(Map.of("seconds", Double.POSITIVE_INFINITY)));
        assertEquals("algorithm 'x': nesterov='yes' is not true or false; allowed: true or false",
                rejected(Map.of("nesterov", "yes")));
        assertEquals("algorithm 'x': genotype='3' is not text; allowed: text", rejected(Map.of("genotype", 3)));
        assertEquals("algorithm 'x': ops repeats a value in [a, a]; allowed: a non-empty list of distinct values"
                + " from a, b, c", rejected(Map.of("ops", List.of("a", "a"))));
        assertEquals("algorithm 'x': population='2.5' is not an integer; allowed: integer 2 <= population <= 100",
                rejected(Map.of("population", 2.5)));
        assertEquals("algorithm 'x': unknown parameter 'popul'; known: seconds, nesterov, genotype, ops, population",
                rejected(Map.of("popul", 3)));
    }

    @Test
    void aCrossParameterConstraintFailsInTheSameForm() {
        Parameters p = Parameters.resolve("algorithm 'x'", SPECS, Map.of("population", 5));
        assertEquals("algorithm 'x': population=5 is out of range; allowed: population >= 6",
                p.invalid("population", "population >= 6").getMessage());
    }

    @Test
    void summaryShowsTypeRangeDefaultAndUnit() {
        assertEquals("seconds (double, seconds >= 0, default unset, in s): budget", SPECS.get(0).summary());
        assertEquals("population (int, 2 <= population <= 100, default 10): cells", SPECS.get(4).summary());
        assertEquals("ops (list, a non-empty list of distinct values from a, b, c, default a,b): ops",
                SPECS.get(3).summary());
    }
}
