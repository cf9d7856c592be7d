package org.trickbench.algorithms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.trickbench.core.run.AlgorithmSetting;
import org.trickbench.core.search.BudgetUse;
import org.trickbench.core.search.Family;
import org.trickbench.core.search.SearchAlgorithm;
import org.trickbench.core.search.SearchResult;
import org.trickbench.core.seed.Seeds;
import org.trickbench.core.space.nb201.Genotype;
import org.trickbench.core.search.SearchContext;

/**
 * The evaluation and wall-clock budgets of the black-box searches, on a clock that advances one second
 * per evaluation: a budget of s seconds must allow exactly s evaluations, whatever the machine's speed.
 */
class BlackBoxBudgetTest {
    /** The registered black-box algorithms that search. */
    static Stream<String> blackBoxSearches() {
        return Algorithms.all().stream().filter(a -> a.family() == Family.BLACK_BOX && a.searches())
                .map(SearchAlgorithm::id);
    }

    /** Runs a search whose every evaluation takes one second of the fake clock, with an evaluation budget of 40. */
    private static Run run(String id, Map<String, Object> extra) {
        Map<String, Object> params = new HashMap<>(extra);
        params.put(SearchAlgorithmContract.evaluationBudgets(Algorithms.byId(id)).get(0).name(), 40);
        FakeClock clock = new FakeClock();
        SearchFixtures.CountingEvaluator evaluator = new SearchFixtures.CountingEvaluator(g -> {
            clock.advanceSeconds(1);
            return SearchFixtures.conv3x3Fitness(g);
        });
        SearchContext context = SearchFixtures.context(id, params, 11, evaluator).withClock(clock);
        return new Run(Algorithms.byId(id).search(context), evaluator);
    }

    private record Run(SearchResult result, SearchFixtures.CountingEvaluator evaluator) {}

    @ParameterizedTest
    @MethodSource("blackBoxSearches")
    void aSpentTimeBudgetStopsTheSearchAtTheEvaluationThatSpendsIt(String id) {
        Run r = run(id, Map.of("seconds", 7));
        assertEquals(7, r.evaluator().calls.size(), "one evaluation per second of a 7-second budget");
        assertEquals(new BudgetUse(0, 7, BudgetUse.Stop.SECONDS), r.result().budget());
        assertEquals(7.0, r.result().wallSeconds(), 1e-9, "the cost is measured on the search's clock");
        SearchFixtures.assertNonDecreasingToTheBest(r.result(), r.evaluator().calls);
    }

    @ParameterizedTest
    @MethodSource("blackBoxSearches")
    void withoutATimeBudgetOrWithOneThatLastsTheEvaluationBudgetEndsTheSearch(String id) {
        for (Map<String, Object> params : List.<Map<String, Object>>of(Map.of(), Map.of("seconds", 0),
                Map.of("seconds", 40), Map.of("seconds", 1000.5))) {
            Run r = run(id, params);
            assertEquals(40, r.evaluator().calls.size(), params.toString());
            assertEquals(new BudgetUse(0, 40, BudgetUse.Stop.COMPLETE), r.result().budget(), params.toString());
            assertEquals(40.0, r.result().wallSeconds(), 1e-9);
            assertTrue(r.result().epochs().isEmpty(), "a black-box search trains no supernet");
        }
    }

    @Test
    void aTimeBudgetCanCutEvolutionShortInsideItsFirstPopulation() {
        Run r = run(RegularizedEvolution.ID, Map.of("population", 10, "seconds", 4));
        assertEquals(4, r.evaluator().calls.size());
        assertEquals(BudgetUse.Stop.SECONDS, r.result().budget().stop());
        SearchFixtures.assertNonDecreasingToTheBest(r.result(), r.evaluator().calls);
    }

    @Test
    void aBudgetSpentBeforeTheFirstEvaluationStillScoresOneCellSoThereIsAnAnswer() {
        FakeClock clock = new FakeClock();
        EvaluationBudget budget = new EvaluationBudget(g -> 1.0, 5,
                TimeBudget.start(new AlgorithmSetting("rea", Map.of("seconds", 1)), clock));
        clock.advanceSeconds(2);
        assertTrue(!budget.exhausted(), "the first evaluation is always allowed");
        budget.score(SearchFixtures.ALL_CONV3X3);
        assertTrue(budget.exhausted());
        assertThrows(IllegalStateException.class, () -> budget.score(Genotype.fromIndex(0)));
        assertEquals(new BudgetUse(0, 1, BudgetUse.Stop.SECONDS), budget.result().budget());
    }

    @Test
    void aTimeBudgetThatRunsOutBetweenTheCheckAndTheEvaluationLetsThatEvaluationFinish() {
        EvaluationBudget budget = new EvaluationBudget(g -> 1.0, 5,
                TimeBudget.start(new AlgorithmSetting("rea", Map.of("seconds", 2)), FakeClock.ticking()));
        budget.score(Genotype.fromIndex(1));
        assertFalse(budget.exhausted(), "one second has passed of two");
        budget.score(Genotype.fromIndex(2));
        assertTrue(budget.exhausted(), "the clock has moved on");
        assertEquals(new BudgetUse(0, 2, BudgetUse.Stop.SECONDS), budget.result().budget());
    }

    @Test
    void theRandomBaselineAcceptsATimeBudgetAndSpendsNothing() {
        SearchAlgorithm random = Algorithms.byId(RandomBaseline.ID);
        AlgorithmSetting setting = new AlgorithmSetting(RandomBaseline.ID, Map.of("index", 0, "seconds", 1));
        random.validate(setting);
        SearchResult r = random.search(SearchContext.of(SearchFixtures.spec(RandomBaseline.ID, setting.params(), 3),
                new Seeds(3), null).withClock(new FakeClock()));
        assertEquals(new BudgetUse(0, 0, BudgetUse.Stop.COMPLETE), r.budget());
    }
}
