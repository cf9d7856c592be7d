package org.trickbench.harness.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.trickbench.core.UserInputException;
import org.trickbench.core.space.darts.DartsGenotype;

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

    /** DARTS_V2 as its repository writes it, with the concat as a list. */
    private static final String DARTS_V2_AS_PUBLISHED = "Genotype(normal=[('sep_conv_3x3', 0), ('sep_conv_3x3', 1),"
            + " ('sep_conv_3x3', 0), ('sep_conv_3x3', 1), ('sep_conv_3x3', 1), ('skip_connect', 0), ('skip_connect', 0),"
            + " ('dil_conv_3x3', 2)], normal_concat=[2, 3, 4, 5], reduce=[('max_pool_3x3', 0), ('max_pool_3x3', 1),"
            + " ('skip_connect', 2), ('max_pool_3x3', 1), ('max_pool_3x3', 0), ('skip_connect', 2), ('skip_connect', 2),"
            + " ('max_pool_3x3', 1)], reduce_concat=[2, 3, 4, 5])";
    /**
     * Weight-free edges almost everywhere, node 3 of the normal cell fed twice from node 2 (input 4), and
     * skip_connect from the reduction cell's inputs, where it is a factorized reduction with weights.
     */
    private static final String SKIPPY = "Genotype(normal=[('skip_connect', 0), ('skip_connect', 1), ('none', 2),"
            + " ('avg_pool_3x3', 0), ('max_pool_3x3', 3), ('sep_conv_5x5', 1), ('skip_connect', 4), ('skip_connect', 4)],"
            + " normal_concat=range(2, 6), reduce=[('skip_connect', 0), ('skip_connect', 1), ('skip_connect', 2),"
            + " ('sep_conv_3x3', 0), ('max_pool_3x3', 1), ('dil_conv_3x3', 3), ('skip_connect', 4), ('avg_pool_3x3', 0)],"
            + " reduce_concat=range(2, 6))";

    private static Observation darts(long seed, boolean sam, String genotype) {
        return new Observation("darts-v2", "cifar10", seed, Map.of("sam", sam), 90, null, 3600.0, genotype, false, "darts");
    }

    /** Counts per op in DartsOp order: none, max_pool_3x3, avg_pool_3x3, skip_connect, sep_conv_3x3, sep_conv_5x5, dil_conv_3x3, dil_conv_5x5. */
    private static Map<String, Integer> ops(int... counts) {
        Map<String, Integer> out = new LinkedHashMap<>();
        List<String> ids = org.trickbench.core.space.darts.DartsOp.ids();
        for (int i = 0; i < ids.size(); i++) {
            out.put(ids.get(i), counts[i]);
        }
        return out;
    }

    @Test
    void dartsOpFrequenciesPerCellAndEdgePositionAreCountedOverAConfigurationsGenotypes() {
        List<Observation> runs = List.of(darts(1, false, DARTS_V2_AS_PUBLISHED), darts(2, false, DartsGenotype.DARTS_V2.canonical()),
                darts(3, false, DartsGenotype.PDARTS.canonical()), darts(4, false, null), darts(1, true, SKIPPY),
                // A NAS-Bench-201 run of the same configuration: counted by compute, never read as a DARTS string.
                found("darts-v2", 5, false, MIXED));
        List<ArchitectureStatistics.DartsResult> stats = ArchitectureStatistics.computeDarts(runs);
        assertEquals(2, stats.size());

        ArchitectureStatistics.DartsResult plain = stats.get(0);
        assertEquals("no tricks", plain.configuration().trickLabel());
        assertEquals(3, plain.genotypes(), "the run without a genotype and the NAS-Bench-201 run are left out");
        assertEquals(2, plain.distinctGenotypes(), "DARTS_V2 with either concat notation is one genotype");
        // Normal cells: DARTS_V2 twice (5 sep_conv_3x3, 2 skip_connect, 1 dil_conv_3x3) and P-DARTS (4 sep_conv_3x3,
        // 2 skip_connect, 1 dil_conv_3x3, 1 dil_conv_5x5).
        assertEquals(ops(0, 0, 0, 6, 14, 0, 3, 1), plain.normal().ops());
        // Reduction cells: DARTS_V2 (5 max_pool_3x3, 3 skip_connect) twice and P-DARTS (avg, sep5, sep3, dil5, max, dil3,
        // dil3, dil5).
        assertEquals(ops(0, 11, 1, 6, 1, 1, 2, 2), plain.reduce().ops());
        // Each genotype's normal cell has 2 skip connections of 8 edges.
        assertEquals(0.25, plain.normal().meanParameterFreeShare(), 1e-12);
        // DARTS_V2's reduction cell is all pooling and skip_connect from nodes: 8/8; P-DARTS's has avg and max: 2/8.
        assertEquals((1 + 1 + 0.25) / 3, plain.reduce().meanParameterFreeShare(), 1e-12);

        List<ArchitectureStatistics.EdgePosition> normal = plain.normal().edges();
        assertEquals(14, normal.size(), "every position node i may take: 2 + 3 + 4 + 5");
        String[] expected = {
            "0 0 3 " + ops(0, 0, 0, 1, 2, 0, 0, 0), "0 1 3 " + ops(0, 0, 0, 0, 2, 0, 1, 0),
            "1 0 3 " + ops(0, 0, 0, 1, 2, 0, 0, 0), "1 1 3 " + ops(0, 0, 0, 0, 3, 0, 0, 0), "1 2 0 " + ops(0, 0, 0, 0, 0, 0, 0, 0),
            "2 0 2 " + ops(0, 0, 0, 2, 0, 0, 0, 0), "2 1 3 " + ops(0, 0, 0, 0, 3, 0, 0, 0), "2 2 0 " + ops(0, 0, 0, 0, 0, 0, 0, 0),
            "2 3 1 " + ops(0, 0, 0, 0, 1, 0, 0, 0),
            "3 0 3 " + ops(0, 0, 0, 2, 1, 0, 0, 0), "3 1 0 " + ops(0, 0, 0, 0, 0, 0, 0, 0), "3 2 2 " + ops(0, 0, 0, 0, 0, 0, 2, 0),
            "3 3 0 " + ops(0, 0, 0, 0, 0, 0, 0, 0), "3 4 1 " + ops(0, 0, 0, 0, 0, 0, 0, 1)};
        for (int i = 0; i < expected.length; i++) {
            ArchitectureStatistics.EdgePosition p = normal.get(i);
            assertEquals(expected[i], p.node() + " " + p.input() + " " + p.chosen() + " " + p.ops(), "position " + i);
        }

        ArchitectureStatistics.DartsResult sam = stats.get(1);
        assertEquals("sam", sam.configuration().trickLabel());
        assertEquals(1, sam.genotypes());
        assertEquals(ops(1, 1, 1, 4, 0, 1, 0, 0), sam.normal().ops());
        // Weight-free: all but sep_conv_5x5.
        assertEquals(7.0 / 8, sam.normal().meanParameterFreeShare(), 1e-12);
        // skip_connect from inputs 0 and 1 of a reduction cell has weights; from nodes 2 and 4 it has none.
        assertEquals(4.0 / 8, sam.reduce().meanParameterFreeShare(), 1e-12);
        ArchitectureStatistics.EdgePosition twice = sam.normal().edges().get(13);
        assertEquals("3 4 2 " + ops(0, 0, 0, 2, 0, 0, 0, 0), twice.node() + " " + twice.input() + " " + twice.chosen() + " "
                + twice.ops(), "a node fed twice from one input counts both edges");

        // The NAS-Bench-201 statistics see only the NAS-Bench-201 run.
        List<ArchitectureStatistics.Result> nb201 = ArchitectureStatistics.compute(runs);
        assertEquals(1, nb201.size());
        assertEquals(1, nb201.get(0).genotypes());
        assertEquals(4.0 / 6, nb201.get(0).meanParameterFreeShare(), 1e-12);
    }

    @Test
    void malformedDartsGenotypeIsReportedWithItsOffset() {
        UserInputException e = assertThrows(UserInputException.class,
                () -> ArchitectureStatistics.computeDarts(List.of(darts(1, false, "Genotype(normal=[('conv', 0)"))));
        assertTrue(e.getMessage().contains("conv"), e.getMessage());
    }

    @Test
    void runsOfASpaceWithoutStatisticsAreLeftOut() {
        Observation other = new Observation("rea", "cifar10", 1, Map.of(), 90, null, null, "[0, 1, 2]", false, "nb101");
        assertEquals(List.of(), ArchitectureStatistics.compute(List.of(other)));
        assertEquals(List.of(), ArchitectureStatistics.computeDarts(List.of(other)));
    }
}
