package org.trickbench.algorithms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.trickbench.core.run.AlgorithmSetting;
import org.trickbench.core.run.RunSpec;
import org.trickbench.core.search.Evaluator;
import org.trickbench.core.search.SearchContext;
import org.trickbench.core.search.SearchResult;
import org.trickbench.core.seed.Seeds;
import org.trickbench.core.space.Architecture;
import org.trickbench.core.space.nb201.Genotype;
import org.trickbench.core.space.nb201.Nb201Op;
import org.trickbench.core.train.Fidelity;
import org.trickbench.core.train.Protocol;

/** Run specs, contexts and synthetic fitnesses for black-box search tests: no data, no training. */
final class SearchFixtures {
    static final Genotype ALL_CONV3X3 = Genotype.of(Nb201Op.NOR_CONV_3X3, Nb201Op.NOR_CONV_3X3,
            Nb201Op.NOR_CONV_3X3, Nb201Op.NOR_CONV_3X3, Nb201Op.NOR_CONV_3X3, Nb201Op.NOR_CONV_3X3);

    private SearchFixtures() {}

    /** One black-box search run with these parameters and seed, scored by this evaluator. */
    @FunctionalInterface
    interface Search {
        SearchResult run(Map<String, Object> params, long seed, Evaluator fitness);
    }

    /**
     * The budget contract of every black-box search: at each budget it asks the evaluator for exactly
     * that many cells, each once, and its trajectory has one point per cell.
     */
    static void assertSpendsExactlyItsBudget(Search search, String parameter, long seed,
            ToDoubleFunction<Genotype> fitness, int... budgets) {
        for (int budget : budgets) {
            CountingEvaluator counting = new CountingEvaluator(fitness);
            SearchResult r = search.run(Map.of(parameter, budget), seed, counting);
            assertEquals(budget, counting.calls.size(), parameter + "=" + budget + ": evaluations asked for");
            assertEquals(budget, new HashSet<>(counting.calls).size(), parameter + "=" + budget + ": distinct cells");
            assertEquals(budget, r.trajectory().size(), parameter + "=" + budget + ": trajectory points");
        }
    }

    /** Seed 5 twice gives one search (cell and trajectory); seed 6 another trajectory. */
    static void assertSameSeedSameSearch(Search search, Map<String, Object> params) {
        SearchResult a = search.run(params, 5, SearchFixtures::conv3x3Fitness);
        SearchResult b = search.run(params, 5, SearchFixtures::conv3x3Fitness);
        SearchResult c = search.run(params, 6, SearchFixtures::conv3x3Fitness);
        assertEquals(a.genotype(), b.genotype());
        assertEquals(a.trajectory(), b.trajectory());
        assertNotEquals(a.trajectory(), c.trajectory());
    }

    /** {@link #assertNonDecreasingToTheBest} for one search under {@link #conv3x3Fitness}. */
    static void assertTrajectoryNeverFalls(Search search, Map<String, Object> params, long seed) {
        CountingEvaluator counting = new CountingEvaluator(SearchFixtures::conv3x3Fitness);
        assertNonDecreasingToTheBest(search.run(params, seed, counting), counting.calls);
    }

    static RunSpec spec(String algorithm, Map<String, Object> params, long seed) {
        Fidelity f = new Fidelity(8, 1, 2, 2000, 16);
        return new RunSpec("fashion-mnist", "nb201", new AlgorithmSetting(algorithm, params), List.of(), f, f,
                Protocol.nasBench201(), seed);
    }

    static SearchContext context(String algorithm, Map<String, Object> params, long seed, Evaluator evaluator) {
        return SearchContext.of(spec(algorithm, params, seed), new Seeds(seed), evaluator);
    }

    static int conv3x3Edges(Architecture a) {
        return (int) Genotype.from(a).ops().stream().filter(op -> op == Nb201Op.NOR_CONV_3X3).count();
    }

    /**
     * The count of 3×3 convolutions plus a tie-break below 0.016 (index × 1e-6): every cell scores
     * differently and the all-3×3 cell, the only one with six, is the unique optimum.
     */
    static double conv3x3Fitness(Architecture a) {
        Genotype g = Genotype.from(a);
        return conv3x3Edges(g) + g.index() * 1e-6;
    }

    /** Records every call, so a test can see how often each NAS-Bench-201 cell reached the evaluator. */
    static final class CountingEvaluator implements Evaluator {
        final List<Genotype> calls = new ArrayList<>();
        private final ToDoubleFunction<Genotype> fitness;

        CountingEvaluator(ToDoubleFunction<Genotype> fitness) {
            this.fitness = fitness;
        }

        @Override
        public double score(Architecture architecture) {
            Genotype genotype = Genotype.from(architecture);
            calls.add(genotype);
            return fitness.applyAsDouble(genotype);
        }
    }

    /**
     * For a search scored by {@link #conv3x3Fitness}: one trajectory point per distinct cell scored,
     * never falling, ending at the best score seen, which is the returned cell's score.
     */
    static void assertNonDecreasingToTheBest(SearchResult r, List<Genotype> scored) {
        List<Double> t = r.trajectory();
        assertEquals(new HashSet<>(scored).size(), t.size(), "one point per distinct evaluation");
        for (int i = 1; i < t.size(); i++) {
            assertTrue(t.get(i) >= t.get(i - 1), "trajectory falls at " + i + ": " + t);
        }
        double best = scored.stream().mapToDouble(SearchFixtures::conv3x3Fitness).max().orElseThrow();
        assertEquals(best, t.get(t.size() - 1));
        assertEquals(best, r.proxyScore());
        assertEquals(SearchFixtures.conv3x3Fitness(r.genotype()), r.proxyScore());
    }
}
