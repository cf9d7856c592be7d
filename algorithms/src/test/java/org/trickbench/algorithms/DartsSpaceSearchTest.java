package org.trickbench.algorithms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.trickbench.core.data.DataPreparation;
import org.trickbench.core.data.PreparedData;
import org.trickbench.core.param.ParameterSpec;
import org.trickbench.core.run.AlgorithmSetting;
import org.trickbench.core.run.RunSpec;
import org.trickbench.core.search.BudgetUse;
import org.trickbench.core.search.SearchAlgorithm;
import org.trickbench.core.seed.Seeds;
import org.trickbench.core.space.darts.DartsGenotype;
import org.trickbench.core.space.darts.DartsOp;
import org.trickbench.core.space.darts.DartsSupernet;
import org.trickbench.core.train.Batch;
import org.trickbench.core.train.Fidelity;
import org.trickbench.core.train.Protocol;
import org.trickbench.core.train.StepContext;
import org.trickbench.core.train.SupernetSearchHook;
import org.trickbench.core.train.SupernetSession;
import org.trickbench.core.train.TrainingHook;
import org.trickbench.core.train.WeightTrainingHook;

/**
 * The supernet searches on the DARTS search network, gradient and one-shot: a tiny supernet (C=4, N=1,
 * so L=5) on 8-px images, one epoch of one step (eight training and eight validation images, batch 8).
 */
class DartsSpaceSearchTest {
    private static final Fidelity ONE_EPOCH = new Fidelity(4, 1, 1, 0, 0);
    private static NDManager manager;
    private static PreparedData data;

    @BeforeAll
    static void prepare() {
        manager = NDManager.newBaseManager();
        data = DataPreparation.prepare(SupernetFixtures.topBottom(16, 8), ONE_EPOCH, new Seeds(1),
                DataPreparation.Purpose.SEARCH, manager, Device.cpu());
    }

    @AfterAll
    static void release() {
        manager.close();
    }

    private static RunSpec spec(String id, Map<String, Object> params, long seed) {
        RunSpec nb201 = SupernetFixtures.spec(id, params, ONE_EPOCH, seed);
        return new RunSpec(nb201.dataset(), "darts", nb201.algorithm(), nb201.tricks(), nb201.searchFidelity(),
                nb201.finalFidelity(), nb201.protocol(), seed);
    }

