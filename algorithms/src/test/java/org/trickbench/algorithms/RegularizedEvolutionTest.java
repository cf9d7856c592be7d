package org.trickbench.algorithms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.trickbench.algorithms.RegularizedEvolution.Member;
import org.trickbench.core.UserInputException;
import org.trickbench.core.search.Evaluator;
import org.trickbench.core.search.Family;
import org.trickbench.core.search.SearchResult;
import org.trickbench.core.space.nb201.Genotype;

class RegularizedEvolutionTest {
    private final RegularizedEvolution rea = new RegularizedEvolution();

    private SearchResult run(Map<String, Object> params, long seed, Evaluator fitness) {
        return rea.search(SearchFixtures.context(RegularizedEvolution.ID, params, seed, fitness));
    }

    @Test
    void findsTheUniqueOptimumForNineOfTenSeedsWithinTheDefaultBudget() {
        int hits = 0;
        for (long seed = 1; seed <= 10; seed++) {
            if (run(Map.of(), seed, SearchFixtures::conv3x3Fitness).genotype().equals(SearchFixtures.ALL_CONV3X3)) {
                hits++;
            }
        }
        assertTrue(hits >= 9, "optimum found for " + hits + " of 10 seeds");
    }

    @Test
    void aCycleRemovesTheOldestMemberEvenWhenItIsTheBest() {
        // Scores rise with age: the oldest member is the best, the youngest the worst. Selection by
        // score would remove the youngest; aging removes the oldest.
        ArrayDeque<Member> population = new ArrayDeque<>();
        for (int i = 0; i < 5; i++) {
            population.addLast(new Member(Genotype.fromIndex(1000 * i), 10.0 - i));
        }
        List<Member> before = List.copyOf(population);
        EvaluationBudget budget = new EvaluationBudget(g -> -1.0, 10);
        Member removed = RegularizedEvolution.cycle(population, 3, new SplittableRandom(8), budget);
        assertEquals(before.get(0), removed);
        List<Member> after = List.copyOf(population);
        assertEquals(before.subList(1, 5), after.subList(0, 4), "the survivors keep their order");
        Member child = after.get(4);
        assertEquals(-1.0, child.score());
        assertEquals(1, budget.spent());
        assertEquals(1, differingEdges(Genotype.from(child.genotype()), parentOf(Genotype.from(child.genotype()), before)));
    }

    @Test
    void mutationChangesExactlyOneEdgeToADifferentOpAndReachesEveryNeighbour() {
        SplittableRandom rng = new SplittableRandom(11);
        Genotype parent = Genotype.fromIndex(7777);
        Set<Genotype> children = new HashSet<>();
        for (int i = 0; i < 2000; i++) {
            Genotype child = RegularizedEvolution.mutate(parent, rng);
            assertEquals(1, differingEdges(parent, child), parent + " -> " + child);
            children.add(child);
        }
        assertEquals(24, children.size(), "6 edges × 4 other ops");
    }

    @Test
    void tournamentDrawsWithReplacementAndKeepsTheBestOfTheDraw() {
        // Ten members scored 0..9, tournaments of three drawn with replacement (Real et al. 2019,
        // Algorithm 1): the best member wins with probability 1 − 0.9³ = 0.271 (0.3 without
        // replacement), the worst only when drawn three times: 0.001 (never without replacement).
        List<Member> members = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            members.add(new Member(Genotype.fromIndex(i), i));
        }
        SplittableRandom rng = new SplittableRandom(12);
        int trials = 40_000;
        int[] wins = new int[10];
        for (int t = 0; t < trials; t++) {
            wins[(int) RegularizedEvolution.tournament(members, 3, rng).score()]++;
        }
        // Standard deviations: 0.0022 for the best, 0.00016 for the worst.
        assertEquals(0.271, wins[9] / (double) trials, 0.01);
        assertTrue(wins[0] > 0 && wins[0] < 100, "worst won " + wins[0] + " times");
    }

    @Test
    void spendsExactlyItsBudgetOfDistinctCellsAndScoresEachOnce() {
        // REA breeds many repeats late in a search: a budget counted in cycles would stop short of
        // the distinct evaluations asked for, one counted wrongly would overrun.
        SearchFixtures.assertSpendsExactlyItsBudget(this::run, "evaluations", 13, SearchFixtures::conv3x3Fitness,
                10, 11, 333);
    }

    @Test
    void sameSeedGivesTheSameSearchAndAnotherSeedAnotherOne() {
        SearchFixtures.assertSameSeedSameSearch(this::run, Map.of("evaluations", 60));
    }

    @Test
    void trajectoryNeverFallsAndEndsAtTheReturnedCellsScore() {
        SearchFixtures.assertTrajectoryNeverFalls(this::run, Map.of("evaluations", 80), 7);
    }

    @Test
    void rejectsInvalidSettingsNamingTheParameterAndRange() {
        assertRejected(Map.of("population", 1), "population=1", "2 <= population <= 15625");
        assertRejected(Map.of("population", 5, "sample", 6), "sample=6", "1 <= sample <= population (5)");
        assertRejected(Map.of("sample", 0), "sample=0", "1 <= sample");
        assertRejected(Map.of("population", 20, "evaluations", 19), "evaluations=19",
                "population (20) <= evaluations <= 15625");
        assertRejected(Map.of("evaluations", 0), "evaluations=0", "1 <= evaluations <= 15625");
        assertRejected(Map.of("evaluations", Genotype.SPACE_SIZE + 1), "evaluations=15626", "<= 15625");
        assertRejected(Map.of("tournament", 3), "'tournament'", "known: population, sample, evaluations, seconds");
    }

    @Test
    void isRegisteredAsBlackBoxWithNasBench201Defaults() {
        assertTrue(Algorithms.byId("rea") instanceof RegularizedEvolution);
        assertEquals(Family.BLACK_BOX, rea.family());
        Map<String, Object> defaults = new TreeMap<>();
        rea.parameters().stream().filter(p -> p.defaultValue() != null)
                .forEach(p -> defaults.put(p.name(), p.defaultValue()));
        assertEquals(Map.of("population", 10, "sample", 3, "evaluations", RegularizedEvolution.DEFAULT_EVALUATIONS),
                defaults);
    }

    private void assertRejected(Map<String, Object> params, String... expected) {
        UserInputException e = assertThrows(UserInputException.class,
                () -> run(params, 1, SearchFixtures::conv3x3Fitness));
        assertTrue(e.getMessage().contains("'rea'"), e.getMessage());
        for (String part : expected) {
            assertTrue(e.getMessage().contains(part), e.getMessage());
        }
    }

    private static int differingEdges(Genotype a, Genotype b) {
        int n = 0;
        for (int e = 0; e < Genotype.EDGES; e++) {
            if (a.op(e) != b.op(e)) {
                n++;
            }
        }
        return n;
    }

    private static Genotype parentOf(Genotype child, List<Member> candidates) {
        return candidates.stream().map(m -> Genotype.from(m.genotype())).filter(g -> differingEdges(g, child) == 1).findFirst()
                .orElseThrow(() -> new AssertionError("no member is one edge from the child " + child));
    }
}
