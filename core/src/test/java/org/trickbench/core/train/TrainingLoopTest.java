package org.trickbench.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.trickbench.core.data.PreparedData;
import org.trickbench.core.seed.Seeds;
import org.trickbench.core.space.nb201.Genotype;
import org.trickbench.core.space.nb201.Nb201Cost;
import org.trickbench.core.space.nb201.Nb201Hook;
import org.trickbench.core.space.nb201.Nb201Standalone;
import org.trickbench.core.space.nb201.NetworkConfig;

class TrainingLoopTest {
    private static final Genotype CELL = Genotype.parse(
            "|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|");
    private static NDManager manager;
    private static PreparedData data;

    @BeforeAll
    static void prepare() {
        manager = NDManager.newBaseManager();
        data = SyntheticData.prepare(SyntheticData.topBottom(256, 128, 8), manager, 1);
    }

    @AfterAll
    static void release() {
        manager.close();
    }

    private static TrainResult train(long seed, int epochs, List<TrainingHook> hooks, TrainingLoop.Listener listener) {
        // The benchmark's protocol, with a crop padding of 1 px: 4 px would shift an 8-px image by half.
        Protocol protocol = new Protocol(0.1, 0, 0.9, true, 5e-4, 32, epochs, "cosine", 1, true, 0);
        return TrainingLoop.train(new TrainingLoop.Request(new Nb201Standalone(CELL, 4, 1), protocol, data, new Seeds(seed), hooks), listener);
    }

    @Test
    void learnsASeparableProblem() {
        TrainResult result = train(3, 4, List.of(), new TrainingLoop.Listener() {});
        assertFalse(result.diverged());
        assertEquals(4, result.epochs().size());
        assertTrue(result.finalEvalAccuracy() > 0.9, "test accuracy " + result.finalEvalAccuracy());
        assertTrue(result.epochs().get(3).trainLoss() < result.epochs().get(0).trainLoss());
    }

    @Test
    void sameSeedGivesBitIdenticalEpochsAndAnotherSeedDoesNot() {
        TrainResult a = train(11, 2, List.of(), new TrainingLoop.Listener() {});
        TrainResult b = train(11, 2, List.of(), new TrainingLoop.Listener() {});
        TrainResult c = train(12, 2, List.of(), new TrainingLoop.Listener() {});
        for (int e = 0; e < 2; e++) {
            assertEquals(Double.doubleToLongBits(a.epochs().get(e).trainLoss()),
                    Double.doubleToLongBits(b.epochs().get(e).trainLoss()));
            assertEquals(a.epochs().get(e).trainAccuracy(), b.epochs().get(e).trainAccuracy());
            assertEquals(a.epochs().get(e).evalAccuracy(), b.epochs().get(e).evalAccuracy());
        }
        assertNotEquals(a.epochs().get(0).trainLoss(), c.epochs().get(0).trainLoss());
    }

    @Test
    void liveArrayCountStaysFlatOverHundredsOfSteps() {
        NDManager system = manager.getParentManager();
        List<Integer> counts = new ArrayList<>();
        // 256 images / batch 32 = 8 steps per epoch; 40 epochs = 320 steps.
        train(5, 40, List.of(), new TrainingLoop.Listener() {
            @Override
            public void onStep(int epoch, long step, long totalSteps) {
                if (step == 20 || step == 160 || step == 310) {
                    counts.add(system.getManagedArrays().size());
                }
            }
        });
        assertEquals(3, counts.size());
        assertEquals(counts.get(0), counts.get(1), "live arrays grew: " + counts);
        assertEquals(counts.get(1), counts.get(2), "live arrays grew: " + counts);
    }

    @Test
    void nanLossEndsTheRunAsDivergedAtItsEpoch() {
        TrainingHook poison = new WeightTrainingHook() {
            @Override
            public NDArray lossFor(NDList outputs, Batch batch, StepContext step, LossFunction next) {
                NDArray loss = next.loss(outputs, batch);
                return step.epoch() == 1 ? loss.mul(Float.NaN) : loss;
            }
        };
        List<EpochMetrics> seen = new ArrayList<>();
        TrainResult result = train(7, 4, List.of(poison), new TrainingLoop.Listener() {
            @Override
            public void onEpoch(EpochMetrics metrics) {
                seen.add(metrics);
            }
        });
        assertTrue(result.diverged());
        assertEquals(1, result.divergedEpoch());
        assertEquals(1, result.epochs().size());
        assertEquals(2, seen.size());
        assertTrue(seen.get(1).diverged());
    }

