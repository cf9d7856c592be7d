package org.trickbench.algorithms;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.trickbench.core.space.nb201.Genotype;

/** SPOS and RSWS train the supernet on uniformly sampled single paths (Guo et al. 2020, arXiv 1904.00420). */
class PathSamplingTest {
    /** Upper 1% point of the chi-square distribution with 4 degrees of freedom (five ops, one constraint). */
    private static final double CHI2_4DF_P01 = 13.277;

    @Test
    void everyEdgesOpIsUniformByAChiSquareTestOverTenThousandDraws() {
        int draws = 10_000;
        long[][] counts = new long[Genotype.EDGES][5];
        SplittableRandom random = new SplittableRandom(2026);
        for (int i = 0; i < draws; i++) {
            Genotype g = OneShotSearch.samplePath(random);
            for (int e = 0; e < Genotype.EDGES; e++) {
                counts[e][g.op(e).ordinal()]++;
            }
        }
        double expected = draws / 5.0;
        for (int e = 0; e < Genotype.EDGES; e++) {
            double chi2 = 0;
            for (long c : counts[e]) {
                chi2 += (c - expected) * (c - expected) / expected;
            }
            assertTrue(chi2 < CHI2_4DF_P01, "edge " + e + " is not uniform (p < 0.01): chi2 = " + chi2 + ", counts "
                    + java.util.Arrays.toString(counts[e]));
        }
    }

    @Test
    void edgesAreSampledIndependently() {
        // Joint counts of edges 0 and 5 against the uniform joint law over 25 op pairs: chi-square with 24 df,
        // upper 1% point 42.98.
        int draws = 25_000;
        long[][] joint = new long[5][5];
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < draws; i++) {
            Genotype g = OneShotSearch.samplePath(random);
            joint[g.op(0).ordinal()][g.op(5).ordinal()]++;
        }
        double expected = draws / 25.0;
        double chi2 = 0;
        for (long[] row : joint) {
            for (long c : row) {
                chi2 += (c - expected) * (c - expected) / expected;
            }
        }
        assertTrue(chi2 < 42.98, "edges 0 and 5 are not independent: chi2 = " + chi2);
    }
}
