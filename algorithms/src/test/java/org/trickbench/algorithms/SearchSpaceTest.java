package org.trickbench.algorithms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.trickbench.core.run.AlgorithmSetting;
import org.trickbench.core.search.SearchContext;
import org.trickbench.core.search.SearchResult;
import org.trickbench.core.seed.Seeds;
import org.trickbench.core.space.nb201.Genotype;
import org.trickbench.core.space.nb201.Nb201Hook;
import org.trickbench.core.space.nb201.Nb201Op;
import org.trickbench.core.space.nb201.Nb201Space;
import org.trickbench.core.train.TrainingHook;

/** Every sampler and mutation draws from the run's space as the search hooks configure it. */
class SearchSpaceTest {
    private static final Nb201Space PRIOR = Nb201Space.of(List.of(Nb201Op.SKIP_CONNECT, Nb201Op.NOR_CONV_1X1,
            Nb201Op.NOR_CONV_3X3));
    private static final TrainingHook RESTRICT = new Nb201Hook() {
        @Override
        public Nb201Space configureSpace(Nb201Space space) {
            return PRIOR;
        }
    };

    @ParameterizedTest
    @ValueSource(strings = {"random", "random-search", "rea", "local-search"})
    void blackBoxSearchesOnlyProposeCellsOfTheSpace(String id) {
        // Budgets beyond the 729 cells of the space (the random baseline has none).
        Map<String, Object> params = new HashMap<>();
        SearchAlgorithmContract.evaluationBudgets(Algorithms.byId(id)).forEach(p -> params.put(p.name(), 800));
        List<Genotype> scored = new ArrayList<>();
        SearchContext plain = SearchFixtures.context(id, params, 7, g -> {
            scored.add(Genotype.from(g));
            return SearchFixtures.conv3x3Fitness(g);
        });
        SearchContext context = new SearchContext(plain.spec(), plain.seeds(), plain.evaluator(), plain.searchData(),
                List.of(RESTRICT));
        SearchResult r = Algorithms.byId(id).search(context);
        assertTrue(PRIOR.contains(Genotype.from(r.genotype())), r.genotype().toString());
        scored.forEach(g -> assertTrue(PRIOR.contains(g), g.toString()));
        if (id.equals("random-search") || id.equals("local-search")) {
            // The budget is capped at the 729 cells of the space, so the whole space is searched.
            assertEquals(PRIOR.cells(), new HashSet<>(scored).size());
            assertEquals(SearchFixtures.ALL_CONV3X3, r.genotype());
        }
    }

    @Test
    void oneShotEvolutionAndSamplingStayInTheSpace() {
        List<Genotype> seen = new ArrayList<>();
        new Spos().search(g -> {
            seen.add(g);
            return g.index();
        }, new AlgorithmSetting("spos", Map.of("mutation-probability", 0.5)), new Seeds(2), PRIOR);
        new Rsws().search(g -> {
            seen.add(g);
            return 0;
        }, new AlgorithmSetting("rsws", Map.of()), new Seeds(2), PRIOR);
        assertTrue(seen.size() > 500);
        seen.forEach(g -> assertTrue(PRIOR.contains(g), g.toString()));
    }

    @Test
    void theFullSpaceDrawsExactlyAsBefore() {
        SplittableRandom a = new SplittableRandom(11);
        SplittableRandom b = new SplittableRandom(11);
        for (int i = 0; i < 100; i++) {
            assertEquals(Genotype.fromIndex(a.nextInt(Genotype.SPACE_SIZE)), Nb201Space.full().randomCell(b));
        }
        Genotype parent = Genotype.fromIndex(1234);
        SplittableRandom c = new SplittableRandom(5);
        SplittableRandom d = new SplittableRandom(5);
        for (int i = 0; i < 100; i++) {
            int edge = c.nextInt(Genotype.EDGES);
            int other = c.nextInt(4);
            int current = parent.op(edge).ordinal();
            Genotype expected = parent.with(edge, Nb201Op.values()[other >= current ? other + 1 : other]);
            assertEquals(expected, RegularizedEvolution.mutate(parent, d));
        }
    }
}
