package org.trickbench.algorithms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.trickbench.core.data.PreparedData;
import org.trickbench.core.run.AlgorithmSetting;
import org.trickbench.core.search.Family;
import org.trickbench.core.seed.Seeds;
import org.trickbench.core.space.nb201.Genotype;
import org.trickbench.core.space.nb201.MixedOp;
import org.trickbench.core.space.nb201.Nb201Supernet;
import org.trickbench.core.train.SupernetSearchHook;
import org.trickbench.core.train.SupernetSession;

class OneShotSearchTest {
    private static final Genotype TARGET =
            Genotype.parse("|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|");
    private static NDManager manager;
    private static PreparedData data;

    @BeforeAll
    static void prepare() {
        manager = NDManager.newBaseManager();
        data = SupernetFixtures.searchData(manager, SupernetFixtures.TINY, 1);
    }

    @AfterAll
    static void release() {
        manager.close();
    }

    /** A synthetic fitness: how many edges agree with {@link #TARGET}. */
    private static double matches(Genotype g) {
        int m = 0;
        for (int e = 0; e < Genotype.EDGES; e++) {
            m += g.op(e) == TARGET.op(e) ? 1 : 0;
        }
        return m;
    }

    @Test
    void sposEvolutionFindsTheOptimumOfASyntheticFitness() {
        // Within the paper's budget (50 + 20 × 50 cells, about 7 % of the space) evolution reaches
        // the single best cell; its first population alone does not.
        Spos spos = new Spos();
        SupernetSearch.Choice choice = spos.search(OneShotSearchTest::matches,
                new AlgorithmSetting("spos", Map.of()), new Seeds(1));
        assertEquals(TARGET, choice.genotype());
        assertEquals(6, choice.score());
        assertTrue(choice.trajectory().get(49) < 6, "the random population should not already hold the optimum");
        List<Double> t = choice.trajectory();
        for (int i = 1; i < t.size(); i++) {
            assertTrue(t.get(i) >= t.get(i - 1), "best-so-far never falls");
        }
        assertTrue(t.size() <= 50 + 20 * 50);
    }

    @Test
    void sposScoresEveryCellAtMostOnce() {
        List<Genotype> scored = new ArrayList<>();
        new Spos().search(g -> {
            scored.add(g);
            return matches(g);
        }, new AlgorithmSetting("spos", Map.of("population", 10, "generations", 5)), new Seeds(2));
        assertEquals(scored.size(), new HashSet<>(scored).size());
    }

    @Test
    void mutationResamplesEdgesWithTheGivenChanceAndCrossoverMixesParents() {
        SplittableRandom random = new Seeds(3).forPurpose("test");
        assertEquals(TARGET, Spos.mutate(TARGET, 0, random));
        int changed = 0;
        for (int i = 0; i < 200; i++) {
            Genotype child = Spos.mutate(TARGET, 1, random);
            for (int e = 0; e < 6; e++) {
                changed += child.op(e) != TARGET.op(e) ? 1 : 0;
            }
        }
        // Resampling all edges changes 4 in 5 of them: 960 of 1200, give or take 4 standard deviations.
        assertTrue(Math.abs(changed - 960) < 4 * Math.sqrt(1200 * 0.8 * 0.2), "changed " + changed);
        Genotype other = Genotype.fromIndex(0);
        for (int i = 0; i < 50; i++) {
            Genotype child = Spos.crossover(TARGET, other, random);
            for (int e = 0; e < 6; e++) {
                assertTrue(child.op(e) == TARGET.op(e) || child.op(e) == other.op(e));
            }
        }
    }

    @Test
    void rswsReturnsTheBestOfItsRandomSamples() {
        List<Genotype> seen = new ArrayList<>();
        SupernetSearch.Choice choice = new Rsws().search(g -> {
            seen.add(g);
            return g.index();
        }, new AlgorithmSetting("rsws", Map.of("samples", 30)), new Seeds(4));
        assertEquals(30, seen.size());
        Genotype best = seen.stream().max((a, b) -> Integer.compare(a.index(), b.index())).orElseThrow();
        assertEquals(best, choice.genotype());
        assertEquals(best.index(), choice.score());
        assertEquals(30, choice.trajectory().size());
    }

    /** Records what the supernet looks like whenever a candidate is about to be scored. */
    private static final class ScoringProbe implements SupernetSearchHook {
        int calls;
        final Set<MixedOp.Mode> modes = new HashSet<>();

        @Override
        public void beforeScoring(SupernetSession session) {
            calls++;
            modes.add(session.supernet(Nb201Supernet.class).mode());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"rsws", "spos"})
    void trainsSharedWeightsWithoutAlphaThenScoresCandidatesReproducibly(String id) {
        Map<String, Object> params = id.equals("rsws")
                ? Map.of("batch-size", 8, "samples", 4, "score-images", 8)
                : Map.of("batch-size", 8, "population", 3, "generations", 1, "top-k", 2, "mutations", 1,
                        "crossovers", 1, "score-images", 8);
        ScoringProbe probe = new ScoringProbe();
        SupernetSearch algorithm = (SupernetSearch) Algorithms.byId(id);
        SupernetOutcome a = algorithm.run(SupernetFixtures.context(
                SupernetFixtures.spec(id, params, SupernetFixtures.TINY, 8), data, List.of(probe)));
        SupernetOutcome b = algorithm.run(SupernetFixtures.context(
                SupernetFixtures.spec(id, params, SupernetFixtures.TINY, 8), data, List.of()));
        assertEquals(Family.ONE_SHOT, algorithm.family());
        assertEquals(2, a.epochs().size());
        assertTrue(Arrays.deepEquals(a.initialAlpha(), a.alpha()), "one-shot training never moves α");
        assertTrue(a.epochs().stream().allMatch(e -> Double.isFinite(e.trainLoss()) && e.genotype() == null));
        assertTrue(probe.calls >= 3 && probe.calls <= 5, "one scoring per distinct candidate, got " + probe.calls);
        assertEquals(Set.of(MixedOp.Mode.SINGLE_PATH), probe.modes);
        assertEquals(a.result().genotype(), b.result().genotype());
        assertEquals(a.result().proxyScore(), b.result().proxyScore());
        assertTrue(a.result().proxyScore() >= 0 && a.result().proxyScore() <= 1);
        assertNotEquals(0, a.result().trajectory().size());
        assertEquals(a.result().proxyScore(), a.result().trajectory().get(a.result().trajectory().size() - 1));
    }

    @Test
    void oneShotAlgorithmsDeclareWeightParametersButNoArchitectureOnes() {
        for (String id : List.of("spos", "rsws")) {
            var names = Algorithms.byId(id).parameters().stream().map(p -> p.name()).toList();
            assertTrue(names.contains("learning-rate") && names.contains("score-images"), names.toString());
            assertTrue(names.stream().noneMatch(n -> n.startsWith("arch-")), names.toString());
        }
    }
}
