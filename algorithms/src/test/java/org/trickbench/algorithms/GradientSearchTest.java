package org.trickbench.algorithms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.trickbench.core.UserInputException;
import org.trickbench.core.data.PreparedData;
import org.trickbench.core.search.Family;
import org.trickbench.core.search.SearchAlgorithm;
import org.trickbench.core.space.Architecture;
import org.trickbench.core.space.nb201.Genotype;
import org.trickbench.core.space.nb201.Nb201Supernet;
import org.trickbench.core.train.Batch;
import org.trickbench.core.train.EpochContext;
import org.trickbench.core.train.Fidelity;
import org.trickbench.core.train.StepContext;
import org.trickbench.core.train.SupernetSearchHook;
import org.trickbench.core.train.SupernetSession;
import org.trickbench.core.train.TrainingHook;
import org.trickbench.core.train.WeightTrainingHook;

class GradientSearchTest {
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

    private static SupernetOutcome run(String id, long seed, Fidelity fidelity, List<TrainingHook> hooks) {
        SupernetSearch algorithm = (SupernetSearch) Algorithms.byId(id);
        return algorithm.run(SupernetFixtures.context(SupernetFixtures.spec(id, SupernetFixtures.smallBatch(), fidelity, seed),
                data, hooks));
    }

    private static Genotype argmax(double[][] alpha) {
        Genotype g = Genotype.fromIndex(0);
        for (int e = 0; e < 6; e++) {
            int best = 0;
            for (int k = 1; k < 5; k++) {
                if (alpha[e][k] > alpha[e][best]) {
                    best = k;
                }
            }
            g = g.with(e, org.trickbench.core.space.nb201.Nb201Op.values()[best]);
        }
        return g;
    }

    @ParameterizedTest
    @ValueSource(strings = {"darts-v1", "darts-v2", "gdas"})
    void returnsTheArgmaxOfAlphaAndRepeatsBitForBitUnderTheSameSeed(String id) {
        Fidelity oneEpoch = new Fidelity(4, 1, 1, 0, 0);
        SupernetOutcome a = run(id, 3, oneEpoch, List.of());
        SupernetOutcome b = run(id, 3, oneEpoch, List.of());
        SupernetOutcome other = run(id, 4, oneEpoch, List.of());
        assertEquals(argmax(a.alpha()), a.result().genotype());
        assertEquals(a.result().genotype(), b.result().genotype());
        for (int e = 0; e < 6; e++) {
            assertArrayEquals(a.alpha()[e], b.alpha()[e], 0.0, "edge " + e);
        }
        assertFalse(Arrays.deepEquals(a.alpha(), other.alpha()), "another seed searches differently");
        assertFalse(Arrays.deepEquals(a.initialAlpha(), a.alpha()), "α must have been trained");
        assertFalse(a.diverged());
        for (SupernetEpoch epoch : a.epochs()) {
            assertTrue(Double.isFinite(epoch.trainLoss()) && Double.isFinite(epoch.validLoss()), epoch.toString());
            assertTrue(epoch.alphaEntropy() > 0 && epoch.alphaEntropy() <= Math.log(5) + 1e-9);
        }
    }

    /** Counts the steps and epochs it sees, and records α after every epoch. */
    private static final class Recorder implements WeightTrainingHook, SupernetSearchHook {
        final int holdUntilEpoch;
        int steps;
        int epochs;
        final List<double[][]> alphaAfterEpoch = new ArrayList<>();

        Recorder(int holdUntilEpoch) {
            this.holdUntilEpoch = holdUntilEpoch;
        }

        @Override
        public Batch transformBatch(Batch batch, StepContext step) {
            steps++;
            return batch;
        }

        @Override
        public boolean beforeArchitectureStep(EpochContext epoch) {
            return epoch.epoch() >= holdUntilEpoch;
        }

