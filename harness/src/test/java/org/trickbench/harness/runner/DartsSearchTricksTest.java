package org.trickbench.harness.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.trickbench.algorithms.Algorithms;
import org.trickbench.algorithms.DartsV1;
import org.trickbench.algorithms.Spos;
import org.trickbench.algorithms.SupernetOutcome;
import org.trickbench.core.data.DataPreparation;
import org.trickbench.core.data.DataSets;
import org.trickbench.core.data.PreparedData;
import org.trickbench.core.run.AlgorithmSetting;
import org.trickbench.core.run.RunSpec;
import org.trickbench.core.run.TrickSetting;
import org.trickbench.core.search.Family;
import org.trickbench.core.search.SearchContext;
import org.trickbench.core.seed.Seeds;
import org.trickbench.core.space.SpaceId;
import org.trickbench.core.space.TrainableSupernet;
import org.trickbench.core.train.EpochContext;
import org.trickbench.core.train.Fidelity;
import org.trickbench.core.train.Protocol;
import org.trickbench.core.train.StepContext;
import org.trickbench.core.train.SupernetSearchHook;
import org.trickbench.core.train.SupernetSession;
import org.trickbench.core.train.TrainingHook;
import org.trickbench.core.train.WeightTrainingHook;
import org.trickbench.core.trick.Phase;
import org.trickbench.core.trick.Trick;
import org.trickbench.harness.matrix.Expansion;
import org.trickbench.harness.matrix.Matrices;
import org.trickbench.tricks.Tricks;

/**
 * The search-phase tricks that claim the DARTS space inside real DARTS supernet searches (DARTS-V1 on the
 * DARTS search network at C = 4, one cell per stage: L = 5, 8 px, 8 training and 8 validation images of
 * Fashion-MNIST, batch 8: one step an epoch), with their hooks built as a run builds them: every one that says it acts in a
 * gradient search's search phase changes the search, compared bit for bit with a control search without it
 * under the same seed, and one that says it does not leaves the search bit for bit as it was.
 */
class DartsSearchTricksTest {
    private static final int SUBSET = 16;
    private static NDManager manager;
    private static PreparedData data;

    @BeforeAll
    static void prepare() {
        manager = NDManager.newBaseManager();
        data = DataPreparation.prepare(DataSets.load("fashion-mnist", null, System.getenv()), fidelity(1),
                new Seeds(0), DataPreparation.Purpose.SEARCH, manager, Device.cpu());
        control = Plain.search();
    }

    @AfterAll
    static void release() {
        manager.close();
    }

    private static Fidelity fidelity(int epochs) {
        return new Fidelity(4, 1, epochs, SUBSET, 8);
    }

    private static RunSpec spec(String space, Map<String, Object> params, List<TrickSetting> tricks, int epochs) {
        Map<String, Object> all = new HashMap<>(Map.of("batch-size", 8));
        all.putAll(params);
        return new RunSpec("fashion-mnist", space, new AlgorithmSetting(DartsV1.ID, all), tricks, fidelity(epochs),
                fidelity(epochs), Protocol.nasBench201(), 0);
    }

    /** The trick's hooks as a run of this space builds them for its supernet search. */
    private static List<TrainingHook> searchHooks(String space, String trick, Map<String, Object> params) {
        return TrickUse.SEARCH.hooks(spec(space, Map.of(), List.of(new TrickSetting(trick, params)), 1));
    }

    private static SupernetOutcome search(String space, Map<String, Object> params, int epochs,
            List<TrainingHook> hooks) {
        RunSpec spec = spec(space, params, List.of(), epochs);
        return new DartsV1().run(new SearchContext(spec, new Seeds(spec.seed()), null, () -> data, hooks));
    }

    private static List<TrainingHook> with(List<TrainingHook> first, TrainingHook... more) {
        List<TrainingHook> all = new ArrayList<>(first);
        all.addAll(Arrays.asList(more));
        return all;
    }

    /** After every epoch, every parameter of the supernet (weights, running statistics, α) as it stands. */
    private static final class Fingerprint implements SupernetSearchHook {
        final List<List<float[]>> epochs = new ArrayList<>();
        final List<double[][]> alpha = new ArrayList<>();
        List<float[]> stem;

