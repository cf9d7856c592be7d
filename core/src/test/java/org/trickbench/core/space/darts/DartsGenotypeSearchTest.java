package org.trickbench.core.space.darts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.trickbench.core.space.darts.DartsGenotype.Edge;

/** Discretisation of α, uniform sampling and mutation of DARTS genotypes. */
class DartsGenotypeSearchTest {
    private static final int OPS = DartsOp.values().length;
    private static final int DRAWS = 10_000;
    /** Upper 0.1% points of the chi-square distribution by degrees of freedom. */
    private static final double CHI2_5DF = 20.515;
    private static final double CHI2_6DF = 22.458;
    private static final double CHI2_15DF = 37.697;
    private static final double CHI2_19DF = 43.820;

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

    // ---- Sampling --------------------------------------------------------------------------------

    private static void assertValidSearchGenotype(DartsGenotype g) {
        for (boolean reduction : new boolean[] {false, true}) {
            List<Edge> cell = g.cell(reduction);
            for (int node = 0; node < DartsGenotype.NODES; node++) {
                Edge a = cell.get(2 * node);
                Edge b = cell.get(2 * node + 1);
                assertNotEquals(a.input(), b.input(), "node " + node + " of " + g);
                assertTrue(a.input() <= node + 1 && b.input() <= node + 1, g.toString());
                assertNotEquals(DartsOp.NONE, a.op());
                assertNotEquals(DartsOp.NONE, b.op());
            }
        }
        assertEquals(g, DartsGenotype.parse(g.toString()));
    }

    private static double chiSquare(long[] counts) {
        long total = Arrays.stream(counts).sum();
        double expected = (double) total / counts.length;
        double chi2 = 0;
        for (long c : counts) {
            chi2 += (c - expected) * (c - expected) / expected;
        }
        return chi2;
    }

    @Test
    void randomGenotypesAreValidAndUniformOverOpsAndInputPairs() {
        SplittableRandom random = new SplittableRandom(7);
        long[] ops = new long[DartsGenotype.CANDIDATE_OPS.size()];
        long[] node1Pairs = new long[3 * 3];
        long[] node3Pairs = new long[5 * 5];
        for (int i = 0; i < DRAWS; i++) {
            DartsGenotype g = DartsGenotype.random(random);
            assertValidSearchGenotype(g);
            for (boolean reduction : new boolean[] {false, true}) {
                List<Edge> cell = g.cell(reduction);
                for (Edge edge : cell) {
                    ops[DartsGenotype.CANDIDATE_OPS.indexOf(edge.op())]++;
                }
                node1Pairs[3 * cell.get(2).input() + cell.get(3).input()]++;
                node3Pairs[5 * cell.get(6).input() + cell.get(7).input()]++;
            }
        }
        double opChi2 = chiSquare(ops);
        assertTrue(opChi2 < CHI2_6DF, "ops not uniform: chi2 " + opChi2 + ", counts " + Arrays.toString(ops));
        // Ordered pairs of distinct states: 6 for node 1, 20 for node 3; the diagonal stays empty.
        double node1 = chiSquare(offDiagonal(node1Pairs, 3));
        assertTrue(node1 < CHI2_5DF, "node 1 input pairs not uniform: chi2 " + node1);
        double node3 = chiSquare(offDiagonal(node3Pairs, 5));
        assertTrue(node3 < CHI2_19DF, "node 3 input pairs not uniform: chi2 " + node3);
    }

    /** The counts off the diagonal of a square table, which must be empty (a node's inputs are distinct). */
    private static long[] offDiagonal(long[] table, int side) {
        long[] off = new long[side * (side - 1)];
        int n = 0;
        for (int i = 0; i < side; i++) {
            for (int j = 0; j < side; j++) {
                if (i == j) {
                    assertEquals(0, table[i * side + j], "a node took state " + i + " twice");
                } else {
                    off[n++] = table[i * side + j];
                }
            }
        }
        return off;
    }

    @Test
    void samplingIsDeterminedByTheSeed() {
        List<DartsGenotype> a = draws(new SplittableRandom(11), 50);
        assertEquals(a, draws(new SplittableRandom(11), 50));
        assertNotEquals(a, draws(new SplittableRandom(12), 50));
        assertTrue(a.stream().distinct().count() > 45, "50 draws from about 3·10^20 genotypes are all but surely distinct");
    }

