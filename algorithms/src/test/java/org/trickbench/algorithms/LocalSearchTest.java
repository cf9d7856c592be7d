package org.trickbench.algorithms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.trickbench.core.UserInputException;
import org.trickbench.core.search.Evaluator;
import org.trickbench.core.search.Family;
import org.trickbench.core.search.SearchResult;
import org.trickbench.core.space.nb201.Genotype;

class LocalSearchTest {
    private final LocalSearch search = new LocalSearch();

    private SearchResult run(Map<String, Object> params, long seed, Evaluator fitness) {
        return search.search(SearchFixtures.context(LocalSearch.ID, params, seed, fitness));
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
    void neighbourhoodIsEveryCellOneEdgeOpAway() {
        Genotype cell = Genotype.fromIndex(4321);
        List<Genotype> neighbours = LocalSearch.neighbours(cell);
        assertEquals(24, new HashSet<>(neighbours).size());
        for (Genotype n : neighbours) {
            assertEquals(1, differingEdges(cell, n), n.toString());
        }
    }

    @Test
    void scoresTheWholeNeighbourhoodThenMovesToItsBestCell() {
        // Budget: the start, its 24 neighbours, then the 20 new neighbours of the next centre: of its
        // 24, one is the start and three differ from the start on the same edge, already scored.
        SearchFixtures.CountingEvaluator counting = new SearchFixtures.CountingEvaluator(SearchFixtures::conv3x3Fitness);
        run(Map.of("evaluations", 45), 21, counting);
        Genotype start = counting.calls.get(0);
        Set<Genotype> first = new HashSet<>(counting.calls.subList(1, 25));
        assertEquals(new HashSet<>(LocalSearch.neighbours(start)), first);
        Genotype best = first.stream().max(Comparator.comparingDouble(SearchFixtures::conv3x3Fitness)).orElseThrow();
        assertTrue(SearchFixtures.conv3x3Fitness(best) > SearchFixtures.conv3x3Fitness(start));
        Set<Genotype> next = new HashSet<>(LocalSearch.neighbours(best));
        next.remove(start);
        next.removeAll(first);
        assertEquals(20, next.size());
        assertEquals(next, new HashSet<>(counting.calls.subList(25, 45)));
    }

    @Test
    void restartsFromAFreshRandomCellAtALocalOptimum() {
        // A flat fitness makes every cell a local optimum: no neighbour improves, so after each
        // neighbourhood the search must restart from an unscored cell and score that cell's
        // neighbourhood next, rather than wander to an equal neighbour.
        SearchFixtures.CountingEvaluator counting = new SearchFixtures.CountingEvaluator(g -> 0.5);
        run(Map.of("evaluations", 75), 22, counting);
        for (int block = 0; block < 3; block++) {
            Genotype centre = counting.calls.get(25 * block);
            Set<Genotype> around = new HashSet<>(LocalSearch.neighbours(centre));
            List<Genotype> scored = counting.calls.subList(25 * block + 1, 25 * block + 25);
            assertEquals(around, new HashSet<>(scored), "block " + block);
            if (block > 0) {
                Genotype previous = counting.calls.get(25 * (block - 1));
                assertFalse(LocalSearch.neighbours(previous).contains(centre));
                assertNotEquals(previous, centre);
            }
        }
    }

    @Test
    void spendsExactlyItsBudgetOfDistinctCellsAndScoresEachOnce() {
        // Neighbourhoods overlap, so a climb asks for many cells twice; only new ones count.
        SearchFixtures.assertSpendsExactlyItsBudget(this::run, "evaluations", 23, SearchFixtures::conv3x3Fitness,
                1, 30, 400, Genotype.SPACE_SIZE);
    }

    @Test
    void sameSeedGivesTheSameSearchAndAnotherSeedAnotherOne() {
        SearchFixtures.assertSameSeedSameSearch(this::run, Map.of("evaluations", 60));
    }

    @Test
    void trajectoryNeverFallsAndEndsAtTheReturnedCellsScore() {
        SearchFixtures.assertTrajectoryNeverFalls(this::run, Map.of("evaluations", 90), 7);
    }

    @Test
    void rejectsInvalidSettingsNamingTheParameterAndRange() {
        for (Object bad : List.of(0, Genotype.SPACE_SIZE + 1)) {
            UserInputException e = assertThrows(UserInputException.class,
                    () -> run(Map.of("evaluations", bad), 1, SearchFixtures::conv3x3Fitness));
            assertTrue(e.getMessage().contains("'local-search'") && e.getMessage().contains("evaluations=" + bad)
                    && e.getMessage().contains("integer 1 <= evaluations <= 15625"), e.getMessage());
        }
        UserInputException e = assertThrows(UserInputException.class,
                () -> run(Map.of("evaluations", 10.5), 1, SearchFixtures::conv3x3Fitness));
        assertTrue(e.getMessage().contains("evaluations='10.5' is not an integer"), e.getMessage());
    }

    @Test
    void isRegisteredAsBlackBoxWithTheSharedDefaultBudget() {
        assertTrue(Algorithms.byId("local-search") instanceof LocalSearch);
        assertEquals(Family.BLACK_BOX, search.family());
        assertEquals(List.of("evaluations", "seconds"), search.parameters().stream().map(p -> p.name()).toList());
        assertEquals(RegularizedEvolution.DEFAULT_EVALUATIONS, search.parameters().get(0).defaultValue());
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
}