        @Override
        public void afterSearchEpoch(EpochContext epoch, SupernetSession session) {
            List<float[]> values = new ArrayList<>();
            for (Pair<String, Parameter> p : ((TrainableSupernet) session.supernet()).getParameters()) {
                values.add(p.getValue().getArray().toFloatArray());
            }
            epochs.add(values);
            alpha.add(((TrainableSupernet) session.supernet()).alphaValues());
        }

        boolean sameAs(Fingerprint other) {
            if (epochs.size() != other.epochs.size()) {
                return false;
            }
            for (int e = 0; e < epochs.size(); e++) {
                List<float[]> a = epochs.get(e);
                List<float[]> b = other.epochs.get(e);
                if (a.size() != b.size()) {
                    return false;
                }
                for (int i = 0; i < a.size(); i++) {
                    if (!Arrays.equals(a.get(i), b.get(i))) {
                        return false;
                    }
                }
            }
            return true;
        }
    }

    /** One DARTS search without tricks and its fingerprint, the control of every trick's search. */
    private record Plain(SupernetOutcome outcome, Fingerprint fingerprint) {
        static Plain search() {
            Fingerprint fingerprint = new Fingerprint();
            return new Plain(DartsSearchTricksTest.search("darts", Map.of(), 1, List.of(fingerprint)), fingerprint);
        }
    }

    private static Plain control;

    /** The search-phase tricks that claim the DARTS space. */
    static Stream<String> searchTricksOnDarts() {
        return Tricks.all().stream().filter(t -> t.phases().contains(Phase.SEARCH) && t.spaces().contains(SpaceId.DARTS))
                .map(Trick::id);
    }

    @ParameterizedTest
    @MethodSource("searchTricksOnDarts")
    void aSearchTrickThatClaimsDartsChangesADartsSearchExactlyWhenItSaysItActsThere(String id) {
        Trick trick = Tricks.byId(id);
        if (!trick.families().contains(Family.GRADIENT)) {
            oneShotOnly(trick);
            return;
        }
        Fingerprint with = new Fingerprint();
        SupernetOutcome tricked = search("darts", Map.of(), 1, with(searchHooks("darts", id, Map.of()), with));
        Fingerprint without = control.fingerprint;
        SupernetOutcome plain = control.outcome;
        assertFalse(plain.diverged() || tricked.diverged(), id);
        assertEquals(1, with.epochs.size(), id);
        boolean acts = trick.inapplicableReason(Family.GRADIENT, Phase.SEARCH).isEmpty();
        assertEquals(acts, !with.sameAs(without), id + (acts ? " says it acts in a DARTS supernet search, and the"
                + " search is bit for bit as without it" : " says it does not act in a supernet search, and it did"));
        if (!acts) {
            assertTrue(Arrays.deepEquals(plain.alpha(), tricked.alpha()), id);
            assertEquals(plain.result().proxyScore(), tricked.result().proxyScore(), 0.0, id);
        }
    }

    /**
     * A one-shot trick's hook is space-neutral and acts on DARTS once a one-shot search searches it: then a SPOS
     * search on DARTS shows it; until then every DARTS cell that switches it on is dropped with its reason.
     */
    private static void oneShotOnly(Trick trick) {
        assertTrue(trick.families().contains(Family.ONE_SHOT), trick.id());
        List<String> oneShotOnDarts = Algorithms.all().stream()
                .filter(a -> a.family() == Family.ONE_SHOT && a.spaces().contains("darts")).map(a -> a.id()).toList();
        if (oneShotOnDarts.isEmpty()) {
            Expansion.Plan plan = Expansion.plan(Matrices.parse(String.join("\n", "name: d", "space: darts",
                    "datasets: [fashion-mnist]", "final-fidelity: {channels: 4, cells: 1, epochs: 1, train-subset: 16,"
                            + " resolution: 8}", "seeds: [0]", "baseline-size: 1", "algorithms: [gdas, random-search]",
                    "tricks: [" + trick.id() + "]", ""), "d.yaml"));
            assertEquals(2, plan.dropped().size(), "both searches' cells with " + trick.id());
            assertTrue(plan.dropped().stream().allMatch(d -> d.reason().contains(trick.id() + " ")), plan.dropped()
                    .toString());
            assertTrue(plan.runs().stream().allMatch(r -> r.tricks().isEmpty()), "no run with " + trick.id());
            return;
        }
        Map<String, Object> small = Map.of("population", 2, "generations", 0, "score-images", 8);
        Fingerprint with = new Fingerprint();
        spos(small, with(searchHooks("darts", trick.id(), Map.of()), with));
        Fingerprint without = new Fingerprint();
        spos(small, List.of(without));
        assertFalse(with.sameAs(without), trick.id() + " did not change a SPOS search on DARTS");
    }

