package org.trickbench.algorithms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.trickbench.core.search.SearchResult;
import org.trickbench.core.space.nb201.Genotype;

class EvaluationBudgetTest {
    private static final Map<Genotype, Double> SCORES = Map.of(
            Genotype.fromIndex(10), 1.0, Genotype.fromIndex(20), 3.0, Genotype.fromIndex(30), 2.0,
            Genotype.fromIndex(40), 3.0, Genotype.fromIndex(50), Double.NaN);

    @Test
    void repeatedGenotypesReachTheEvaluatorOnceAndCostOneEvaluation() {
        // Not wrapped in a cache: the budget itself must not ask twice.
        SearchFixtures.CountingEvaluator counting = new SearchFixtures.CountingEvaluator(SCORES::get);
        EvaluationBudget budget = new EvaluationBudget(counting, 5);
        for (int i = 0; i < 3; i++) {
            assertEquals(1.0, budget.score(Genotype.fromIndex(10)));
            assertEquals(3.0, budget.score(Genotype.fromIndex(20)));
        }
        assertEquals(List.of(Genotype.fromIndex(10), Genotype.fromIndex(20)), counting.calls);
        assertEquals(2, budget.spent());
    }

    @Test
    void aSpentBudgetRefusesNewGenotypesButStillAnswersKnownOnes() {
        SearchFixtures.CountingEvaluator counting = new SearchFixtures.CountingEvaluator(SCORES::get);
        EvaluationBudget budget = new EvaluationBudget(counting, 2);
        budget.score(Genotype.fromIndex(10));
        assertFalse(budget.exhausted());
        budget.score(Genotype.fromIndex(20));
        assertTrue(budget.exhausted());
        assertEquals(1.0, budget.score(Genotype.fromIndex(10)));
        assertThrows(IllegalStateException.class, () -> budget.score(Genotype.fromIndex(30)));
        assertEquals(2, counting.calls.size());
    }

    @Test
    void trajectoryIsTheBestSoFarAfterEachDistinctEvaluation() {
        EvaluationBudget budget = new EvaluationBudget(SCORES::get, 5);
        for (int index : new int[] {10, 10, 30, 20, 10, 40}) {
            budget.score(Genotype.fromIndex(index));
        }
        SearchResult r = budget.result();
        assertEquals(List.of(1.0, 2.0, 3.0, 3.0), r.trajectory());
        assertEquals(3.0, r.proxyScore());
        assertEquals(r.wallSeconds(), r.deviceSeconds());
    }

    @Test
    void tiedBestGoesToTheLowerIndexWhateverTheOrder() {
        EvaluationBudget later = new EvaluationBudget(SCORES::get, 5);
        later.score(Genotype.fromIndex(40));
        later.score(Genotype.fromIndex(20));
        EvaluationBudget earlier = new EvaluationBudget(SCORES::get, 5);
        earlier.score(Genotype.fromIndex(20));
        earlier.score(Genotype.fromIndex(40));
        assertEquals(Genotype.fromIndex(20), later.best());
        assertEquals(Genotype.fromIndex(20), earlier.best());
    }

    @Test
    void aFailedEvaluationScoredNaNNeverBecomesTheBest() {
        EvaluationBudget budget = new EvaluationBudget(SCORES::get, 5);
        budget.score(Genotype.fromIndex(50));
        budget.score(Genotype.fromIndex(10));
        budget.score(Genotype.fromIndex(50));
        assertEquals(Genotype.fromIndex(10), budget.best());
        assertEquals(1.0, budget.result().proxyScore());
    }
}
