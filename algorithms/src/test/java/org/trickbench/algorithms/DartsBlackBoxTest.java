package org.trickbench.algorithms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.trickbench.core.UserInputException;
import org.trickbench.core.run.AlgorithmSetting;
import org.trickbench.core.run.RunSpec;
import org.trickbench.core.search.BudgetUse;
import org.trickbench.core.search.Family;
import org.trickbench.core.search.SearchAlgorithm;
import org.trickbench.core.search.SearchContext;
import org.trickbench.core.search.SearchResult;
import org.trickbench.core.seed.Seeds;
import org.trickbench.core.space.Architecture;
import org.trickbench.core.space.SearchSpaces;
import org.trickbench.core.space.darts.DartsGenotype;
import org.trickbench.core.space.darts.DartsGenotype.Edge;
import org.trickbench.core.space.darts.DartsOp;
import org.trickbench.core.train.Fidelity;
import org.trickbench.core.train.Protocol;

/**
 * The black-box algorithms and baselines on the DARTS space, scored by a synthetic fitness: they propose
 * only DARTS genotypes, are deterministic under a seed, keep their budgets, and the space-dependent
 * checks (bounds, named cells, supported spaces) follow the run's space.
 */
class DartsBlackBoxTest {
    /** The searches that spend an evaluation budget, with it set to {@code budget}. */
    private static Map<String, Object> budget(String algorithm, int budget) {
        return switch (algorithm) {
            case RandomSearch.ID -> Map.of("candidates", budget);
            case RegularizedEvolution.ID -> Map.of("evaluations", budget, "population", 10, "sample", 3);
            case LocalSearch.ID -> Map.of("evaluations", budget);
            default -> throw new AssertionError(algorithm);
        };
    }

    /**
     * The number of separable 3×3 convolutions over both cells (0..16), plus a tie-break below 1 from the
     * inputs: every genotype with more of them scores higher.
     */
    static double sepConvFitness(Architecture a) {
        DartsGenotype g = DartsGenotype.from(a);
        int sep = 0;
        int inputs = 0;
        for (boolean reduction : new boolean[] {false, true}) {
            for (Edge e : g.cell(reduction)) {
                sep += e.op() == DartsOp.SEP_CONV_3X3 ? 1 : 0;
                inputs += e.input();
            }
        }
        return sep + inputs / 100.0;
    }

    static RunSpec spec(String algorithm, Map<String, Object> params, long seed) {
        Fidelity f = new Fidelity(4, 1, 1, 500, 16);
        return new RunSpec("fashion-mnist", SearchSpaces.DARTS, new AlgorithmSetting(algorithm, params), List.of(), f, f,
                Protocol.nasBench201(), seed);
    }

    /** A search with every genotype it asked the evaluator about. */
    private record Run(SearchResult result, List<DartsGenotype> scored) {}

    private static Run search(String algorithm, Map<String, Object> params, long seed) {
        List<DartsGenotype> scored = new ArrayList<>();
        SearchAlgorithm a = Algorithms.byId(algorithm);
        a.validate(new AlgorithmSetting(algorithm, params), SearchSpaces.byId(SearchSpaces.DARTS));
        SearchResult r = a.search(SearchContext.of(spec(algorithm, params, seed), new Seeds(seed), arch -> {
            scored.add(assertInstanceOf(DartsGenotype.class, arch));
            return sepConvFitness(arch);
        }));
        return new Run(r, scored);
    }

