package org.trickbench.core.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.trickbench.core.data.DataPreparation;
import org.trickbench.core.data.PreparedData;
import org.trickbench.core.seed.Seeds;
import org.trickbench.core.space.Architecture;
import org.trickbench.core.space.nb201.Genotype;
import org.trickbench.core.space.nb201.Nb201SearchSpace;
import org.trickbench.core.space.nb201.Nb201Space;
import org.trickbench.core.space.nb201.Nb201Standalone;
import org.trickbench.core.train.EpochContext;
import org.trickbench.core.train.EpochMetrics;
import org.trickbench.core.train.Fidelity;
import org.trickbench.core.train.GradientAgreement;
import org.trickbench.core.train.GroupedTrainingLoop;
import org.trickbench.core.train.Protocol;
import org.trickbench.core.train.StepContext;
import org.trickbench.core.train.SyntheticData;
import org.trickbench.core.train.TrainResult;
import org.trickbench.core.train.TrainingHook;
import org.trickbench.core.train.TrainingLoop;
import org.trickbench.core.train.WeightTrainingHook;

/**
 * A black-box search's candidates, cells of different genotypes ({@code none} edges included), trained
 * as one grouped network score as each trained alone, at a tiny size (C=4, N=1, 8 px, 512 synthetic
 * images split into 256 to train and 256 to validate, one epoch): each candidate's first-step gradients
 * within 1e-5 of the tensor's largest ({@link GradientAgreement}), its per-epoch training loss within
 * 1e-3 relative, its validation accuracy (its proxy score) within one point; so does a candidate that
 * appears twice in a group (its ops then serve two networks). A hook that cannot be
 * grouped makes the evaluator train the candidates one by one.
 */
class CandidateBatchingTest {
    private static final List<Genotype> CANDIDATES = List.of(
            Genotype.parse("|nor_conv_3x3~0|+|nor_conv_1x1~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|none~2|"),
            Genotype.parse("|nor_conv_1x1~0|+|none~0|nor_conv_3x3~1|+|avg_pool_3x3~0|skip_connect~1|nor_conv_1x1~2|"),
            Genotype.parse("|none~0|+|none~0|none~1|+|nor_conv_3x3~0|none~1|avg_pool_3x3~2|"));
    private static final Fidelity TINY = new Fidelity(4, 1, 1, 0, 0);
    private static final Protocol PROTOCOL = Protocol.nasBench201().withBatchSize(64);
    private static final long SEED = 7;
    /** Validation accuracy points a grouped candidate may differ by: two of the 256 images. */
    private static final double ACCURACY_POINTS = 1.0;

    private static NDManager manager;
    private static PreparedData data;
    private static List<Alone> alone;

    /** A candidate's proxy training alone: its results and its first step's gradients. */
    private record Alone(TrainResult result, List<float[]> gradients) {}

    @BeforeAll
    static void trainAlone() {
        manager = NDManager.newBaseManager();
        data = DataPreparation.prepare(SyntheticData.topBottom(512, 16, 8), TINY, new Seeds(SEED),
                DataPreparation.Purpose.SEARCH, manager, Device.cpu());
        alone = new ArrayList<>();
        for (Genotype candidate : CANDIDATES) {
            List<float[]> gradients = new ArrayList<>();
            TrainingHook probe = new WeightTrainingHook() {
                @Override
                public void step(StepContext step, Runnable next) {
                    if (step.step() == 0) {
                        step.parameters().forEach(w -> gradients.add(w.getGradient().toFloatArray()));
                    }
                    next.run();
                }
            };
            TrainResult result = TrainingLoop.train(request(candidate, List.of(probe)), new TrainingLoop.Listener() {});
            alone.add(new Alone(result, gradients));
        }
    }

    @AfterAll
    static void release() {
        manager.close();
    }

    @Test
    void candidatesOfDifferentGenotypesTrainGroupedAsAlone() {
        assertGroupedAsAlone(List.of(0, 1, 2));
    }

    /**
     * The first candidate twice, around the second: its convolution ops then serve two of the three
     * networks, over their gathered channels, each holding its weights in its own slab.
     */
    @Test
    void aCandidateTwiceTrainsGroupedAsAloneBothTimes() {
        assertGroupedAsAlone(List.of(0, 1, 0));
    }