    private static SupernetOutcome spos(Map<String, Object> params, List<TrainingHook> hooks) {
        RunSpec spec = new RunSpec("fashion-mnist", "darts", new AlgorithmSetting(Spos.ID, new HashMap<>(params)),
                List.of(), fidelity(1), fidelity(1), Protocol.nasBench201(), 0);
        return new Spos().run(new SearchContext(spec, new Seeds(spec.seed()), null, () -> data, hooks));
    }

    /** Drop-path drops standalone cells' edges only: a NAS-Bench-201 supernet search is as without it too. */
    @Test
    void dropPathLeavesANasBench201SupernetSearchAsItWas() {
        Fingerprint with = new Fingerprint();
        search("nb201", Map.of(), 1, with(searchHooks("nb201", "drop-path", Map.of()), with));
        Fingerprint without = new Fingerprint();
        search("nb201", Map.of(), 1, List.of(without));
        assertTrue(with.sameAs(without), "drop-path acted in a NAS-Bench-201 supernet search");
    }

    @Test
    void heavyWeightDecayReachesTheDartsWeightOptimiser() {
        Map<String, Object> nesterovNoClip = Map.of("gradient-clip", 0, "nesterov", true);
        DecayProbe heavy = new DecayProbe();
        search("darts", nesterovNoClip, 1,
                with(searchHooks("darts", "heavy-weight-decay", Map.of("value", 3e-3)), heavy));
        assertEquals(3e-3, heavy.lambda, 3e-5);
        DecayProbe plain = new DecayProbe();
        search("darts", nesterovNoClip, 1, List.of(plain));
        assertEquals(3e-4, plain.lambda, 3e-6, "DARTS's own search weight decay");
    }

    @Test
    void warmupWeightsHoldsBothDartsAlphasUntilTheWarmUpEnds() {
        Fingerprint recorder = new Fingerprint();
        SupernetOutcome o = search("darts", Map.of(), 2,
                with(searchHooks("darts", "warmup-weights", Map.of("fraction", 0.5)), recorder));
        assertEquals(28, o.initialAlpha().length, "α_normal and α_reduce");
        assertTrue(Arrays.deepEquals(o.initialAlpha(), recorder.alpha.get(0)), "α moved in the warm-up epoch");
        assertTrue(Double.isNaN(o.epochs().get(0).validAccuracy()), "no α step, no validation pass");
        assertFalse(Arrays.deepEquals(recorder.alpha.get(0), recorder.alpha.get(1)), "α trains after the warm-up");
    }

    /** The α each weight step's forward passes see, at this point of the hook chain. */
    private static final class AlphaSpy implements SupernetSearchHook {
        final List<float[]> seen = new ArrayList<>();

        @Override
        public NDArray architectureForWeightStep(NDArray alpha, StepContext step) {
            seen.add(alpha.toFloatArray());
            return alpha;
        }
    }

    @Test
    void sdartsRsPerturbsEachDartsAlphaWithItsOwnNoise() {
        double epsilon = 0.03;
        AlphaSpy before = new AlphaSpy();
        AlphaSpy after = new AlphaSpy();
        List<TrainingHook> hooks = new ArrayList<>(List.of(before));
        hooks.addAll(searchHooks("darts", "sdarts-rs", Map.of("epsilon", epsilon)));
        hooks.add(after);
        search("darts", Map.of(), 1, hooks);
        assertEquals(2, before.seen.size(), "one weight step, seeing α_normal and α_reduce");
        for (int step = 0; step < 1; step++) {
            float[][] noise = new float[2][];
            for (int a = 0; a < 2; a++) {
                float[] stored = before.seen.get(2 * step + a);
                float[] used = after.seen.get(2 * step + a);
                noise[a] = new float[stored.length];
                double largest = 0;
                for (int i = 0; i < stored.length; i++) {
                    noise[a][i] = used[i] - stored[i];
                    largest = Math.max(largest, Math.abs(noise[a][i]));
                }
                assertTrue(largest > 0 && largest <= epsilon * (1 + 1e-5), "step " + step + ", α " + a + ": " + largest);
            }
            assertFalse(Arrays.equals(noise[0], noise[1]), "α_normal and α_reduce drew the same noise at step " + step);
        }
    }
}