    private static List<DartsGenotype> draws(SplittableRandom random, int n) {
        List<DartsGenotype> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(DartsGenotype.random(random));
        }
        return out;
    }

    // ---- Mutation --------------------------------------------------------------------------------

    /** The single position (cell · 8 + edge) where two genotypes differ; fails unless there is exactly one. */
    private static int onlyDifference(DartsGenotype parent, DartsGenotype child) {
        int position = -1;
        for (int r = 0; r < 2; r++) {
            for (int e = 0; e < DartsGenotype.EDGES; e++) {
                Edge p = parent.cell(r == 1).get(e);
                Edge c = child.cell(r == 1).get(e);
                if (!p.equals(c)) {
                    assertEquals(-1, position, "more than one edge changed: " + parent + " -> " + child);
                    assertTrue(p.op() == c.op() || p.input() == c.input(), "op and input both changed");
                    position = r * DartsGenotype.EDGES + e;
                }
            }
        }
        assertTrue(position >= 0, "the child equals its parent: " + child);
        return position;
    }

    @Test
    void mutationChangesExactlyOneOpOrInputAndKeepsTheGenotypeValid() {
        SplittableRandom random = new SplittableRandom(3);
        int inputChanges = 0;
        for (int i = 0; i < DRAWS; i++) {
            DartsGenotype parent = DartsGenotype.random(random);
            DartsGenotype child = parent.mutate(random);
            assertNotSame(parent, child);
            assertValidSearchGenotype(child);
            int position = onlyDifference(parent, child);
            boolean reduction = position >= DartsGenotype.EDGES;
            int e = position % DartsGenotype.EDGES;
            if (parent.cell(reduction).get(e).input() != child.cell(reduction).get(e).input()) {
                inputChanges++;
                assertTrue(e >= 2, "node 0's edges take both of its states; only their ops can change");
            }
        }
        // Edges of nodes 1-3 (three quarters) change their input with odds 1/2: about 3/8 of all mutations.
        assertTrue(Math.abs(inputChanges - 0.375 * DRAWS) < 4 * Math.sqrt(DRAWS * 0.375 * 0.625),
                inputChanges + " input changes in " + DRAWS);
    }

    @Test
    void mutationIsUniformOverEdgesAndOverTheOtherOps() {
        SplittableRandom random = new SplittableRandom(5);
        DartsGenotype parent = DartsGenotype.DARTS_V2;
        long[] positions = new long[2 * DartsGenotype.EDGES];
        // Edge 0 of the normal cell (sep_conv_3x3 from state 0) can only change its op: to one of six.
        long[] firstEdgeOps = new long[OPS];
        for (int i = 0; i < 20 * DRAWS; i++) {
            DartsGenotype child = parent.mutate(random);
            int position = onlyDifference(parent, child);
            positions[position]++;
            if (position == 0) {
                firstEdgeOps[child.normal().get(0).op().ordinal()]++;
            }
        }
        double chi2 = chiSquare(positions);
        assertTrue(chi2 < CHI2_15DF, "edges not uniform: chi2 " + chi2 + ", counts " + Arrays.toString(positions));
        assertEquals(0, firstEdgeOps[DartsOp.NONE.ordinal()]);
        assertEquals(0, firstEdgeOps[DartsOp.SEP_CONV_3X3.ordinal()], "a mutation must change the op");
        long[] others = new long[6];
        int n = 0;
        for (DartsOp op : DartsGenotype.CANDIDATE_OPS) {
            if (op != DartsOp.SEP_CONV_3X3) {
                others[n++] = firstEdgeOps[op.ordinal()];
            }
        }
        double opChi2 = chiSquare(others);
        assertTrue(opChi2 < CHI2_5DF, "new ops not uniform: chi2 " + opChi2 + ", counts " + Arrays.toString(others));
    }

    @Test
    void mutationIsDeterminedByTheSeed() {
        DartsGenotype parent = DartsGenotype.PC_DARTS_CIFAR;
        SplittableRandom a = new SplittableRandom(9);
        SplittableRandom b = new SplittableRandom(9);
        for (int i = 0; i < 100; i++) {
            assertEquals(parent.mutate(a), parent.mutate(b));
        }
    }
}
