package org.trickbench.harness.runner;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.trickbench.algorithms.Algorithms;
import org.trickbench.algorithms.DartsV1;
import org.trickbench.algorithms.Gdas;
import org.trickbench.algorithms.Spos;
import org.trickbench.algorithms.SupernetOutcome;
import org.trickbench.core.data.DataPreparation;
import org.trickbench.core.data.DataSets;
import org.trickbench.core.data.PreparedData;
import org.trickbench.core.run.AlgorithmSetting;
import org.trickbench.core.run.RunSpec;
import org.trickbench.core.run.TrickSetting;
import org.trickbench.core.search.SearchAlgorithm;
import org.trickbench.core.search.SearchContext;
import org.trickbench.core.seed.Seeds;
import org.trickbench.core.space.nb201.MixedOp;
import org.trickbench.core.space.nb201.Nb201Op;
import org.trickbench.core.space.nb201.Nb201Supernet;
import org.trickbench.core.train.Batch;
import org.trickbench.core.train.EpochContext;
import org.trickbench.core.train.Fidelity;
import org.trickbench.core.train.Protocol;
import org.trickbench.core.train.StepContext;
import org.trickbench.core.train.SupernetSearchHook;
import org.trickbench.core.train.SupernetSession;
import org.trickbench.core.train.TrainingHook;
import org.trickbench.core.train.WeightTrainingHook;
import org.trickbench.tricks.Tricks;

/**
 * The search-phase tricks inside real supernet searches on a small Fashion-MNIST subset, with their
 * hooks built as a run builds them: each is shown to act where the catalogue says, and a control run
 * without it shows the test would notice a no-op.
 */
class SearchTricksInSupernetsTest {
    /** 400 images at 8 px: 200 train and 200 validation; C = 4, one cell per stage. */
    private static final int SUBSET = 400;
    /** The smallest SPOS evolution, so the test stays about the supernet training. */
    private static final Map<String, Object> SMALL_SPOS = Map.of("population", 2, "generations", 0,
            "score-images", 50);
    private static NDManager manager;
    private static PreparedData data;

    @BeforeAll
    static void prepare() {
        manager = NDManager.newBaseManager();
        data = DataPreparation.prepare(DataSets.load("fashion-mnist", null, System.getenv()), fidelity(1),
                new Seeds(0), DataPreparation.Purpose.SEARCH, manager, Device.cpu());
    }

    @AfterAll
    static void release() {
        manager.close();
    }

    private static Fidelity fidelity(int epochs) {
        return new Fidelity(4, 1, epochs, SUBSET, 8);
    }

    private static RunSpec spec(String algorithm, Map<String, Object> params, List<TrickSetting> tricks, int epochs) {
        Map<String, Object> all = new HashMap<>(params);
        if (algorithm.equals("spos")) {
            all.putAll(SMALL_SPOS);
        }
        return new RunSpec("fashion-mnist", "nb201", new AlgorithmSetting(algorithm, all), tricks, fidelity(epochs),
                fidelity(epochs), Protocol.nasBench201(), 0);
    }

    /** The trick's hooks as a run builds them for the search; none of them acts in the final training. */
    private static List<TrainingHook> searchHooks(String trick, Map<String, Object> params) {
        RunSpec spec = spec("darts-v1", Map.of(), List.of(new TrickSetting(trick, params)), 1);
        assertEquals(List.of(), TrickUse.FINAL.hooks(spec), trick + " must not act in final training");
        List<TrainingHook> hooks = TrickUse.SEARCH.hooks(spec);
        assertEquals(1, hooks.size());
        return hooks;
    }

    private static SupernetOutcome search(String algorithm, Map<String, Object> params, int epochs,
            List<TrainingHook> hooks) {
        RunSpec spec = spec(algorithm, params, List.of(), epochs);
        SearchAlgorithm a = Algorithms.byId(algorithm);
        SearchContext context = new SearchContext(spec, new Seeds(spec.seed()), null, () -> data, hooks);
        if (a instanceof DartsV1 d) {
            return d.run(context);
        }
        if (a instanceof Gdas g) {
            return g.run(context);
        }
        return ((Spos) a).run(context);
    }

