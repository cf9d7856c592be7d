package org.trickbench.algorithms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.trickbench.core.UserInputException;
import org.trickbench.core.param.ParameterContracts;
import org.trickbench.core.param.ParameterSpec;
import org.trickbench.core.run.AlgorithmSetting;
import org.trickbench.core.run.RunSpec;
import org.trickbench.core.search.BudgetUse;
import org.trickbench.core.search.Family;
import org.trickbench.core.search.SearchAlgorithm;
import org.trickbench.core.search.SearchContext;
import org.trickbench.core.search.SearchResult;
import org.trickbench.core.seed.Seeds;

/**
 * What every search algorithm the registry finds must do, checked for each one from its own declarations,
 * so that adding an algorithm is its class, its line in {@code META-INF/services} and a test of its own
 * behaviour:
 *
 * <ul>
 *   <li>its parameters: every default and bound resolves and survives a run spec's canonical JSON, and a
 *       value out of range or of the wrong kind is refused naming the algorithm, the parameter and what is
 *       allowed ({@link ParameterContracts}); it declares the {@code seconds} budget, unset;
 *   <li>one seed, one search: the same genotype, scores, trajectory, budget use and per-epoch metrics twice;
 *   <li>its budgets: never more epochs than its search fidelity has, never more distinct candidates than a
 *       parameter counted in {@value EvaluationBudget#UNIT} allows, and a spent {@code seconds} budget ends it
 *       after the unit of work under way (one evaluation, one epoch, one candidate scored).
 * </ul>
 *
 * <p>Every search runs on the same small problem: a synthetic fitness for black-box searches, 16 training and
 * 16 validation images of 8 px for supernets (C = 4, N = 1, two epochs), and a clock that moves one second each
 * time it is read, so that time budgets end every search after a few units of work, whatever the machine.
 */
class SearchAlgorithmContract {
    @RegisterExtension
    static final SupernetFixtures.TinyData TINY = new SupernetFixtures.TinyData();
    private static final long SEED = 5;
    /** The clock readings that bound the searches compared for determinism: a few evaluations or epochs. */
    private static final int DETERMINISM_SECONDS = 12;

    /** A search and the distinct cells its evaluator was asked to score. */
    private record Run(SearchResult result, int evaluated) {}

    /**
     * Values for the parameters that have no default but must be set: a text parameter without a default
     * names the cell to train (fixed's {@code genotype}).
     */
    static Map<String, Object> required(SearchAlgorithm a) {
        Map<String, Object> values = new HashMap<>();
        for (ParameterSpec p : a.parameters()) {
            if (p.defaultValue() == null && p.kind() == ParameterSpec.Kind.STRING) {
                values.put(p.name(), SearchFixtures.ALL_CONV3X3.toString());
            }
        }
        return values;
    }

    /** The parameters that count the distinct candidates a search may score. */
    static List<ParameterSpec> evaluationBudgets(SearchAlgorithm a) {
        return a.parameters().stream().filter(p -> p.unit().equals(EvaluationBudget.UNIT)).toList();
    }

    /** Searches the small problem with the required values and {@code params}, checking the epochs it spent. */
    private static Run search(SearchAlgorithm a, Map<String, Object> params) {
        Map<String, Object> all = new HashMap<>(required(a));
        all.putAll(params);
        RunSpec spec = SupernetFixtures.spec(a.id(), all, SupernetFixtures.TINY, SEED);
        a.validate(spec.algorithm());
        SearchFixtures.CountingEvaluator evaluator = new SearchFixtures.CountingEvaluator(SearchFixtures::conv3x3Fitness);
        SearchResult r = a.search(new SearchContext(spec, new Seeds(SEED), evaluator, TINY::data, List.of(), FakeClock.ticking()));
        assertNotNull(r.genotype(), "a search always has an answer");
        BudgetUse use = r.budget();
        assertTrue(use.epochs() <= spec.searchFidelity().epochs(), "epochs beyond the search fidelity's: " + use);
        assertEquals(use.epochs(), r.epochs().size(), "one row of metrics per epoch trained");
        int evaluated = new HashSet<>(evaluator.calls).size();
        if (a.family() == Family.BLACK_BOX) {
            assertEquals(use.evaluations(), evaluated, "the evaluations it reports are the cells it had scored");
        } else {
            assertEquals(0, evaluated, "a supernet search scores with its shared weights, not standalone trainings");
        }
        return new Run(r, evaluated);
    }

