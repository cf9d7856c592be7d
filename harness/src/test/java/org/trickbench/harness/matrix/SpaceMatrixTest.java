package org.trickbench.harness.matrix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.trickbench.core.UserInputException;
import org.trickbench.core.run.RunSpec;
import org.trickbench.core.search.Family;
import org.trickbench.core.search.SearchAlgorithm;
import org.trickbench.core.search.SearchContext;
import org.trickbench.core.search.SearchResult;

/** A matrix's space: which are known, which algorithms may search it, and bounds checked for it. */
class SpaceMatrixTest {
    private static final String DARTS = String.join("\n",
            "name: d",
            "space: darts",
            "datasets: [fashion-mnist]",
            "final-fidelity: {channels: 4, cells: 1, epochs: 1, train-subset: 100, resolution: 16}",
            "seeds: [0]",
            "baseline-size: 2",
            "");

    @Test
    void theDartsSmokePresetSearchesAndSamplesTheDartsSpace() {
        MatrixDefinition m = Matrices.load("darts-smoke");
        List<RunSpec> runs = Expansion.expand(m);
        assertEquals(3, runs.size(), "two random genotypes and one random search");
        assertTrue(runs.stream().allMatch(r -> r.space().equals("darts")));
        assertEquals(2, runs.stream().filter(r -> r.algorithm().id().equals("random")).count());
        assertEquals(8, m.fin().resolution());
    }

    @Test
    void blackBoxAlgorithmsAndReferenceCellsAreAcceptedOnDartsWithBudgetsBeyondNasBench201() {
        MatrixDefinition m = Matrices.parse(DARTS + "algorithms:\n  - {id: rea, params: {evaluations: 20000}}\n"
                + "  - {id: local-search, params: {evaluations: 16000}}\n  - {id: random-search, params: {candidates: 2}}\n"
                + "  - {id: fixed, params: {genotype: pdarts}}\n", "d.yaml");
        assertEquals(2 + 4, Expansion.expand(m).size());
    }

    @Test
    void oneShotAlgorithmsAreAcceptedOnDartsWithDartssOwnWeightSettings() {
        MatrixDefinition m = Matrices.parse(DARTS + "algorithms:\n  - rea\n  - spos\n  - {id: rsws, params: {samples: 5}}\n",
                "d.yaml");
        List<RunSpec> oneShot = Expansion.expand(m).stream()
                .filter(r -> List.of("spos", "rsws").contains(r.algorithm().id())).toList();
        assertEquals(2, oneShot.size());
        for (RunSpec r : oneShot) {
            // DARTS's train_search.py: plain momentum, weight decay 3e-4; a one-shot search has no α settings.
            assertEquals(false, r.algorithm().params().get("nesterov"), r.canonicalJson());
            assertEquals(3e-4, ((Number) r.algorithm().params().get("weight-decay")).doubleValue(), r.canonicalJson());
            assertTrue(r.algorithm().params().keySet().stream().noneMatch(k -> k.startsWith("arch-")), r.canonicalJson());
        }
    }

    @Test
    void anAlgorithmIsRefusedOnASpaceItDoesNotSearchNamingAlgorithmSpaceAndSupportedSpaces() {
        // By default a supernet algorithm declares NAS-Bench-201 only.
        SearchAlgorithm nb201Only = new SearchAlgorithm() {
            @Override
            public String id() {
                return "nb201-only";
            }

            @Override
            public Family family() {
                return Family.ONE_SHOT;
            }

            @Override
            public String reference() {
                return "none";
            }

            @Override
            public String description() {
                return "a search that declares only NAS-Bench-201";
            }

            @Override
            public SearchResult search(SearchContext context) {
                throw new AssertionError("never run");
            }
        };
        Expansion.requireSpace(nb201Only, "nb201");
        UserInputException e = assertThrows(UserInputException.class, () -> Expansion.requireSpace(nb201Only, "darts"));
        assertEquals("algorithm 'nb201-only' does not search space 'darts'; it supports: nb201", e.getMessage());
    }

    @Test
    void anUnknownSpaceListsBoth() {
        UserInputException e = assertThrows(UserInputException.class,
                () -> Matrices.parse(DARTS.replace("space: darts", "space: nb301"), "d.yaml"));
        assertEquals("d.yaml line 2: space 'nb301' is not known; allowed: nb201, darts", e.getMessage());
    }

    @Test
    void budgetsBeyondNasBench201sCellsAreRefusedThere() {
        UserInputException e = assertThrows(UserInputException.class, () -> Matrices.parse(
                DARTS.replace("space: darts", "space: nb201") + "algorithms: [{id: random-search, params: {candidates: 16000}}]\n",
                "n.yaml"));
        assertTrue(e.getMessage().startsWith("n.yaml line 7: algorithm 'random-search': candidates=16000 is out of range;"
                + " allowed: integer 1 <= candidates <= 15625"), e.getMessage());
    }

    @Test
    void aStoredDartsMatrixIsReadBackAndCheckedAgain() {
        MatrixDefinition m = Matrices.load("darts-smoke");
        String json = org.trickbench.core.run.Canonical.json(m);
        assertEquals(Expansion.expand(m), Expansion.expand(Matrices.fromStored(json, "stored")));
        UserInputException e = assertThrows(UserInputException.class, () -> Matrices.fromStored(
                json.replace("{\"candidates\":2}", "{\"candidates\":0}"), "stored matrix d"));
        assertTrue(e.getMessage().contains("candidates=0 is out of range"), e.getMessage());
    }

    @Test
    void aSupernetSearchOnDartsNamesDartssOwnSearchSettingsInItsRunSpec() {
        List<RunSpec> darts = Expansion.expand(Matrices.load("darts-ci")).stream()
                .filter(r -> r.algorithm().id().equals("gdas")).toList();
        List<RunSpec> nb201 = Expansion.expand(Matrices.load("ci")).stream()
                .filter(r -> r.algorithm().id().equals("gdas")).toList();
        assertTrue(!darts.isEmpty() && !nb201.isEmpty());
        for (RunSpec r : darts) {
            // DARTS's train_search.py: plain momentum, weight decay 3e-4.
            assertEquals(false, r.algorithm().params().get("nesterov"), r.canonicalJson());
            assertEquals(3e-4, ((Number) r.algorithm().params().get("weight-decay")).doubleValue(), r.canonicalJson());
        }
        for (RunSpec r : nb201) {
            assertEquals(true, r.algorithm().params().get("nesterov"), r.canonicalJson());
            assertEquals(5e-4, ((Number) r.algorithm().params().get("weight-decay")).doubleValue(), r.canonicalJson());
        }
    }
}
