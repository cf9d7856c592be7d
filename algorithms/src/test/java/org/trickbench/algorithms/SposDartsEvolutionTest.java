package org.trickbench.algorithms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.trickbench.core.run.AlgorithmSetting;
import org.trickbench.core.seed.Seeds;
import org.trickbench.core.space.Architecture;
import org.trickbench.core.space.darts.DartsGenotype;
import org.trickbench.core.space.darts.DartsGenotype.Edge;
import org.trickbench.core.space.darts.DartsSearchSpace;

/** SPOS's candidates, mutation and crossover on the DARTS space, with synthetic fitnesses (no training). */
class SposDartsEvolutionTest {
    private static final DartsGenotype TARGET = DartsGenotype.DARTS_V2;

    /** How many of the 16 edges (op and input) agree with {@link #TARGET}, position by position. */
    private static double matches(Architecture a) {
        DartsGenotype g = DartsGenotype.from(a);
        int m = 0;
        for (boolean reduction : new boolean[] {false, true}) {
            for (int e = 0; e < DartsGenotype.EDGES; e++) {
                m += g.cell(reduction).get(e).equals(TARGET.cell(reduction).get(e)) ? 1 : 0;
            }
        }
        return m;
    }

    private static List<Edge> node(DartsGenotype g, boolean reduction, int node) {
        return g.cell(reduction).subList(2 * node, 2 * node + 2);
    }

    @Test
    void crossoverTakesEachNodeWholeFromOneParentSoItsInputsStayDistinct() {
        // Every node of a takes its inputs in the order (0, 1, ...), every node of b the reverse: an
        // edge-by-edge crossover would give some node the same input twice.
        DartsGenotype a = DartsGenotype.parse(genotype("sep_conv_3x3", false));
        DartsGenotype b = DartsGenotype.parse(genotype("max_pool_3x3", true));
        SplittableRandom random = new SplittableRandom(8);
        int fromB = 0;
        int nodes = 0;
        for (int i = 0; i < 200; i++) {
            DartsGenotype child = Spos.crossover(a, b, random);
            DartsSpaceSearchTest.assertValidCandidate(child);
            for (boolean reduction : new boolean[] {false, true}) {
                for (int n = 0; n < DartsGenotype.NODES; n++) {
                    List<Edge> edges = node(child, reduction, n);
                    assertTrue(edges.equals(node(a, reduction, n)) || edges.equals(node(b, reduction, n)),
                            "node " + n + " of " + child);
                    fromB += edges.equals(node(b, reduction, n)) ? 1 : 0;
                    nodes++;
                }
            }
        }
        // Each node from b with chance 1/2: 800 of 1600, give or take 4 standard deviations.
        assertTrue(Math.abs(fromB - nodes / 2.0) < 4 * Math.sqrt(nodes * 0.25), "from b: " + fromB + " of " + nodes);
    }

    /** Every node takes inputs 0 and 1 (reversed when {@code reversed}), both edges with {@code op}. */
    private static String genotype(String op, boolean reversed) {
        StringBuilder cell = new StringBuilder("[");
        for (int n = 0; n < DartsGenotype.NODES; n++) {
            int first = reversed ? 1 : 0;
            cell.append(n == 0 ? "" : ", ").append("('").append(op).append("', ").append(first).append("), ('")
                    .append(op).append("', ").append(1 - first).append(")");
        }
        cell.append("]");
        return "Genotype(normal=" + cell + ", normal_concat=range(2, 6), reduce=" + cell + ", reduce_concat=range(2, 6))";
    }

    @Test
    void mutationRedrawsEachNodeWithTheGivenChanceAsTheRandomGenotypeDrawsIt() {
        SplittableRandom random = new SplittableRandom(9);
        assertEquals(TARGET, Spos.mutate(TARGET, 0, random));
        int changed = 0;
        int inputsChanged = 0;
        double expected = 0;
        int children = 500;
        for (int i = 0; i < children; i++) {
            DartsGenotype child = Spos.mutate(TARGET, 0.5, random);
            DartsSpaceSearchTest.assertValidCandidate(child);
            for (boolean reduction : new boolean[] {false, true}) {
                for (int n = 0; n < DartsGenotype.NODES; n++) {
                    List<Edge> before = node(TARGET, reduction, n);
                    List<Edge> after = node(child, reduction, n);
                    changed += after.equals(before) ? 0 : 1;
                    inputsChanged += after.get(0).input() != before.get(0).input()
                            || after.get(1).input() != before.get(1).input() ? 1 : 0;
                    // A redrawn node repeats itself with chance 1 / (ordered input pairs × 7²).
                    expected += 0.5 * (1 - 1.0 / ((n + 2) * (n + 1) * 49));
                }
            }
        }
        double sd = Math.sqrt(children * 16 * 0.25);
        assertTrue(Math.abs(changed - expected) < 4 * sd, "changed " + changed + ", expected " + expected);
        assertTrue(inputsChanged > children, "a redrawn node draws its inputs too, changed " + inputsChanged);
    }

    @Test
    void evolutionOnDartsBeatsItsFirstPopulationAndScoresOnlyDistinctValidGenotypes() {
        List<Architecture> scored = new ArrayList<>();
        SupernetSearch.Choice choice = new Spos().search(g -> {
            scored.add(g);
            return matches(g);
        }, new AlgorithmSetting("spos", Map.of()), new Seeds(1), DartsSearchSpace.INSTANCE, TimeBudget.none());
        assertEquals(scored.size(), new HashSet<>(scored).size());
        scored.forEach(g -> DartsSpaceSearchTest.assertValidCandidate((DartsGenotype) g));
        // Crossovers of parents that have converged find few new children; a generation then settles for fewer.
        assertTrue(scored.size() > 50 + 20 * 25 && scored.size() <= 50 + 20 * 50, "scored " + scored.size());
        List<Double> t = choice.trajectory();
        assertTrue(t.get(t.size() - 1) > t.get(49) + 2, "evolution improves on the random population: " + t.get(49)
                + " -> " + t.get(t.size() - 1));
        assertEquals(matches(choice.genotype()), choice.score());
    }

    @Test
    void firstPopulationAndRandomSearchCandidatesAreTheSpacesUniformDraws() {
        List<Architecture> rsws = new ArrayList<>();
        new Rsws().search(g -> {
            rsws.add(g);
            return 0;
        }, new AlgorithmSetting("rsws", Map.of("samples", 20)), new Seeds(6), DartsSearchSpace.INSTANCE,
                TimeBudget.none());
        SplittableRandom candidates = new Seeds(6).forPurpose("rsws-candidates");
        for (Architecture g : rsws) {
            assertEquals(DartsGenotype.random(candidates), g);
        }
        List<Architecture> spos = new ArrayList<>();
        new Spos().search(g -> {
            spos.add(g);
            return 0;
        }, new AlgorithmSetting("spos", Map.of("population", 20, "generations", 0)), new Seeds(6),
                DartsSearchSpace.INSTANCE, TimeBudget.none());
        SplittableRandom evolution = new Seeds(6).forPurpose("spos-evolution");
        for (Architecture g : spos) {
            assertEquals(DartsGenotype.random(evolution), g);
        }
        assertNotEquals(rsws, spos, "each search draws from its own stream");
    }
}
