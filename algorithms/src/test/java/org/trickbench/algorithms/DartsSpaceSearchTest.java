package org.trickbench.algorithms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.trickbench.core.UserInputException;
import org.trickbench.core.data.DataPreparation;
import org.trickbench.core.data.PreparedData;
import org.trickbench.core.run.AlgorithmSetting;
import org.trickbench.core.run.RunSpec;
import org.trickbench.core.seed.Seeds;
import org.trickbench.core.space.darts.DartsGenotype;
import org.trickbench.core.space.darts.DartsOp;
import org.trickbench.core.train.Fidelity;

/**
 * The gradient searches on the DARTS search network: a tiny supernet (C=4, N=1, so L=5) on 8-px images,
 * one epoch of one step (eight training and eight validation images, batch 8).
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
    void oneShotSearchesRefuseTheDartsSpaceBeforeTrainingAndGradientSearchesDeclareIt() {
        for (String id : List.of("spos", "rsws")) {
            SupernetSearch oneShot = (SupernetSearch) Algorithms.byId(id);
            UserInputException e = assertThrows(UserInputException.class, () -> oneShot.run(
                    SupernetFixtures.context(spec(id, SupernetFixtures.smallBatch(), 1), data, List.of())));
            assertTrue(e.getMessage().contains("'darts'") && e.getMessage().contains("allowed: nb201"), e.getMessage());
        }
        for (String id : List.of("darts-v1", "darts-v2", "gdas")) {
            assertEquals(List.of("nb201", "darts"), Algorithms.byId(id).spaces(), id);
        }
        for (String id : List.of("spos", "rsws")) {
            assertEquals(List.of("nb201"), Algorithms.byId(id).spaces(), id);
        }
    }
}
