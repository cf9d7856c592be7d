package org.trickbench.harness.design;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.trickbench.core.UserInputException;

class DesignsTest {
    private static List<String> factors(int k) {
        List<String> f = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            f.add("t" + i);
        }
        return f;
    }

    private static void assertBalancedAndOrthogonal(Design d) {
        int k = d.factors().size();
        for (int a = 0; a < k; a++) {
            int sum = 0;
            for (int[] row : d.rows()) {
                sum += row[a];
            }
            assertEquals(0, sum, "column " + a + " is not balanced");
            for (int b = a + 1; b < k; b++) {
                int dot = 0;
                for (int[] row : d.rows()) {
                    dot += row[a] * row[b];
                }
                assertEquals(0, dot, "columns " + a + " and " + b + " are not orthogonal");
            }
        }
        Set<String> distinct = new HashSet<>();
        d.rows().forEach(r -> distinct.add(java.util.Arrays.toString(r)));
        assertEquals(d.runs(), distinct.size(), "repeated rows");
    }

    /** Resolutions of the standard fractions (NIST/SEMATECH e-Handbook §5.3.3.4.7). */
    @ParameterizedTest
    @CsvSource({"3,1,3", "4,1,4", "5,1,5", "5,2,3", "6,1,6", "6,2,4", "6,3,3", "7,1,7", "7,2,4", "7,3,4", "7,4,3",
        "8,2,5", "8,3,4", "8,4,4", "9,2,6", "9,3,4", "9,4,4", "9,5,3", "10,3,5", "10,4,4", "10,5,4", "10,6,3",
        "11,4,5", "11,5,4", "11,7,3"})
    void fractionsAreBalancedOrthogonalAndHaveTheirResolution(int k, int p, int resolution) {
        Design d = Designs.fractionalFactorial(factors(k), p);
        assertEquals(1 << (k - p), d.runs());
        assertBalancedAndOrthogonal(d);
        assertEquals(resolution, d.resolution(), "2^(" + k + "-" + p + ") relation " + d.definingRelation());
        assertEquals((1 << p) - 1, d.definingRelation().size());
    }

    @Test
    void everyTabulatedFractionIsAtLeastResolutionThree() {
        for (String kp : Designs.availableFractions()) {
            String[] parts = kp.split("/");
            Design d = Designs.fractionalFactorial(factors(Integer.parseInt(parts[0])), Integer.parseInt(parts[1]));
            assertBalancedAndOrthogonal(d);
            assertTrue(d.resolution() >= 3, kp);
        }
    }

    @Test
    void halfFractionOfFourFactorsHasTheTextbookRelationAndAliases() {
        // 2^(4-1) with D = ABC: I = ABCD; AB = CD, AC = BD, AD = BC; main effects clear of 2FIs.
        Design d = Designs.fractionalFactorial(factors(4), 1);
        assertEquals(List.of("ABCD"), d.definingRelation());
        assertEquals(List.of("AB = CD", "AC = BD", "AD = BC"), d.aliases());
        assertEquals("IV", d.resolutionName());
        for (int[] row : d.rows()) {
            assertEquals(row[3], row[0] * row[1] * row[2]);
        }
    }

    @Test
    void resolutionThreeAliasesMainEffectsWithInteractions() {
        Design d = Designs.fractionalFactorial(factors(3), 1);
        assertEquals(List.of("ABC"), d.definingRelation());
        assertTrue(d.aliases().contains("A = BC"), d.aliases().toString());
    }

    @Test
    void fullFactorialHasEveryCombinationOnce() {
        Design d = Designs.fullFactorial(factors(4));
        assertEquals(16, d.runs());
        assertBalancedAndOrthogonal(d);
        assertEquals("full", d.resolutionName());
    }

    @Test
    void oneAtATimeAndLeaveOneOutHaveKPlusOneRows() {
        Design oat = Designs.oneAtATime(factors(3));
        assertEquals(4, oat.runs());
        assertEquals(List.of(-1, -1, -1), java.util.Arrays.stream(oat.rows().get(0)).boxed().toList());
        for (int r = 1; r < 4; r++) {
            int on = 0;
            for (int v : oat.rows().get(r)) {
                on += v == 1 ? 1 : 0;
            }
            assertEquals(1, on);
            assertTrue(oat.on(r, r - 1));
        }
        Design loo = Designs.leaveOneOut(factors(3));
        assertEquals(4, loo.runs());
        assertTrue(loo.on(0, 0) && loo.on(0, 1) && loo.on(0, 2));
        assertTrue(!loo.on(2, 1) && loo.on(2, 0) && loo.on(2, 2));
    }

    @Test
    void unknownFractionAndUnknownExplicitTrickAreUserErrors() {
        UserInputException e = assertThrows(UserInputException.class, () -> Designs.fractionalFactorial(factors(4), 2));
        assertTrue(e.getMessage().contains("k=4") && e.getMessage().contains("4/1"), e.getMessage());
        UserInputException x = assertThrows(UserInputException.class,
                () -> Designs.explicit(factors(2), List.of(List.of("t0"), List.of("cutuot"))));
        assertTrue(x.getMessage().contains("cutuot") && x.getMessage().contains("t0, t1"), x.getMessage());
    }

    @Test
    void smallestFractionKeepsTheRequestedResolution() {
        assertEquals(2, Designs.smallestFractionWithResolution(8, 5));
        assertEquals(4, Designs.smallestFractionWithResolution(8, 4));
        assertEquals(1, Designs.smallestFractionWithResolution(5, 5));
    }

    @Test
    void ablationIsOneAtATimeThenLeaveOneOut() {
        Design d = Designs.ablation(factors(3));
        assertEquals(8, d.runs());
        assertEquals(java.util.Arrays.toString(Designs.oneAtATime(factors(3)).rows().get(2)), java.util.Arrays.toString(d.rows().get(2)));
        assertEquals(java.util.Arrays.toString(Designs.leaveOneOut(factors(3)).rows().get(1)), java.util.Arrays.toString(d.rows().get(5)));
    }
}