    private static List<TrainingHook> with(List<TrainingHook> first, TrainingHook... more) {
        List<TrainingHook> all = new ArrayList<>(first);
        all.addAll(Arrays.asList(more));
        return all;
    }

    /** Keeps α and the supernet after every epoch. */
    private static final class EpochRecorder implements SupernetSearchHook {
        final List<double[][]> alpha = new ArrayList<>();
        Nb201Supernet net;

        @Override
        public void afterSearchEpoch(EpochContext epoch, SupernetSession session) {
            net = session.supernet(Nb201Supernet.class);
            alpha.add(net.alphaValues());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"darts-v1", "gdas"})
    void warmupWeightsHoldsAlphaBitForBitUntilTheWarmUpEnds(String algorithm) {
        EpochRecorder recorder = new EpochRecorder();
        SupernetOutcome o = search(algorithm, Map.of("batch-size", 50), 4,
                with(searchHooks("warmup-weights", Map.of("fraction", 0.5)), recorder));
        for (int e = 0; e < 2; e++) {
            assertTrue(Arrays.deepEquals(o.initialAlpha(), recorder.alpha.get(e)), "α moved in warm-up epoch " + e);
            assertTrue(Double.isNaN(o.epochs().get(e).validAccuracy()), "no α step, no validation pass");
        }
        assertFalse(Arrays.deepEquals(recorder.alpha.get(1), recorder.alpha.get(2)), "α trains after the warm-up");
        assertFalse(Arrays.deepEquals(recorder.alpha.get(2), recorder.alpha.get(3)));
        EpochRecorder control = new EpochRecorder();
        SupernetOutcome plain = search(algorithm, Map.of("batch-size", 50), 1, List.of(control));
        assertFalse(Arrays.deepEquals(plain.initialAlpha(), control.alpha.get(0)), "without the trick α moves at once");
    }

    /** Per step: whether every weight got a gradient (all ops trained), and what the trick decided. */
    private static final class PathRecorder implements WeightTrainingHook {
        private final SupernetSearchHook probe =
                (SupernetSearchHook) Tricks.byId("warmup-all-paths").hook(Map.of("fraction", 1.0));
        final List<StepContext> steps = new ArrayList<>();
        final List<Boolean> allOps = new ArrayList<>();
        final List<Boolean> decided = new ArrayList<>();

        @Override
        public void step(StepContext step, Runnable next) {
            NDList gradientNorms = new NDList();
            for (NDArray w : step.parameters()) {
                gradientNorms.add(w.getGradient().abs().sum());
            }
            steps.add(step);
            allOps.add(NDArrays.stack(gradientNorms).gt(0).all().getBoolean());
            decided.add(probe.trainAllOps(step));
            next.run();
        }
    }

    @Test
    void warmupAllPathsTrainsAllOpsWithTheScheduledProbability() {
        PathRecorder recorder = new PathRecorder();
        SupernetOutcome o = search("spos", Map.of("batch-size", 8), 4,
                with(searchHooks("warmup-all-paths", Map.of("fraction", 1.0)), recorder));
        int perEpoch = o.stepsPerEpoch();
        assertEquals(25, perEpoch);
        assertEquals(recorder.decided, recorder.allOps, "the search trains all ops exactly when the trick draws so");
        int[] hits = new int[4];
        for (int e = 0; e < 4; e++) {
            double expected = 0;
            double variance = 0;
            for (int s = e * perEpoch; s < (e + 1) * perEpoch; s++) {
                double p = 1 - recorder.steps.get(s).progress();
                expected += p;
                variance += p * (1 - p);
                hits[e] += recorder.allOps.get(s) ? 1 : 0;
            }
            assertTrue(Math.abs(hits[e] - expected) <= 4 * Math.sqrt(variance),
                    "epoch " + e + ": " + hits[e] + " all-ops steps of " + perEpoch + ", expected " + expected);
        }
        assertTrue(hits[0] > hits[3], Arrays.toString(hits));
        PathRecorder control = new PathRecorder();
        search("spos", Map.of("batch-size", 8), 1, List.of(control));
        assertFalse(control.allOps.contains(true), "without the trick every step trains one path");
    }