        @Override
        public void afterSearchEpoch(EpochContext epoch, SupernetSession session) {
            epochs++;
            alphaAfterEpoch.add(session.supernet(Nb201Supernet.class).alphaValues());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"darts-v1", "darts-v2", "gdas"})
    void runsExactlyTheFidelitysEpochsAndHoldsAlphaWhileTheHooksSaySo(String id) {
        Fidelity three = new Fidelity(4, 1, 3, 0, 0);
        Recorder recorder = new Recorder(1);
        SupernetOutcome outcome = run(id, 5, three, List.of(recorder));
        assertEquals(3, outcome.epochs().size());
        assertEquals(3, recorder.epochs);
        assertEquals(2, outcome.stepsPerEpoch(), "16 training images in batches of 8");
        assertEquals(3 * 2, recorder.steps);
        // Epoch 0 is a warm-up: α as initialised, and no validation pass recorded.
        assertTrue(Arrays.deepEquals(outcome.initialAlpha(), recorder.alphaAfterEpoch.get(0)));
        assertTrue(Double.isNaN(outcome.epochs().get(0).validAccuracy()));
        assertFalse(Arrays.deepEquals(outcome.initialAlpha(), recorder.alphaAfterEpoch.get(1)));
        assertTrue(Double.isFinite(outcome.epochs().get(1).validAccuracy()));
        List<Double> temperatures = outcome.epochs().stream().map(SupernetEpoch::temperature).toList();
        if (id.equals("gdas")) {
            // τ falls linearly from 10 at the first epoch to 0.1 at the last.
            assertEquals(List.of(10.0, 5.05, 0.1), temperatures);
        } else {
            assertTrue(temperatures.stream().allMatch(t -> Double.isNaN(t)), "DARTS has no temperature");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"darts-v2", "gdas"})
    void liveArrayCountStaysFlatFromEpochToEpoch(String id) {
        NDManager system = manager.getParentManager();
        List<Integer> counts = new ArrayList<>();
        TrainingHook count = new WeightTrainingHook() {
            @Override
            public void afterEpoch(EpochContext epoch) {
                counts.add(system.getManagedArrays().size());
            }
        };
        run(id, 9, new Fidelity(4, 1, 4, 0, 0), List.of(count));
        // After the first epoch every optimiser state exists; a per-step leak would grow the count.
        assertEquals(4, counts.size());
        assertEquals(counts.get(1), counts.get(2), "live arrays grew: " + counts);
        assertEquals(counts.get(2), counts.get(3), "live arrays grew: " + counts);
    }

    @Test
    void theHooksChooseTheReturnedArchitecture() {
        Genotype fixed = Genotype.parse("|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|");
        List<Genotype> proposed = new ArrayList<>();
        TrainingHook select = new SupernetSearchHook() {
            @Override
            public Architecture selectArchitecture(Architecture argmax, SupernetSession session) {
                proposed.add(Genotype.from(argmax));
                return fixed;
            }
        };
        SupernetOutcome outcome = run("gdas", 6, new Fidelity(4, 1, 1, 0, 0), List.of(select));
        assertEquals(fixed, outcome.result().genotype());
        assertEquals(List.of(argmax(outcome.alpha())), proposed);
    }

    @Test
    void gdasAnnealsTheTemperatureLinearlyFromTenToATenth() {
        assertEquals(10, Gdas.temperature(10, 0.1, 0, 50), 0);
        assertEquals(0.1, Gdas.temperature(10, 0.1, 49, 50), 0);
        assertEquals(10 - 9.9 * 10 / 49, Gdas.temperature(10, 0.1, 10, 50), 1e-12);
        assertEquals(10, Gdas.temperature(10, 0.1, 0, 1), 0, "a one-epoch search stays at τ_max");
    }

    @Test
    void unknownParametersAreRejectedWithTheKnownOnes() {
        SearchAlgorithm darts = Algorithms.byId("darts-v1");
        UserInputException e = assertThrows(UserInputException.class, () -> darts.search(SupernetFixtures.context(
                SupernetFixtures.spec("darts-v1", Map.of("learning_rate", 0.1), SupernetFixtures.TINY, 1), data, List.of())));
        assertTrue(e.getMessage().contains("learning-rate"), e.getMessage());
        UserInputException tau = assertThrows(UserInputException.class, () -> Algorithms.byId("gdas").search(
                SupernetFixtures.context(SupernetFixtures.spec("gdas", Map.of("tau-min", 0), SupernetFixtures.TINY, 1), data,
                        List.of())));
        assertTrue(tau.getMessage().contains("tau-min"), tau.getMessage());
    }

    @Test
    void theGradientAlgorithmsAreRegisteredWithTheirFamilyAndParameters() {
        for (String id : List.of("darts-v1", "darts-v2", "gdas")) {
            SearchAlgorithm a = Algorithms.byId(id);
            assertEquals(Family.GRADIENT, a.family());
            assertTrue(a.reference().contains("arXiv"), a.reference());
            assertTrue(a.parameters().stream().anyMatch(p -> p.name().equals("arch-learning-rate")));
        }
        assertTrue(Algorithms.byId("gdas").parameters().stream().anyMatch(p -> p.name().equals("tau-max")));
    }
}