    private static SupernetOutcome run(String id, long seed) {
        SupernetSearch algorithm = (SupernetSearch) Algorithms.byId(id);
        return algorithm.run(SupernetFixtures.context(spec(id, SupernetFixtures.smallBatch(), seed), data, List.of()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"darts-v1", "darts-v2", "gdas"})
    void returnsDartssDiscretisationOfAlphaAndRepeatsBitForBitUnderTheSameSeed(String id) {
        SupernetOutcome a = run(id, 3);
        SupernetOutcome b = run(id, 3);
        DartsGenotype chosen = (DartsGenotype) a.architecture();
        assertEquals(chosen, DartsGenotype.parse(chosen.canonical()), "a valid DARTS genotype");
        for (boolean reduction : new boolean[] {false, true}) {
            assertTrue(chosen.cell(reduction).stream().noneMatch(e -> e.op() == DartsOp.NONE), chosen.canonical());
        }
        double[][] alpha = a.alpha();
        assertEquals(28, alpha.length, "α_normal's 14 rows, then α_reduce's");
        assertEquals(DartsGenotype.fromAlpha(Arrays.copyOfRange(alpha, 0, 14), Arrays.copyOfRange(alpha, 14, 28)),
                chosen, "DARTS's top-2 discretisation of the final α");
        assertEquals(chosen, b.architecture());
        assertEquals(chosen, a.result().genotype(), "the result the harness stores carries the DARTS genotype");
        assertTrue(Arrays.deepEquals(a.alpha(), b.alpha()), "the same seed trains the same α");
        for (int i = 0; i < a.epochs().size(); i++) {
            SupernetEpoch x = a.epochs().get(i);
            SupernetEpoch y = b.epochs().get(i);
            assertEquals(x.trainLoss(), y.trainLoss(), 0.0);
            assertEquals(x.trainAccuracy(), y.trainAccuracy(), 0.0);
            assertEquals(x.validLoss(), y.validLoss(), 0.0);
            assertEquals(x.validAccuracy(), y.validAccuracy(), 0.0);
            assertEquals(x.alphaEntropy(), y.alphaEntropy(), 0.0);
            assertEquals(x.argmaxAccuracy(), y.argmaxAccuracy(), 0.0);
            assertEquals(x.genotype(), y.genotype());
        }
        assertFalse(Arrays.deepEquals(a.initialAlpha(), a.alpha()), "α must have been trained");
        assertFalse(a.diverged());
        assertEquals(1, a.epochs().size());
        SupernetEpoch epoch = a.epochs().get(0);
        assertTrue(Double.isFinite(epoch.trainLoss()) && Double.isFinite(epoch.validLoss()), epoch.toString());
        assertTrue(epoch.alphaEntropy() > 0 && epoch.alphaEntropy() <= Math.log(8) + 1e-9, epoch.toString());
        assertTrue(epoch.argmaxAccuracy() >= 0 && epoch.argmaxAccuracy() <= 1, epoch.toString());
        assertEquals(chosen, epoch.genotype());
    }

    @Test
    void dartsSpaceDefaultsAreDartssOwnSearchSettingsAndGivenValuesWin() {
        SupernetSearch darts = (SupernetSearch) Algorithms.byId("darts-v1");
        AlgorithmSetting plain = new AlgorithmSetting("darts-v1", Map.of());
        SupernetSettings d = SupernetSettings.from(darts.resolve(plain), plain.params(), "darts");
        assertEquals(new SupernetSettings(0.025, 0.001, 0.9, false, 3e-4, 64, 5, 3e-4, 1e-3, 0.5, 0.999), d);
        assertEquals(SupernetSettings.benchmark(), SupernetSettings.from(darts.resolve(plain), plain.params(), "nb201"));
        Map<String, Object> given = new HashMap<>();
        given.put("weight-decay", 5e-4);
        given.put("nesterov", true);
        given.put("arch-beta1", 0.9);
        AlgorithmSetting set = new AlgorithmSetting("darts-v1", given);
        SupernetSettings s = SupernetSettings.from(darts.resolve(set), set.params(), "darts");
        assertEquals(5e-4, s.weightDecay());
        assertTrue(s.nesterov());
        assertEquals(0.9, s.archBeta1());
        assertEquals(3e-4, s.archLearningRate());
    }

    @Test
    void everySupernetSearchDeclaresBothSpaces() {
        for (String id : List.of("darts-v1", "darts-v2", "gdas", "spos", "rsws")) {
            assertEquals(List.of("nb201", "darts"), Algorithms.byId(id).spaces(), id);
        }
    }

    /** Records the single path the DARTS supernet runs whenever a candidate is about to be scored. */
    private static final class ScoredPaths implements SupernetSearchHook {
        final List<DartsGenotype> paths = new ArrayList<>();

        @Override
        public void beforeScoring(SupernetSession session) {
            paths.add(session.supernet(DartsSupernet.class).singlePath());
        }
    }

    private static Map<String, Object> fiveCandidates(String id) {
        Map<String, Object> params = new HashMap<>(SupernetFixtures.smallBatch());
        params.putAll(id.equals("rsws") ? Map.of("samples", 5)
                : Map.of("population", 3, "generations", 1, "top-k", 2, "mutations", 1, "crossovers", 1));
        return params;
    }

    private static SupernetOutcome oneShot(String id, long seed, List<TrainingHook> hooks) {
        SupernetSearch algorithm = (SupernetSearch) Algorithms.byId(id);
        return algorithm.run(SupernetFixtures.context(spec(id, fiveCandidates(id), seed), data, hooks));
    }

    @ParameterizedTest
    @ValueSource(strings = {"spos", "rsws"})
    void oneShotSearchesScoreDartsGenotypesAsSinglePathsAndRepeatUnderTheSameSeed(String id) {
        ScoredPaths probe = new ScoredPaths();
        SupernetOutcome a = oneShot(id, 3, List.of(probe));
        SupernetOutcome b = oneShot(id, 3, List.of());
        SupernetOutcome other = oneShot(id, 4, List.of());
        DartsGenotype chosen = (DartsGenotype) a.result().genotype();
        assertEquals(chosen, DartsGenotype.parse(chosen.canonical()), "a valid DARTS genotype");
        assertEquals(5, probe.paths.size(), "five distinct candidates, each scored once as a single path");
        assertEquals(5, new HashSet<>(probe.paths).size(), probe.paths.toString());
        assertTrue(probe.paths.contains(chosen), "the choice is one of the candidates scored");
        probe.paths.forEach(DartsSpaceSearchTest::assertValidCandidate);
        assertEquals(new BudgetUse(1, 5, BudgetUse.Stop.COMPLETE), a.result().budget());
        assertEquals(5, a.result().trajectory().size());
        assertEquals(a.result().proxyScore(), a.result().trajectory().get(4));
        assertTrue(a.result().proxyScore() >= 0 && a.result().proxyScore() <= 1);
        assertTrue(Arrays.deepEquals(a.initialAlpha(), a.alpha()), "one-shot training never moves α");
        assertTrue(a.epochs().stream().allMatch(e -> Double.isFinite(e.trainLoss()) && e.genotype() == null));
        assertEquals(chosen, b.result().genotype());
        assertEquals(a.result().proxyScore(), b.result().proxyScore());
        assertEquals(a.epochs().get(0).trainLoss(), b.epochs().get(0).trainLoss(), 0.0);
        assertNotEquals(chosen, other.result().genotype(), "another seed draws other candidates");
    }

    /** Two distinct inputs into each node, each in range, and an op other than {@code none} on every edge. */
    static void assertValidCandidate(DartsGenotype g) {
        assertEquals(g, DartsGenotype.parse(g.canonical()));
        for (boolean reduction : new boolean[] {false, true}) {
            List<DartsGenotype.Edge> cell = g.cell(reduction);
            for (int node = 0; node < DartsGenotype.NODES; node++) {
                DartsGenotype.Edge first = cell.get(2 * node);
                DartsGenotype.Edge second = cell.get(2 * node + 1);
                assertNotEquals(first.input(), second.input(), "node " + node + " of " + g);
                assertTrue(first.op() != DartsOp.NONE && second.op() != DartsOp.NONE, g.canonical());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"spos", "rsws"})
    void aSpentTimeBudgetStopsOneShotScoringOnDartsAtTheCandidateThatSpendsIt(String id) {
        FakeClock clock = new FakeClock();
        Map<String, Object> params = new HashMap<>(fiveCandidates(id));
        params.put("seconds", 3);
        SupernetSearch algorithm = (SupernetSearch) Algorithms.byId(id);
        SupernetOutcome outcome = algorithm.run(SupernetFixtures.context(spec(id, params, 3), data,
                List.of(new SupernetBudgetTest.Ticking(clock, 0, 1))).withClock(clock));
        assertEquals(new BudgetUse(1, 3, BudgetUse.Stop.SECONDS), outcome.result().budget(),
                "one second per candidate scored");
        assertEquals(3, outcome.result().trajectory().size());
    }

    @Test
    void oneShotSearchesOnDartsDefaultToDartssOwnWeightSettingsAndDeclareNoArchitectureOnes() {
        for (String id : List.of("spos", "rsws")) {
            SearchAlgorithm oneShot = Algorithms.byId(id);
            Map<String, Object> darts = defaults(oneShot.parameters("darts"));
            Map<String, Object> nb201 = defaults(oneShot.parameters("nb201"));
            assertEquals(false, darts.get("nesterov"), id);
            assertEquals(3e-4, ((Number) darts.get("weight-decay")).doubleValue(), id);
            assertEquals(true, nb201.get("nesterov"), id);
            assertEquals(5e-4, ((Number) nb201.get("weight-decay")).doubleValue(), id);
            assertEquals(oneShot.parameters(), oneShot.parameters("nb201"));
            assertEquals(nb201.keySet(), darts.keySet(), id);
            assertTrue(darts.containsKey("score-images") && darts.keySet().stream().noneMatch(n -> n.startsWith("arch-")),
                    darts.toString());
        }
    }

    /** Records the learning rate of every weight step. */
    private static final class StepRates implements WeightTrainingHook {
        final List<Double> rates = new ArrayList<>();

        @Override
        public Batch transformBatch(Batch batch, StepContext step) {
            rates.add(step.learningRate());
            return batch;
        }
    }

    /** The learning rates of a two-epoch rsws search (two steps an epoch) in {@code space} under {@code schedule}. */
    private static List<Double> searchRates(String space, String schedule) {
        Fidelity twoEpochs = new Fidelity(4, 1, 2, 0, 0);
        Protocol protocol = new Protocol(0.1, 0, 0.9, true, 5e-4, 256, 200, schedule, 1, true, 0);
        RunSpec base = SupernetFixtures.spec("rsws", Map.of("batch-size", 4, "samples", 1), twoEpochs, 1);
        RunSpec spec = new RunSpec(base.dataset(), space, base.algorithm(), base.tricks(), twoEpochs, twoEpochs,
                protocol, 1);
        StepRates probe = new StepRates();
        ((SupernetSearch) Algorithms.byId("rsws")).run(SupernetFixtures.context(spec, data, List.of(probe)));
        assertEquals(4, probe.rates.size(), "two epochs of two steps");
        return probe.rates;
    }

    @Test
    void onDartsTheWeightsFollowTheProtocolsScheduleAndOnNasBench201AlwaysTheCosinePerStep() {
        // DARTS's train_search.py: the cosine from 0.025 to 0.001 over two epochs, evaluated once per epoch.
        double second = 0.001 + 0.5 * (0.025 - 0.001) * (1 + Math.cos(Math.PI / 2));
        assertEquals(List.of(0.025, 0.025, second, second), searchRates("darts", Protocol.COSINE_EPOCH));
        List<Double> perStep = new ArrayList<>();
        for (int step = 0; step < 4; step++) {
            perStep.add(0.001 + 0.5 * (0.025 - 0.001) * (1 + Math.cos(Math.PI * step / 4)));
        }
        assertEquals(perStep, searchRates("darts", "cosine"));
        assertEquals(perStep, searchRates("nb201", Protocol.COSINE_EPOCH), "NAS-Bench-201's search ignores it");
    }

    private static Map<String, Object> defaults(List<ParameterSpec> specs) {
        Map<String, Object> all = new LinkedHashMap<>();
        specs.forEach(p -> all.put(p.name(), p.defaultValue()));
        return all;
    }
}