    @ParameterizedTest
    @ValueSource(strings = {"darts-v1", "spos"})
    void heavyWeightDecayReachesTheWeightOptimiser(String algorithm) {
        Map<String, Object> noClip = Map.of("batch-size", 50, "gradient-clip", 0);
        DecayProbe heavy = new DecayProbe();
        search(algorithm, noClip, 1, with(searchHooks("heavy-weight-decay", Map.of("value", 3e-3)), heavy));
        assertEquals(3e-3, heavy.lambda, 3e-5);
        DecayProbe plain = new DecayProbe();
        search(algorithm, noClip, 1, List.of(plain));
        assertEquals(5e-4, plain.lambda, 5e-6, "the search's own weight decay");
    }

    /**
     * With the weight update skipped, α's trajectory depends only on α's optimiser: bit for bit the same
     * with and without the trick.
     */
    @Test
    void heavyWeightDecayLeavesTheArchitectureOptimiserAlone() {
        TrainingHook frozenWeights = new WeightTrainingHook() {
            @Override
            public void step(StepContext step, Runnable next) {}
        };
        SupernetOutcome heavy = search("darts-v1", Map.of("batch-size", 50), 2,
                with(searchHooks("heavy-weight-decay", Map.of()), frozenWeights));
        SupernetOutcome plain = search("darts-v1", Map.of("batch-size", 50), 2, List.of(frozenWeights));
        assertFalse(Arrays.deepEquals(plain.initialAlpha(), plain.alpha()), "α trains");
        assertTrue(Arrays.deepEquals(plain.alpha(), heavy.alpha()), "α's optimiser must not change");
    }

    /** What the weight step's α looks like at this point of the hook chain, and the first training loss. */
    private static final class AlphaSpy implements WeightTrainingHook, SupernetSearchHook {
        final List<float[]> seen = new ArrayList<>();
        final List<Boolean> storedKept = new ArrayList<>();
        NDArray stored;
        float firstLoss = Float.NaN;

        @Override
        public NDArray architectureForWeightStep(NDArray alpha, StepContext step) {
            stored = alpha;
            seen.add(alpha.toFloatArray());
            return alpha;
        }

        @Override
        public NDArray lossFor(NDList outputs, Batch batch, StepContext step, LossFunction next) {
            NDArray loss = next.loss(outputs, batch);
            if (step.step() == 0 && Float.isNaN(firstLoss)) {
                firstLoss = loss.getFloat();
            }
            return loss;
        }

        @Override
        public void step(StepContext step, Runnable next) {
            next.run();
            storedKept.add(Arrays.equals(seen.get(seen.size() - 1), stored.toFloatArray()));
        }
    }

    @Test
    void sdartsRsWeightStepsSeeAlphaWithinEpsilonAndTheStoredAlphaStays() {
        double epsilon = 0.03;
        AlphaSpy before = new AlphaSpy();
        AlphaSpy after = new AlphaSpy();
        List<TrainingHook> hooks = new ArrayList<>(List.of(before));
        hooks.addAll(searchHooks("sdarts-rs", Map.of("epsilon", epsilon)));
        hooks.add(after);
        search("darts-v1", Map.of("batch-size", 50), 1, hooks);
        assertEquals(4, before.seen.size());
        for (int s = 0; s < before.seen.size(); s++) {
            float[] stored = before.seen.get(s);
            float[] used = after.seen.get(s);
            double largest = 0;
            for (int i = 0; i < stored.length; i++) {
                largest = Math.max(largest, Math.abs(used[i] - stored[i]));
            }
            assertTrue(largest > 0 && largest <= epsilon * (1 + 1e-5), "step " + s + ": |δ| max " + largest);
            assertTrue(before.storedKept.get(s), "the weight step changed the stored α at step " + s);
        }
        AlphaSpy plain = new AlphaSpy();
        search("darts-v1", Map.of("batch-size", 50), 1, List.of(plain));
        // Same seed: the same initial weights, α and batch; only the α the forward pass sees differs.
        assertArrayEquals(plain.seen.get(0), before.seen.get(0), 0f);
        assertNotEquals(plain.firstLoss, after.firstLoss, "the forward pass must use the perturbed α");
    }