    @Test
    void hooksAreCalledInTheirPhases() {
        List<String> calls = new ArrayList<>();
        TrainingHook recorder = new WeightTrainingHook() {
            @Override
            public Protocol configureProtocol(Protocol p) {
                calls.add("protocol");
                return p.withEpochs(1);
            }

            @Override
            public Batch transformBatch(Batch batch, StepContext step) {
                calls.add("batch");
                return batch;
            }

            @Override
            public void step(StepContext step, Runnable next) {
                calls.add("step");
                next.run();
            }

            @Override
            public void afterEpoch(EpochContext epoch) {
                calls.add("epoch");
            }
        };
        TrainResult result = train(1, 3, List.of(recorder), new TrainingLoop.Listener() {});
        assertEquals(1, result.epochs().size(), "configureProtocol must set the epoch count");
        assertEquals("protocol", calls.get(0));
        assertEquals(8, calls.stream().filter("batch"::equals).count());
        assertEquals(8, calls.stream().filter("step"::equals).count());
        assertEquals("epoch", calls.get(calls.size() - 1));
        assertNull(result.divergedEpoch());
    }
    @Test
    void networkConfigHookSizesTheTrainedNetwork() {
        TrainingHook wider = new Nb201Hook() {
            @Override
            public NetworkConfig configureNetworkConfig(NetworkConfig config) {
                return config.withChannels(config.channels() * 2);
            }
        };
        TrainResult result = train(2, 1, List.of(wider), new TrainingLoop.Listener() {});
        NetworkConfig widened = new NetworkConfig(1, 8, 8, 2, 8, 1);
        assertEquals(Nb201Cost.parameters(CELL, widened), result.parameters());
        assertEquals(Nb201Cost.flops(CELL, widened), result.flops());
    }

    @Test
    void stepContextGivesSeededDrawsTheWeightsAndTheSameContextToARecomputation() {
        List<Long> draws = new ArrayList<>();
        List<StepContext> lossContexts = new ArrayList<>();
        List<Integer> parameterCounts = new ArrayList<>();
        TrainingHook probe = new WeightTrainingHook() {
            @Override
            public Batch transformBatch(Batch batch, StepContext step) {
                draws.add(step.random("probe").nextLong());
                return batch;
            }

            @Override
            public NDArray lossFor(NDList outputs, Batch batch, StepContext step, LossFunction next) {
                lossContexts.add(step);
                return next.loss(outputs, batch);
            }

            @Override
            public void step(StepContext step, Runnable next) {
                parameterCounts.add(step.parameters().size());
                step.recomputeGradients();
                next.run();
            }
        };
        train(4, 1, List.of(probe), new TrainingLoop.Listener() {});
        for (int s = 0; s < 8; s++) {
            StepContext expected = new StepContext(0, 1, s, 8, 0.1, null, new Seeds(4), List.of());
            assertEquals(expected.random("probe").nextLong(), draws.get(s), "draws come from the run's seed");
        }
        assertEquals(8, draws.stream().distinct().count(), "every step draws afresh");
        assertEquals(16, lossContexts.size(), "8 steps, two loss evaluations per step");
        for (int i = 0; i < lossContexts.size(); i += 2) {
            assertSame(lossContexts.get(i), lossContexts.get(i + 1));
        }
        assertTrue(parameterCounts.get(0) > 0);
    }
    @Test
    void imageHookSeesPixelsBeforeNormalisationAndFeedsTheBatch() {
        float[] range = {Float.MAX_VALUE, -Float.MAX_VALUE};
        List<Float> batchValues = new ArrayList<>();
        TrainingHook blackOut = new WeightTrainingHook() {
            @Override
            public NDArray transformImages(NDArray images, StepContext step) {
                range[0] = Math.min(range[0], images.min().getFloat());
                range[1] = Math.max(range[1], images.max().getFloat());
                return images.zerosLike();
            }

            @Override
            public Batch transformBatch(Batch batch, StepContext step) {
                batchValues.add(batch.images().min().getFloat());
                batchValues.add(batch.images().max().getFloat());
                return batch;
            }
        };
        train(6, 1, List.of(blackOut), new TrainingLoop.Listener() {});
        assertTrue(range[0] >= 0 && range[1] <= 1 && range[1] > 0.5, "pixels in [0, 1]: " + range[0] + ".." + range[1]);
        float black = data.normalize(manager.zeros(new ai.djl.ndarray.types.Shape(1))).getFloat();
        for (float v : batchValues) {
            assertEquals(black, v, 1e-6f, "the batch is the normalised output of the image hook");
        }
    }

