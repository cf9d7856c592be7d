package org.trickbench.harness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.trickbench.harness.cli.BenchCliTest.bench;

import org.junit.jupiter.api.Test;
import org.trickbench.harness.cli.BenchCliTest.Result;

/** {@code bench genotype} on DARTS genotypes; the NAS-Bench-201 cases are in {@link BenchCliTest}. */
class GenotypeCommandTest {
    /** P-DARTS's cell as its repository prints it, with a list for one concat. */
    private static final String PDARTS = "Genotype(normal=[('skip_connect', 0), ('dil_conv_3x3', 1), ('skip_connect', 0),"
            + " ('sep_conv_3x3', 1), ('sep_conv_3x3', 1), ('sep_conv_3x3', 3), ('sep_conv_3x3', 0), ('dil_conv_5x5', 4)],"
            + " normal_concat=[2, 3, 4, 5], reduce=[('avg_pool_3x3', 0), ('sep_conv_5x5', 1), ('sep_conv_3x3', 0),"
            + " ('dil_conv_5x5', 2), ('max_pool_3x3', 0), ('dil_conv_3x3', 1), ('dil_conv_3x3', 1), ('dil_conv_5x5', 3)],"
            + " reduce_concat=range(2, 6))";

    @Test
    void dartsGenotypePrintsThePdartsReferenceCountsAtTheEvaluationSize() {
        Result r = bench("genotype", PDARTS);
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("parameters  3,433,798 (3.433798 M) without the auxiliary head"), r.out());
        assertTrue(r.out().contains("            3,910,224 (3.910224 M) with it"), r.out());
        // The PyTorch reference's hook-counted FLOPs (DartsCostTest).
        assertTrue(r.out().contains("flops       532,174,474 multiply-accumulates (532.17447 M) without the auxiliary head"),
                r.out());
        assertTrue(r.out().contains("            532,870,292 multiply-accumulates (532.87029 M) with it"), r.out());
        assertTrue(r.out().contains("cifar10, 3×32×32 input, 10 classes, C=36, L=20"), r.out());
        // The canonical form: range(2, 6) for both concats.
        assertTrue(r.out().contains("genotype    Genotype(normal=[('skip_connect', 0), ('dil_conv_3x3', 1),"), r.out());
        assertTrue(r.out().contains("normal_concat=range(2, 6), reduce=[('avg_pool_3x3', 0)"), r.out());
    }

    @Test
    void channelsAndCellsSetCAndL() {
        Result r = bench("genotype", PDARTS, "--channels", "8", "--cells", "5");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("C=8, L=5"), r.out());
        assertTrue(r.out().contains("parameters  53,490 (0.053490 M) without the auxiliary head"), r.out());
        assertTrue(r.out().contains("            472,572 (0.472572 M) with it"), r.out());
        assertTrue(r.out().contains("flops       9,180,426 multiply-accumulates"), r.out());
    }

    @Test
    void aResolutionTheHeadCannotReadPrintsTheCountsWithoutIt() {
        Result r = bench("genotype", PDARTS, "--channels", "8", "--cells", "5", "--resolution", "4");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("3×4×4 input"), r.out());
        assertTrue(r.out().contains("needs an input of 8 pixels or more"), r.out());
        assertFalse(r.out().contains("with it"), r.out());
    }

    @Test
    void theAdaptedHeadHasDartsParametersAtOtherResolutions() {
        Result r = bench("genotype", PDARTS, "--channels", "8", "--cells", "5", "--resolution", "16");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("3×16×16 input"), r.out());
        assertTrue(r.out().contains("            472,572 (0.472572 M) with it"), r.out());
    }

    @Test
    void malformedDartsGenotypeExitsTwoWithThePositionOnOneLine() {
        Result r = bench("genotype", "Genotype(normal=[('sep_conv_4x4', 0)])");
        assertEquals(2, r.code(), r.out());
        assertTrue(r.err().startsWith("bench: "), r.err());
        assertTrue(r.err().contains("at character 18, normal cell, node 0, edge 0"), r.err());
        assertTrue(r.err().contains("sep_conv_3x3"), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }

    @Test
    void aNetworkDartsCannotBuildExitsTwo() {
        Result r = bench("genotype", PDARTS, "--cells", "2");
        assertEquals(2, r.code(), r.out());
        assertTrue(r.err().contains("layers must be at least 3"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }

    @Test
    void theSpaceFollowsTheStringsForm() {
        assertTrue(GenotypeCommand.isDarts(PDARTS));
        assertTrue(GenotypeCommand.isDarts("  Genotype(normal=[])"));
        assertFalse(GenotypeCommand.isDarts("|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|none~0|none~1|none~2|"));
        assertFalse(GenotypeCommand.isDarts("15624"));
    }
}
