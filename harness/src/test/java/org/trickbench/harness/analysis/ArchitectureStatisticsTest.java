package org.trickbench.harness.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.trickbench.core.UserInputException;

class ArchitectureStatisticsTest {
    /** skip_connect, none, skip_connect, avg_pool_3x3 are weight-free: 4 of 6 edges. */
    private static final String MIXED =
            "|nor_conv_3x3~0|+|skip_connect~0|none~1|+|skip_connect~0|avg_pool_3x3~1|nor_conv_1x1~2|";
    /** The collapsed cell: every edge a skip connection. */
    private static final String COLLAPSED =
            "|skip_connect~0|+|skip_connect~0|skip_connect~1|+|skip_connect~0|skip_connect~1|skip_connect~2|";
    /** No weight-free edge. */
    private static final String CONVS =
            "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_1x1~1|+|nor_conv_3x3~0|nor_conv_1x1~1|nor_conv_3x3~2|";

    private static Observation found(String algorithm, long seed, boolean sam, String genotype) {
        return new Observation(algorithm, "cifar10", seed, Map.of("sam", sam), 90, null, 3600.0, genotype, false);
    }

    @Test
    void parameterFreeShareAndDistinctGenotypesPerConfiguration() {
        List<Observation> runs = List.of(
                found("darts", 1, false, MIXED), found("darts", 2, false, COLLAPSED),
                found("darts", 3, false, " " + COLLAPSED + " "), found("darts", 4, false, null),
                found("darts", 1, true, CONVS), found("darts", 2, true, MIXED));
        List<ArchitectureStatistics.Result> stats = ArchitectureStatistics.compute(runs);
        assertEquals(2, stats.size());

        ArchitectureStatistics.Result plain = stats.get(0);
        assertEquals("no tricks", plain.configuration().trickLabel());
        assertEquals(3, plain.genotypes(), "the run without a genotype is left out");
        // (4/6 + 6/6 + 6/6) / 3 = 8/9.
        assertEquals(8.0 / 9, plain.meanParameterFreeShare(), 1e-12);
        assertEquals(2, plain.distinctGenotypes(), "the same cell with surrounding spaces is one genotype");

        ArchitectureStatistics.Result sam = stats.get(1);
        assertEquals("sam", sam.configuration().trickLabel());
        // (0/6 + 4/6) / 2 = 1/3.
        assertEquals(1.0 / 3, sam.meanParameterFreeShare(), 1e-12);
        assertEquals(2, sam.distinctGenotypes());
    }

    @Test
    void malformedGenotypeIsReportedByName() {
        UserInputException e = assertThrows(UserInputException.class,
                () -> ArchitectureStatistics.compute(List.of(found("darts", 1, false, "|conv~0|"))));
        assertTrue(e.getMessage().contains("|conv~0|"), e.getMessage());
    }
}
