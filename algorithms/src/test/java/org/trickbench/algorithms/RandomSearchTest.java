package org.trickbench.algorithms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.trickbench.core.UserInputException;
import org.trickbench.core.search.Evaluator;
import org.trickbench.core.search.Family;
import org.trickbench.core.search.SearchResult;
import org.trickbench.core.space.nb201.Genotype;

class RandomSearchTest {
    private final RandomSearch search = new RandomSearch();

    private SearchResult run(Map<String, Object> params, long seed, Evaluator fitness) {
        return search.search(SearchFixtures.context(RandomSearch.ID, params, seed, fitness));
    }

    /**
     * A unique optimum is 1 cell in 15,625: no sane budget finds it reliably by sampling (500 draws
     * hit it with probability 3%). So this fitness caps the count of 3×3 convolutions at four, and
     * its optimum set is the 265 cells with at least four (1.7% of the space): 500 draws miss all of
     * them with probability (1 − 0.017)^500 ≈ 2e-4, while returning any single draw, not the best,
     * would hit one with probability 0.017.
     */
    @Test
    void findsACellOfALargeOptimumSetForNineOfTenSeedsWithinTheDefaultBudget() {
        int hits = 0;
        for (long seed = 1; seed <= 10; seed++) {
            SearchResult r = run(Map.of(), seed, g -> Math.min(SearchFixtures.conv3x3Edges(g), 4));
            if (r.proxyScore() == 4 && SearchFixtures.conv3x3Edges(r.genotype()) >= 4) {
                hits++;
            }
        }
        assertTrue(hits >= 9, "optimum found for " + hits + " of 10 seeds");
    }

    @Test
    void scoresExactlyItsBudgetOfDistinctCells() {
        SearchFixtures.assertSpendsExactlyItsBudget(this::run, "candidates", 3, g -> g.index(),
                1, 37, Genotype.SPACE_SIZE);
    }

    @Test
    void tiedScoresGoToTheLowestIndexScored() {
        SearchFixtures.CountingEvaluator counting = new SearchFixtures.CountingEvaluator(g -> 0.5);
        SearchResult r = run(Map.of("candidates", 50), 4, counting);
        int lowest = counting.calls.stream().mapToInt(Genotype::index).min().orElseThrow();
        assertEquals(lowest, Genotype.from(r.genotype()).index());
        // With this seed the lowest is not the first draw, so "the first scored wins" would fail here.
        assertNotEquals(counting.calls.get(0), r.genotype());
    }

    @Test
    void sameSeedGivesTheSameSearchAndAnotherSeedAnotherOne() {
        SearchFixtures.assertSameSeedSameSearch(this::run, Map.of("candidates", 40));
    }

    @Test
    void trajectoryNeverFallsAndEndsAtTheReturnedCellsScore() {
        SearchFixtures.assertTrajectoryNeverFalls(this::run, Map.of("candidates", 60), 7);
    }

    @Test
    void rejectsBudgetsOutsideTheSpaceNamingTheParameterAndRange() {
        for (Object bad : List.of(0, -3, Genotype.SPACE_SIZE + 1)) {
            UserInputException e = assertThrows(UserInputException.class,
                    () -> run(Map.of("candidates", bad), 1, SearchFixtures::conv3x3Fitness));
            assertTrue(e.getMessage().contains("'random-search'") && e.getMessage().contains("candidates=" + bad)
                    && e.getMessage().contains("integer 1 <= candidates <= 15625"), e.getMessage());
        }
        for (Object bad : List.of(2.5, "100")) {
            UserInputException e = assertThrows(UserInputException.class,
                    () -> run(Map.of("candidates", bad), 1, SearchFixtures::conv3x3Fitness));
            assertTrue(e.getMessage().contains("is not an integer"), e.getMessage());
        }
        UserInputException e = assertThrows(UserInputException.class,
                () -> run(Map.of("candidate", 10), 1, SearchFixtures::conv3x3Fitness));
        assertTrue(e.getMessage().contains("'candidate'") && e.getMessage().contains("known: candidates"), e.getMessage());
    }

    @Test
    void isRegisteredAsBlackBoxWithItsDefaultDeclared() {
        assertTrue(Algorithms.byId("random-search") instanceof RandomSearch);
        assertEquals(Family.BLACK_BOX, search.family());
        assertEquals(List.of("candidates", "seconds"), search.parameters().stream().map(p -> p.name()).toList());
        assertEquals(RandomSearch.DEFAULT_CANDIDATES, search.parameters().get(0).defaultValue());
    }
}