    @ParameterizedTest
    @ValueSource(strings = {RandomSearch.ID, RegularizedEvolution.ID, LocalSearch.ID})
    void searchesDartsGenotypesDeterministicallyWithinTheirBudget(String algorithm) {
        Run a = search(algorithm, budget(algorithm, 150), 3);
        Run b = search(algorithm, budget(algorithm, 150), 3);
        Run c = search(algorithm, budget(algorithm, 150), 4);
        assertEquals(a.result().genotype(), b.result().genotype(), "one seed, one search");
        assertEquals(a.result().trajectory(), b.result().trajectory());
        assertEquals(a.scored(), b.scored());
        assertNotEquals(a.scored(), c.scored(), "another seed, another search");
        SearchResult r = a.result();
        DartsGenotype found = assertInstanceOf(DartsGenotype.class, r.genotype());
        assertEquals(150, new HashSet<>(a.scored()).size(), "every evaluation of the budget, each a new genotype");
        assertEquals(new BudgetUse(0, 150, BudgetUse.Stop.COMPLETE), r.budget());
        double best = a.scored().stream().mapToDouble(DartsBlackBoxTest::sepConvFitness).max().orElseThrow();
        assertEquals(best, r.proxyScore());
        assertEquals(sepConvFitness(found), r.proxyScore());
        assertEquals(150, r.trajectory().size());
        for (int i = 1; i < r.trajectory().size(); i++) {
            assertTrue(r.trajectory().get(i) >= r.trajectory().get(i - 1));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {RegularizedEvolution.ID, LocalSearch.ID})
    void aGuidedSearchBeatsTheBestOfItsFirstDraws(String algorithm) {
        // A uniform genotype has 16/7 ≈ 2.3 separable 3×3 convolutions; climbing one edge at a time finds many more.
        Run run = search(algorithm, budget(algorithm, 400), 1);
        double firstTen = run.scored().subList(0, 10).stream().mapToDouble(DartsBlackBoxTest::sepConvFitness).max()
                .orElseThrow();
        assertTrue(run.result().proxyScore() >= firstTen + 3, run.result().proxyScore() + " vs " + firstTen);
    }

    @Test
    void theRandomBaselineDrawsAReproducibleDartsGenotypePerIndex() {
        RandomBaseline baseline = new RandomBaseline();
        Architecture first = baseline.search(SearchContext.of(spec("random", Map.of("index", 0), 2), new Seeds(2), null))
                .genotype();
        assertInstanceOf(DartsGenotype.class, first);
        assertEquals(first, baseline.search(SearchContext.of(spec("random", Map.of("index", 0), 2), new Seeds(2), null))
                .genotype());
        assertNotEquals(first, baseline.search(SearchContext.of(spec("random", Map.of("index", 1), 2), new Seeds(2),
                null)).genotype());
    }

    @Test
    void fixedTrainsAPublishedDartsCellByNameOrString() {
        FixedGenotype fixed = new FixedGenotype();
        assertEquals(DartsGenotype.DARTS_V2, fixed.search(SearchContext.of(spec("fixed", Map.of("genotype", "darts-v2"), 0),
                new Seeds(0), null)).genotype());
        assertEquals(DartsGenotype.PC_DARTS_CIFAR, FixedGenotype.architecture(new AlgorithmSetting("fixed",
                Map.of("genotype", "pc-darts")), SearchSpaces.byId("darts")));
        String written = DartsGenotype.PDARTS.canonical();
        assertEquals(DartsGenotype.PDARTS, fixed.search(SearchContext.of(spec("fixed", Map.of("genotype", written), 0),
                new Seeds(0), null)).genotype());
        for (String name : List.of("darts-v1", "darts-v2", "pdarts", "pc-darts", "pc-darts-imagenet")) {
            fixed.validate(new AlgorithmSetting("fixed", Map.of("genotype", name)), SearchSpaces.byId("darts"));
        }
    }

    @Test
    void fixedRefusesACellOfTheOtherSpaceNamingBoth() {
        FixedGenotype fixed = new FixedGenotype();
        UserInputException onNb201 = assertThrows(UserInputException.class, () -> fixed.validate(
                new AlgorithmSetting("fixed", Map.of("genotype", "darts-v2")), SearchSpaces.byId("nb201")));
        assertEquals("algorithm 'fixed': genotype 'darts-v2' is a reference of space darts, but the matrix's space is"
                + " nb201; its references: nb201-best, resnet, darts-collapse", onNb201.getMessage());
        UserInputException onDarts = assertThrows(UserInputException.class, () -> fixed.validate(
                new AlgorithmSetting("fixed", Map.of("genotype", "|nor_conv_3x3~0|+|none~0|nor_conv_3x3~1|+|skip_connect~0|"
                        + "none~1|none~2|")), SearchSpaces.byId("darts")));
        assertTrue(onDarts.getMessage().contains("is neither a genotype string of space darts"), onDarts.getMessage());
        assertTrue(onDarts.getMessage().contains("darts-v1, darts-v2, pdarts, pc-darts, pc-darts-imagenet"),
                onDarts.getMessage());
        UserInputException malformed = assertThrows(UserInputException.class, () -> fixed.validate(
                new AlgorithmSetting("fixed", Map.of("genotype", "Genotype(normal=[('sep_conv_3x3', 7)")),
                SearchSpaces.byId("darts")));
        assertTrue(malformed.getMessage().startsWith("algorithm 'fixed': "), malformed.getMessage());
    }

    @Test
    void budgetsBeyondNasBench201sSizeAreRefusedThereOnlyAndNamed() {
        for (String algorithm : List.of(RandomSearch.ID, RegularizedEvolution.ID, LocalSearch.ID)) {
            SearchAlgorithm a = Algorithms.byId(algorithm);
            AlgorithmSetting big = new AlgorithmSetting(algorithm, budget(algorithm, 20_000));
            a.validate(big, SearchSpaces.byId("darts"));
            UserInputException e = assertThrows(UserInputException.class, () -> a.validate(big, SearchSpaces.byId("nb201")));
            assertTrue(e.getMessage().contains("=20000") && e.getMessage().contains("<= 15625"), e.getMessage());
            a.validate(big); // without a space, the declared bounds only: the matrix checks with its space
        }
    }

    @Test
    void blackBoxAlgorithmsSupportEverySpaceAndEveryAlgorithmNasBench201() {
        for (SearchAlgorithm a : Algorithms.all()) {
            if (a.family() == Family.BLACK_BOX) {
                assertEquals(SearchSpaces.ids(), a.spaces(), a.id());
            }
            assertTrue(a.spaces().contains("nb201"), a.id());
            assertTrue(SearchSpaces.ids().containsAll(a.spaces()), a.id() + " names only known spaces");
        }
        for (Family family : Family.values()) {
            SearchAlgorithm declaresNothing = new SearchAlgorithm() {
                @Override
                public String id() {
                    return "bare";
                }

                @Override
                public Family family() {
                    return family;
                }

                @Override
                public String reference() {
                    return "none, 2026";
                }

                @Override
                public String description() {
                    return "declares no spaces";
                }

                @Override
                public SearchResult search(SearchContext context) {
                    throw new UnsupportedOperationException();
                }
            };
            assertEquals(family == Family.BLACK_BOX ? List.of("nb201", "darts") : List.of("nb201"),
                    declaresNothing.spaces(), "the default of a " + family + " algorithm");
        }
    }
}