    /** Candidates {@code CANDIDATES.get(c)} for c in {@code chosen}, trained as one network, each as alone. */
    private static void assertGroupedAsAlone(List<Integer> chosen) {
        List<TrainingLoop.Request> requests = chosen.stream().map(c -> request(CANDIDATES.get(c), List.of())).toList();
        List<List<float[]>> firstGradients = new ArrayList<>();
        List<TrainResult> grouped = GroupedTrainingLoop.train(requests,
                requests.stream().map(r -> (TrainingLoop.Listener) new TrainingLoop.Listener() {}).toList(),
                (step, gradients) -> {
                    if (step == 0) {
                        for (List<NDArray> run : gradients) {
                            firstGradients.add(run.stream().map(NDArray::toFloatArray).toList());
                        }
                    }
                });
        for (int i = 0; i < chosen.size(); i++) {
            Alone own = alone.get(chosen.get(i));
            List<String> names = new ArrayList<>();
            for (int j = 0; j < own.gradients().size(); j++) {
                names.add("parameter " + j);
            }
            GradientAgreement.assertClose(own.gradients(), firstGradients.get(i), 1e-5, names, "candidate " + i);
            TrainResult result = grouped.get(i);
            assertFalse(result.diverged());
            assertEquals(own.result().parameters(), result.parameters(), "candidate " + i + " parameters");
            assertEquals(own.result().flops(), result.flops(), "candidate " + i + " FLOPs");
            assertEquals(TINY.epochs(), result.epochs().size());
            for (int e = 0; e < TINY.epochs(); e++) {
                EpochMetrics a = own.result().epochs().get(e);
                EpochMetrics b = result.epochs().get(e);
                assertEquals(a.trainLoss(), b.trainLoss(), 1e-3 * Math.abs(a.trainLoss()),
                        "candidate " + i + " epoch " + e + " train loss");
                assertEquals(a.trainAccuracy() * 100, b.trainAccuracy() * 100, ACCURACY_POINTS,
                        "candidate " + i + " epoch " + e + " train accuracy");
                assertEquals(a.evalAccuracy() * 100, b.evalAccuracy() * 100, ACCURACY_POINTS,
                        "candidate " + i + " epoch " + e + " validation accuracy");
            }
        }
    }

    @Test
    void batchedProxyScoresEqualScoresAloneUpToRounding() {
        List<Double> batched = evaluator(List.of(), CANDIDATES.size()).scoreAll(CANDIDATES);
        for (int i = 0; i < CANDIDATES.size(); i++) {
            assertEquals(alone.get(i).result().finalEvalAccuracy() * 100, batched.get(i) * 100, ACCURACY_POINTS,
                    "candidate " + i + " scored batched");
        }
    }

    @Test
    void aHookThatCannotBeGroupedScoresOneByOne() {
        AtomicInteger epochsSeen = new AtomicInteger();
        TrainingHook afterEpoch = new WeightTrainingHook() {
            @Override
            public void afterEpoch(EpochContext epoch) {
                epochsSeen.incrementAndGet();
            }
        };
        assertFalse(GroupedTrainingLoop.batchable(afterEpoch));
        List<Genotype> two = CANDIDATES.subList(0, 2);
        List<Double> scores = evaluator(List.of(afterEpoch), two.size()).scoreAll(two);
        // Every candidate trained alone, its hook called after each of its epochs, and scored as alone.
        assertEquals(two.size() * TINY.epochs(), epochsSeen.get());
        for (int i = 0; i < two.size(); i++) {
            assertEquals(alone.get(i).result().finalEvalAccuracy(), scores.get(i), 0.0, "candidate " + i);
        }
    }

    private static ProxyTrainingEvaluator evaluator(List<TrainingHook> hooks, int batch) {
        return new ProxyTrainingEvaluator(new Nb201SearchSpace(Nb201Space.full()), () -> data, PROTOCOL, TINY,
                new Seeds(SEED), hooks, batch);
    }

    /** The candidate's proxy training as {@link ProxyTrainingEvaluator} asks for it, with {@code hooks}. */
    private static TrainingLoop.Request request(Architecture candidate, List<TrainingHook> hooks) {
        return new TrainingLoop.Request(new Nb201Standalone((Genotype) candidate, TINY.channels(), TINY.cells()),
                PROTOCOL.at(TINY), data, new Seeds(SEED).child("proxy:" + candidate.canonical()), hooks);
    }
}