    /**
     * One step of plain SGD (no momentum, no weight decay) with a clip far below the gradient's norm: the
     * update is exactly −η·g·c/(‖g‖ + 1e-6), g the unclipped gradient of all trainable weights together,
     * as a hand computation from the gradients the loop had before its update gives it, and its norm is η·c.
     */
    @Test
    void gradClipBoundsTheUpdateToTheHandComputedClip() {
        double lr = 0.1;
        double clip = 1e-3;
        Protocol protocol = new Protocol(lr, 0, 0, false, 0, 256, 1, "cosine", 1, true, 0).withGradClip(clip);
        List<float[]> before = new ArrayList<>();
        List<float[]> gradients = new ArrayList<>();
        List<float[]> after = new ArrayList<>();
        TrainingHook spy = new WeightTrainingHook() {
            @Override
            public void step(StepContext step, Runnable next) {
                for (NDArray w : step.parameters()) {
                    before.add(w.toFloatArray());
                    gradients.add(w.getGradient().toFloatArray());
                }
                next.run();
                for (NDArray w : step.parameters()) {
                    after.add(w.toFloatArray());
                }
            }
        };
        TrainingLoop.train(new TrainingLoop.Request(new Nb201Standalone(CELL, 4, 1), protocol, data, new Seeds(7),
                List.of(spy)), new TrainingLoop.Listener() {});
        double squares = 0;
        for (float[] g : gradients) {
            for (float x : g) {
                squares += (double) x * x;
            }
        }
        double norm = Math.sqrt(squares);
        assertTrue(norm > 100 * clip, "the gradient's norm " + norm + " is far above the clip");
        double scale = clip / (norm + 1e-6);
        double moved = 0;
        for (int i = 0; i < before.size(); i++) {
            for (int j = 0; j < before.get(i).length; j++) {
                double expected = before.get(i)[j] - lr * scale * gradients.get(i)[j];
                double step = (double) after.get(i)[j] - before.get(i)[j];
                assertEquals(expected, after.get(i)[j], 1e-6, "weight " + i + "[" + j + "]");
                moved += step * step;
            }
        }
        assertEquals(lr * clip, Math.sqrt(moved), lr * clip * 1e-2, "the update's norm is η·clip");
    }

    @Test
    void gradClipAboveTheNormLeavesTrainingAsWithout() {
        Protocol plain = new Protocol(0.1, 0, 0.9, true, 5e-4, 32, 2, "cosine", 1, true, 0);
        TrainResult without = TrainingLoop.train(new TrainingLoop.Request(new Nb201Standalone(CELL, 4, 1), plain, data,
                new Seeds(9), List.of()), new TrainingLoop.Listener() {});
        TrainResult loose = TrainingLoop.train(new TrainingLoop.Request(new Nb201Standalone(CELL, 4, 1),
                plain.withGradClip(1e9), data, new Seeds(9), List.of()), new TrainingLoop.Listener() {});
        TrainResult tight = TrainingLoop.train(new TrainingLoop.Request(new Nb201Standalone(CELL, 4, 1),
                plain.withGradClip(1e-2), data, new Seeds(9), List.of()), new TrainingLoop.Listener() {});
        assertEquals(without.epochs().get(1).trainLoss(), loose.epochs().get(1).trainLoss(), 1e-5);
        assertNotEquals(without.epochs().get(1).trainLoss(), tight.epochs().get(1).trainLoss());
    }

    @Test
    void cosineEpochHoldsTheRateWithinAnEpoch() {
        Protocol protocol = new Protocol(0.1, 0, 0.9, true, 5e-4, 32, 4, Protocol.COSINE_EPOCH, 1, true, 0);
        List<Double> rates = new ArrayList<>();
        TrainingHook spy = new WeightTrainingHook() {
            @Override
            public Batch transformBatch(Batch batch, StepContext step) {
                rates.add(step.learningRate());
                return batch;
            }
        };
        TrainResult result = TrainingLoop.train(new TrainingLoop.Request(new Nb201Standalone(CELL, 4, 1), protocol,
                data, new Seeds(2), List.of(spy)), new TrainingLoop.Listener() {});
        // 256 images in batches of 32: 8 steps an epoch, each at 0.05·(1 + cos(π·e/4)).
        assertEquals(32, rates.size());
        for (int step = 0; step < 32; step++) {
            int epoch = step / 8;
            assertEquals(0.05 * (1 + Math.cos(Math.PI * epoch / 4)), rates.get(step), 1e-12, "step " + step);
        }
        for (int e = 0; e < 4; e++) {
            assertEquals(0.05 * (1 + Math.cos(Math.PI * e / 4)), result.epochs().get(e).learningRate(), 1e-12);
        }
    }

    @Test
    void evaluatesInTrainingSizedBatchesOnACpuAndInLargeOnesOnAGpu() {
        Protocol protocol = Protocol.nasBench201().withBatchSize(100);
        assertEquals(100, TrainingLoop.evaluationBatch(protocol, Device.cpu()));
        assertEquals(1024, TrainingLoop.evaluationBatch(protocol, Device.gpu()));
        assertEquals(2048, TrainingLoop.evaluationBatch(protocol.withBatchSize(2048), Device.gpu()));
    }
}
