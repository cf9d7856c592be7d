package org.trickbench.harness.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class HolmTest {
    private static final double EPS = 1e-12;

    @Test
    void adjustsTheWorkedExampleAndReturnsItInInputOrder() {
        // p = 0.01, 0.04, 0.03, 0.005 (m = 4). Sorted: 0.005, 0.01, 0.03, 0.04 with multipliers 4, 3, 2, 1:
        // 0.020, 0.030, 0.060, 0.040; running maximum 0.020, 0.030, 0.060, 0.060.
        // Back in input order: 0.01 -> 0.03, 0.04 -> 0.06, 0.03 -> 0.06, 0.005 -> 0.02.
        assertArrayEquals(new double[] {0.03, 0.06, 0.06, 0.02}, Holm.adjust(0.01, 0.04, 0.03, 0.005), EPS);
    }

    @Test
    void runningMaximumKeepsAdjustedValuesInTheOrderOfTheRawOnes() {
        // Sorted 0.02, 0.02, 0.5: 3·0.02 = 0.06, 2·0.02 = 0.04 -> raised to 0.06, 1·0.5 = 0.5.
        assertArrayEquals(new double[] {0.06, 0.06, 0.5}, Holm.adjust(0.02, 0.02, 0.5), EPS);
    }

    @Test
    void adjustedValuesAreCappedAtOne() {
        // 2·0.5 = 1.0 (cap), then max(1.0, 1·0.6) = 1.0; 3·0.9 = 2.7 -> 1.
        assertArrayEquals(new double[] {1.0, 1.0}, Holm.adjust(0.5, 0.6), EPS);
        assertArrayEquals(new double[] {1.0, 1.0, 1.0}, Holm.adjust(0.9, 0.95, 0.99), EPS);
    }

    @Test
    void oneOrNoPValueIsLeftAsItIs() {
        assertArrayEquals(new double[] {0.0123}, Holm.adjust(0.0123), EPS);
        assertArrayEquals(new double[0], Holm.adjust(), EPS);
    }

    @Test
    void rejectsValuesThatAreNotProbabilities() {
        assertThrows(IllegalArgumentException.class, () -> Holm.adjust(0.1, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> Holm.adjust(1.5));
        assertThrows(IllegalArgumentException.class, () -> Holm.adjust(-0.01));
    }
}