    /** The search's own supernet: its first edge on a skip path outputs x + β·x, β as scheduled. */
    @Test
    void auxSkipIsOnEveryEdgeOfTheSearchedSupernetWithTheScheduledBeta() {
        List<Float> ratios = new ArrayList<>();
        TrainingHook probe = new SupernetSearchHook() {
            @Override
            public void afterSearchEpoch(EpochContext epoch, SupernetSession session) {
                Nb201Supernet net = session.supernet(Nb201Supernet.class);
                NDArray x = manager.ones(new Shape(2, 4, 8, 8));
                for (var cell : net.cells()) {
                    for (int e = 0; e < 6; e++) {
                        NDArray out = cell.edge(e).forward(new ParameterStore(manager, false), x,
                                MixedOp.Selection.single(Nb201Op.SKIP_CONNECT), false, null);
                        ratios.add(out.div(x).mean().getFloat());
                    }
                }
            }
        };
        SupernetOutcome outcome = search("darts-v1", Map.of("batch-size", 50), 3,
                with(searchHooks("aux-skip", Map.of("beta0", 1.0)), probe));
        assertFalse(outcome.diverged(), "the search with aux-skip diverged");
        assertEquals(3 * 3 * 6, ratios.size(), "three epochs, three cells, six edges");
        for (int i = 0; i < ratios.size(); i++) {
            float beta = i < 18 ? 1f : i < 36 ? 0.5f : 0f;
            assertEquals(1 + beta, ratios.get(i), 1e-6f, "epoch " + i / 18 + ": skip(x) + β·x");
        }
    }

    private static boolean scaleOrShift(Parameter p) {
        return p.getType() == Parameter.Type.GAMMA || p.getType() == Parameter.Type.BETA;
    }

    /** BatchNorm γ and β of the supernet's ops that the weight optimiser trains. */
    private static long trainedScalesAndShiftsInOps(Nb201Supernet net) {
        List<Parameter> trained = net.weights();
        return net.cells().stream().flatMap(c -> c.getParameters().values().stream())
                .filter(p -> scaleOrShift(p) && trained.contains(p)).count();
    }

    private static long trainedScalesAndShifts(Nb201Supernet net) {
        return net.weights().stream().filter(SearchTricksInSupernetsTest::scaleOrShift).count();
    }

    @ParameterizedTest
    @ValueSource(strings = {"darts-v1", "spos"})
    void bnAffineOffLeavesNoGammaOrBetaInTheSupernetOps(String algorithm) {
        EpochRecorder off = new EpochRecorder();
        search(algorithm, Map.of("batch-size", 50), 1, with(searchHooks("bn-affine-off", Map.of()), off));
        EpochRecorder plain = new EpochRecorder();
        search(algorithm, Map.of("batch-size", 50), 1, List.of(plain));
        long plainOps = trainedScalesAndShiftsInOps(plain.net);
        assertEquals(3 * 6 * 2 * 2, plainOps, "without the trick each conv op's BatchNorm trains γ and β");
        assertEquals(0, trainedScalesAndShiftsInOps(off.net));
        assertEquals(trainedScalesAndShifts(plain.net) - plainOps, trainedScalesAndShifts(off.net),
                "stem, reductions and head keep theirs");
    }
}
