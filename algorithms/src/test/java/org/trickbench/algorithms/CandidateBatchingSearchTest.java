package org.trickbench.algorithms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.trickbench.core.data.DataPreparation;
import org.trickbench.core.data.PreparedData;
import org.trickbench.core.search.BudgetUse;
import org.trickbench.core.search.Evaluator;
import org.trickbench.core.search.ProxyTrainingEvaluator;
import org.trickbench.core.search.SearchContext;
import org.trickbench.core.search.SearchResult;
import org.trickbench.core.seed.Seeds;
import org.trickbench.core.space.Architecture;
import org.trickbench.core.space.nb201.Genotype;
import org.trickbench.core.space.nb201.Nb201SearchSpace;
import org.trickbench.core.space.nb201.Nb201Space;
import org.trickbench.core.train.Fidelity;
import org.trickbench.core.train.Protocol;
import org.trickbench.core.train.SyntheticData;

/**
 * Random search with an evaluator that scores K candidates together ({@link Evaluator#batchSize}) draws
 * and scores the same candidates in the same order as one by one: in chunks of K, each chunk one call,
 * the seconds checked between chunks. With proxy training, K=4 grouped trainings give each candidate its
 * score alone up to rounding, and the search its genotype and budget use.
 */
class CandidateBatchingSearchTest {
    private static final Fidelity TINY = new Fidelity(4, 1, 1, 0, 0);
    private static final Protocol PROTOCOL = Protocol.nasBench201().withBatchSize(64);
    private static final long SEED = 5;
    /** Validation accuracy points a batched candidate's score may differ by: two of the 256 images. */
    private static final double ACCURACY_POINTS = 1.0;

    @Test
    void chunksOfTheBatchScoreTheDrawsInOrder() {
        Recording oneByOne = new Recording(SearchFixtures::conv3x3Fitness, 1);
        Recording batched = new Recording(SearchFixtures::conv3x3Fitness, 4);
        SearchResult alone = search(10, oneByOne, SearchFixtures.context(RandomSearch.ID, Map.of("candidates", 10),
                SEED, oneByOne));
        SearchResult together = search(10, batched, SearchFixtures.context(RandomSearch.ID, Map.of("candidates", 10),
                SEED, batched));
        assertEquals(List.of(1, 1, 1, 1, 1, 1, 1, 1, 1, 1), oneByOne.calls);
        assertEquals(List.of(4, 4, 2), batched.calls, "chunks of four, the last what is left");
        assertSameSearch(oneByOne, alone, batched, together);
    }

    /**
     * Regularized evolution scores its initial population, and local search each neighbourhood, in chunks
     * of the batch; regularized evolution's cycles run ahead and score their children together until a
     * tournament draws one still waiting: the same cells in the same order, and the same result, as one by
     * one.
     */
    @ParameterizedTest
    @ValueSource(strings = {RegularizedEvolution.ID, LocalSearch.ID})
    void populationsAndNeighbourhoodsAreScoredInChunksAsOneByOne(String id) {
        Map<String, Object> params = id.equals(RegularizedEvolution.ID)
                ? Map.of("population", 10, "sample", 3, "evaluations", 60) : Map.of("evaluations", 60);
        Recording oneByOne = new Recording(SearchFixtures::conv3x3Fitness, 1);
        Recording batched = new Recording(SearchFixtures::conv3x3Fitness, 4);
        SearchResult alone = Algorithms.byId(id).search(SearchFixtures.context(id, params, SEED, oneByOne));
        SearchResult together = Algorithms.byId(id).search(SearchFixtures.context(id, params, SEED, batched));
        assertTrue(batched.calls.stream().anyMatch(n -> n > 1), "some cells were scored together: " + batched.calls);
        assertTrue(batched.calls.stream().allMatch(n -> n <= 4), "at most four at a time: " + batched.calls);
        if (id.equals(RegularizedEvolution.ID)) {
            // The population of ten in chunks of four, then the evolution's children, several at once where no
            // tournament needs a child still waiting for its score.
            assertEquals(List.of(4, 4, 2), batched.calls.subList(0, 3), batched.calls.toString());
            List<Integer> evolution = batched.calls.subList(3, batched.calls.size());
            assertTrue(evolution.stream().anyMatch(n -> n > 1), "children scored together: " + evolution);
            assertTrue(evolution.size() < 50, "fewer calls than children: " + evolution);
        }
        assertSameSearch(oneByOne, alone, batched, together);
    }

    private static void assertSameSearch(Recording oneByOne, SearchResult alone, Recording batched,
            SearchResult together) {
        assertEquals(oneByOne.fresh(), batched.fresh(), "the same new cells in the same order");
        assertEquals(alone.genotype(), together.genotype());
        assertEquals(alone.proxyScore(), together.proxyScore());
        assertEquals(alone.trajectory(), together.trajectory());
        assertEquals(alone.budget(), together.budget());
    }