    @TestFactory
    Stream<DynamicContainer> everyRegisteredAlgorithm() {
        return Algorithms.all().stream().map(a -> {
            List<DynamicNode> checks = new ArrayList<>();
            checks.add(dynamicContainer("parameters", ParameterContracts.algorithm(a.id(), a.parameters(), required(a),
                    params -> a.validate(new AlgorithmSetting(a.id(), params)))));
            checks.add(dynamicTest("declares id, family, reference and the seconds budget, unset", () -> declarations(a)));
            checks.add(dynamicTest("finds the same genotype twice under one seed", () -> deterministic(a)));
            checks.add(dynamicTest("a spent seconds budget ends it after the unit of work under way", () -> timeBudget(a)));
            for (ParameterSpec budget : evaluationBudgets(a)) {
                checks.add(dynamicTest("scores at most '" + budget.name() + "' distinct candidates",
                        () -> evaluationBudget(a, budget)));
            }
            return dynamicContainer(a.id(), checks);
        });
    }

    private static void declarations(SearchAlgorithm a) {
        assertTrue(a.id().matches("[a-z0-9]+(-[a-z0-9]+)*"), "id " + a.id());
        assertSame(a, Algorithms.byId(a.id()));
        assertNotNull(a.family(), "family");
        assertTrue(a.reference().matches(".*(19|20)\\d\\d.*"), "the reference needs a year: " + a.reference());
        assertFalse(a.description().isBlank(), "description");
        a.parameters().forEach(p -> assertFalse(p.help().isBlank(), p.name() + ": help"));
        assertEquals(List.of(a.id(), a.family(), a.searches(), a.parameters()),
                List.of(a.info().id(), a.info().family(), a.info().searches(), a.info().parameters()),
                "bench list prints what the algorithm declares");
        assertTrue(a.parameters().contains(TimeBudget.parameter()),
                "declares 'seconds' with no default, so that runs without it keep their ids");
    }

    private static void deterministic(SearchAlgorithm a) {
        Map<String, Object> bounded = Map.of(TimeBudget.PARAMETER, DETERMINISM_SECONDS);
        SearchResult once = search(a, bounded).result();
        SearchResult twice = search(a, bounded).result();
        assertEquals(once.genotype(), twice.genotype(), "the genotype found");
        assertEquals(once, twice, "everything the search recorded");
    }

    private static void timeBudget(SearchAlgorithm a) {
        Run run = search(a, Map.of(TimeBudget.PARAMETER, 1));
        BudgetUse use = run.result().budget();
        assertTrue(use.epochs() <= 1 && use.evaluations() <= 1 && run.evaluated() <= 1,
                "more than one unit of work after the budget was spent: " + use);
        if (a.searches()) {
            assertEquals(BudgetUse.Stop.SECONDS, use.stop(), "what ended the search");
        }
    }

    /** The smallest budget from five up that the algorithm accepts with its other defaults (rea's is its population). */
    private static void evaluationBudget(SearchAlgorithm a, ParameterSpec budget) {
        int limit = Math.max((int) budget.min(), Math.min((Integer) budget.defaultValue(), 5));
        while (!accepts(a, Map.of(budget.name(), limit))) {
            limit++;
            assertTrue(limit <= (Integer) budget.defaultValue(), "refuses every budget up to its default");
        }
        Run run = search(a, Map.of(budget.name(), limit));
        BudgetUse use = run.result().budget();
        assertTrue(use.evaluations() <= limit, use + " with " + budget.name() + "=" + limit);
        assertNotEquals(BudgetUse.Stop.SECONDS, use.stop(), "no time budget was set");
    }

    private static boolean accepts(SearchAlgorithm a, Map<String, Object> params) {
        Map<String, Object> all = new HashMap<>(required(a));
        all.putAll(params);
        try {
            a.validate(new AlgorithmSetting(a.id(), all));
            return true;
        } catch (UserInputException e) {
            return false;
        }
    }
}
