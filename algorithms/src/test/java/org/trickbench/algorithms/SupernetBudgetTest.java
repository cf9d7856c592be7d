package org.trickbench.algorithms;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.trickbench.core.search.BudgetUse;
import org.trickbench.core.search.Family;
import org.trickbench.core.search.SearchAlgorithm;
import org.trickbench.core.search.SearchResult;
import org.trickbench.core.train.EpochContext;
import org.trickbench.core.train.Fidelity;
import org.trickbench.core.train.SupernetSearchHook;
import org.trickbench.core.train.SupernetSession;
import org.trickbench.core.train.WeightTrainingHook;

/**
 * The time budget of supernet searches, on a clock that a hook advances by fixed amounts after each
 * epoch and before each path is scored: the budget must end training after the epoch that spends it,
 * and a one-shot search's scoring after the candidate that spends it.
 */
class SupernetBudgetTest {
    @RegisterExtension
    static final SupernetFixtures.TinyData TINY = new SupernetFixtures.TinyData();

    /** Moves the fake clock: {@code perEpoch} seconds after every epoch, {@code perScore} before every new path scored. */
    record Ticking(FakeClock clock, double perEpoch, double perScore)
            implements WeightTrainingHook, SupernetSearchHook {
        @Override
        public void afterEpoch(EpochContext epoch) {
            clock.advanceSeconds(perEpoch);
        }

        @Override
        public void beforeScoring(SupernetSession session) {
            clock.advanceSeconds(perScore);
        }
    }

    private static SupernetOutcome run(String id, Map<String, Object> extra, int epochs, double perEpoch,
            double perScore) {
        Map<String, Object> params = new HashMap<>(SupernetFixtures.smallBatch());
        params.putAll(extra);
        FakeClock clock = new FakeClock();
        SupernetSearch algorithm = (SupernetSearch) Algorithms.byId(id);
        return algorithm.run(SupernetFixtures.context(SupernetFixtures.spec(id, params, new Fidelity(4, 1, epochs, 0, 0), 2),
                TINY.data(), List.of(new Ticking(clock, perEpoch, perScore))).withClock(clock));
    }

    /** The registered supernet searches of {@code families}. */
    static Stream<String> supernetSearches(Family... families) {
        return Algorithms.all().stream().filter(a -> List.of(families).contains(a.family())).map(SearchAlgorithm::id);
    }

    static Stream<String> supernetSearches() {
        return supernetSearches(Family.GRADIENT, Family.ONE_SHOT);
    }

    static Stream<String> gradientSearches() {
        return supernetSearches(Family.GRADIENT);
    }

    static Stream<String> oneShotSearches() {
        return supernetSearches(Family.ONE_SHOT);
    }

    @ParameterizedTest
    @MethodSource("supernetSearches")
    void aSpentTimeBudgetEndsTrainingAfterTheEpochThatSpendsIt(String id) {
        SupernetOutcome outcome = run(id, Map.of("seconds", 2), 4, 1, 0);
        SearchResult r = outcome.result();
        assertEquals(2, outcome.epochs().size(), "one second an epoch: the second epoch spends a 2-second budget");
        assertEquals(2, r.epochs().size(), "one row of metrics per epoch trained");
        boolean gradient = Algorithms.byId(id).family() == Family.GRADIENT;
        // A one-shot search out of time still scores one candidate, so that it has an answer.
        assertEquals(new BudgetUse(2, gradient ? 0 : 1, BudgetUse.Stop.SECONDS), r.budget());
        assertEquals(gradient ? 2 : 1, r.trajectory().size());
        assertEquals(2.0, r.wallSeconds(), 1e-9, "the cost is measured on the search's clock");
    }

    @ParameterizedTest
    @MethodSource("gradientSearches")
    void aBudgetSpentOnlyByTheLastEpochDoesNotCutTheSearch(String id) {
        SupernetOutcome outcome = run(id, Map.of("seconds", 3), 3, 1, 0);
        assertEquals(3, outcome.epochs().size());
        assertEquals(new BudgetUse(3, 0, BudgetUse.Stop.COMPLETE), outcome.result().budget());
        assertEquals(3, outcome.result().trajectory().size(), "one point per epoch");
    }

    @ParameterizedTest
    @ValueSource(strings = {"spos", "rsws"})
    void aBudgetThatOutlastsAOneShotSearchChangesNothing(String id) {
        Map<String, Object> fourCandidates = id.equals("rsws") ? Map.of("samples", 4)
                : Map.of("population", 4, "generations", 0);
        Map<String, Object> params = new HashMap<>(fourCandidates);
        params.put("seconds", 100);
        SupernetOutcome outcome = run(id, params, 2, 1, 1);
        assertEquals(new BudgetUse(2, 4, BudgetUse.Stop.COMPLETE), outcome.result().budget());
        assertEquals(4, outcome.result().trajectory().size());
        assertEquals(6.0, outcome.result().wallSeconds(), 1e-9, "two epochs and four candidates at a second each");
    }

    @ParameterizedTest
    @MethodSource("oneShotSearches")
    void aSpentTimeBudgetStopsOneShotScoringAtTheCandidateThatSpendsIt(String id) {
        SupernetOutcome outcome = run(id, Map.of("seconds", 5), 1, 0, 1);
        SearchResult r = outcome.result();
        assertEquals(new BudgetUse(1, 5, BudgetUse.Stop.SECONDS), r.budget(), "one second per candidate scored");
        assertEquals(5, r.trajectory().size());
        assertEquals(r.proxyScore(), r.trajectory().get(4));
    }
}