    @Test
    void theSecondsAreCheckedBetweenChunks() {
        FakeClock clock = new FakeClock();
        Recording batched = new Recording(g -> {
            clock.advanceSeconds(1);
            return SearchFixtures.conv3x3Fitness(g);
        }, 4);
        SearchContext context = SearchFixtures.context(RandomSearch.ID, Map.of("candidates", 40, "seconds", 6), SEED,
                batched).withClock(clock);
        SearchResult r = new RandomSearch().search(context);
        // After the first chunk 4 s are spent, after the second 8 s: the chunk that started before the
        // 6 s ran out scores all four of its candidates.
        assertEquals(List.of(4, 4), batched.calls);
        assertEquals(new BudgetUse(0, 8, BudgetUse.Stop.SECONDS), r.budget());
    }

    @Test
    void proxyTrainedCandidatesBatchedFourAtATimeScoreAsOneByOne() {
        try (NDManager manager = NDManager.newBaseManager()) {
            PreparedData data = DataPreparation.prepare(SyntheticData.topBottom(512, 16, 8), TINY, new Seeds(SEED),
                    DataPreparation.Purpose.SEARCH, manager, Device.cpu());
            Recording alone = proxy(data, 1);
            Recording batched = proxy(data, 4);
            SearchResult one = search(6, alone, context(data, alone));
            SearchResult four = search(6, batched, context(data, batched));
            assertEquals(List.of(1, 1, 1, 1, 1, 1), alone.calls);
            assertEquals(List.of(4, 2), batched.calls);
            assertEquals(alone.candidates, batched.candidates, "the same draws in the same order");
            for (int i = 0; i < alone.candidates.size(); i++) {
                assertEquals(alone.scored.get(i) * 100, batched.scored.get(i) * 100, ACCURACY_POINTS,
                        "candidate " + i + " " + alone.candidates.get(i));
            }
            assertEquals(one.budget(), four.budget());
            assertEquals(one.trajectory().size(), four.trajectory().size());
            if (!one.genotype().equals(four.genotype())) {
                // Rounding may reorder only candidates whose scores are within it of each other.
                double a = alone.scored.get(alone.candidates.indexOf(four.genotype()));
                assertEquals(one.proxyScore() * 100, a * 100, ACCURACY_POINTS, "a near-tie of the best");
            }
            assertTrue(one.proxyScore() > 0 && four.proxyScore() > 0);
        }
    }

    private static SearchResult search(int candidates, Recording recording, SearchContext context) {
        SearchResult r = new RandomSearch().search(context);
        assertEquals(candidates, recording.candidates.size());
        return r;
    }

    private static Recording proxy(PreparedData data, int batch) {
        ProxyTrainingEvaluator evaluator = new ProxyTrainingEvaluator(new Nb201SearchSpace(Nb201Space.full()),
                () -> data, PROTOCOL, TINY, new Seeds(SEED), List.of(), batch);
        return new Recording(evaluator);
    }

    private static SearchContext context(PreparedData data, Evaluator evaluator) {
        return new SearchContext(SearchFixtures.spec(RandomSearch.ID, Map.of("candidates", 6), SEED), new Seeds(SEED),
                evaluator, () -> data, List.of());
    }

    /** Passes every call on and records the candidates, their scores and each call's size. */
    private static final class Recording implements Evaluator {
        final List<Architecture> candidates = new ArrayList<>();
        final List<Double> scored = new ArrayList<>();
        final List<Integer> calls = new ArrayList<>();
        private final Evaluator inner;

        /** The distinct cells in the order they were first scored. */
        List<Architecture> fresh() {
            return candidates.stream().distinct().toList();
        }

        Recording(Evaluator inner) {
            this.inner = inner;
        }

        Recording(ToDoubleFunction<Genotype> fitness, int batch) {
            this(new Evaluator() {
                @Override
                public double score(Architecture architecture) {
                    return fitness.applyAsDouble(Genotype.from(architecture));
                }

                @Override
                public int batchSize() {
                    return batch;
                }
            });
        }

        @Override
        public double score(Architecture architecture) {
            return scoreAll(List.of(architecture)).get(0);
        }

        @Override
        public List<Double> scoreAll(List<? extends Architecture> architectures) {
            List<Double> scores = inner.scoreAll(architectures);
            candidates.addAll(architectures);
            scored.addAll(scores);
            calls.add(architectures.size());
            return scores;
        }

        @Override
        public int batchSize() {
            return inner.batchSize();
        }
    }
}
