package org.trickbench.core.space.darts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.trickbench.core.space.darts.DartsGenotype.Edge;

/** Discretisation of α into DARTS genotypes. */
class DartsGenotypeSearchTest {
    private static final int OPS = DartsOp.values().length;
    private static double[][] zeros() {
        return new double[DartsSupernet.MIXED_EDGES][OPS];
    }

    private static void set(double[][] alpha, int node, int input, DartsOp op, double value) {
        alpha[DartsSupernet.edge(node, input)][op.ordinal()] = value;
    }

    /**
     * One node per case: ranking by the strongest op's softmax weight, not by α; {@code none} never chosen
     * however large, but lowering its row's shares; ties between edges (the same softmax row from α
     * shifted by a constant) and between ops going to the lower input and the first op.
     */
    static double[][] plantedNormal() {
        double[][] a = zeros();
        // Node 0: the edge from state 1 is stronger, so it comes first.
        set(a, 0, 0, DartsOp.SEP_CONV_3X3, 1);
        set(a, 0, 1, DartsOp.MAX_POOL_3X3, 2);
        // Node 1: state 0's dil_conv_5x5 has the largest non-none α (5), but none (10) leaves it a share of
        // e^5 / (e^10 + e^5 + 6) ≈ 0.007, below skip_connect's e / (e + 7) ≈ 0.28 and avg_pool's ≈ 0.19.
        set(a, 1, 0, DartsOp.NONE, 10);
        set(a, 1, 0, DartsOp.DIL_CONV_5X5, 5);
        set(a, 1, 1, DartsOp.SKIP_CONNECT, 1);
        set(a, 1, 2, DartsOp.AVG_POOL_3X3, 0.5);
        // Node 2: states 0 and 1 tie (state 1's row is state 0's plus 2, the same softmax), each with a tie
        // between sep_conv_5x5 and dil_conv_3x3; states 2 and 3 are uniform rows (1/8), weaker.
        set(a, 2, 0, DartsOp.SEP_CONV_5X5, 1);
        set(a, 2, 0, DartsOp.DIL_CONV_3X3, 1);
        Arrays.fill(a[DartsSupernet.edge(2, 1)], 2);
        set(a, 2, 1, DartsOp.SEP_CONV_5X5, 3);
        set(a, 2, 1, DartsOp.DIL_CONV_3X3, 3);
        Arrays.fill(a[DartsSupernet.edge(2, 3)], 3);
        // Node 3: none is every row's largest weight; the rows rank by their best other op.
        for (int input = 0; input < 5; input++) {
            set(a, 3, input, DartsOp.NONE, 4);
        }
        set(a, 3, 0, DartsOp.SEP_CONV_3X3, 1);
        set(a, 3, 1, DartsOp.DIL_CONV_3X3, 2);
        set(a, 3, 3, DartsOp.MAX_POOL_3X3, 3);
        set(a, 3, 4, DartsOp.AVG_POOL_3X3, 0.5);
        return a;
    }

    static final DartsGenotype PLANTED = DartsGenotype.parse("Genotype(normal=[('max_pool_3x3', 1),"
            + " ('sep_conv_3x3', 0), ('skip_connect', 1), ('avg_pool_3x3', 2), ('sep_conv_5x5', 0),"
            + " ('sep_conv_5x5', 1), ('max_pool_3x3', 3), ('dil_conv_3x3', 1)], normal_concat=range(2, 6),"
            + " reduce=[('max_pool_3x3', 0), ('max_pool_3x3', 1), ('max_pool_3x3', 0), ('max_pool_3x3', 1),"
            + " ('max_pool_3x3', 0), ('max_pool_3x3', 1), ('max_pool_3x3', 0), ('max_pool_3x3', 1)],"
            + " reduce_concat=range(2, 6))");

    @Test
    void discretisationRanksEdgesBySoftmaxWeightAndNeverTakesNone() {
        // α all zero (the reduction cell here) is one big tie: states 0 and 1, the first op.
        assertEquals(PLANTED, DartsGenotype.fromAlpha(plantedNormal(), zeros()));
    }

    @Test
    void aNodeWhoseEdgesAreAllNoneStillTakesTwoRealOps() {
        double[][] a = zeros();
        for (double[] row : a) {
            Arrays.fill(row, -3);
            row[DartsOp.NONE.ordinal()] = 8;
        }
        set(a, 3, 4, DartsOp.SEP_CONV_5X5, -1);
        set(a, 3, 2, DartsOp.SKIP_CONNECT, -2);
        DartsGenotype g = DartsGenotype.fromAlpha(zeros(), a);
        assertEquals(List.of(new Edge(DartsOp.SEP_CONV_5X5, 4), new Edge(DartsOp.SKIP_CONNECT, 2)),
                g.reduce().subList(6, 8));
        for (Edge edge : g.reduce()) {
            assertNotEquals(DartsOp.NONE, edge.op());
        }
    }

    @Test
    void discretisationRejectsAlphaOfTheWrongShape() {
        assertThrows(IllegalArgumentException.class, () -> DartsGenotype.fromAlpha(new double[13][OPS], zeros()));
        assertThrows(IllegalArgumentException.class, () -> DartsGenotype.fromAlpha(zeros(), new double[14][7]));
    }
}
