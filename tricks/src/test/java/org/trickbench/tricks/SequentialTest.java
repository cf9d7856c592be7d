package org.trickbench.tricks;

import org.trickbench.core.search.Family;
import org.trickbench.core.trick.Phase;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.trickbench.core.space.nb201.Genotype;
import org.trickbench.core.space.nb201.Nb201Op;
import org.trickbench.core.space.nb201.Nb201Supernet;
import org.trickbench.core.train.EpochContext;
import org.trickbench.core.train.EpochMetrics;
import org.trickbench.core.train.TrainingHook;
import org.trickbench.core.trick.Trick;

class SequentialTest {
    private static final int EPOCHS = 6;

    /**
     * Six epochs, three stages: after epochs 2, 4 and 6 the edges into nodes 1, 2 and 3 are fixed to
     * the argmax they had then, run one-hot, and their α rows no longer move while the rest of α does.
     */
    @Test
    void afterStageKTheEdgesIntoNodeKAreOneHotAndFrozen() {
        try (NDManager m = NDManager.newBaseManager()) {
            PlantedSession session = new PlantedSession(m, 1);
            Nb201Supernet net = session.net;
            TrainingHook hook = Tricks.byId("sequential").hook(Map.of());
            NDArray alpha = net.alpha().getArray();
            for (int epoch = 0; epoch < EPOCHS; epoch++) {
                assertTrue(Hooks.search(hook).beforeArchitectureStep(EpochContext.starting(epoch, EPOCHS, net)));
                // What an architecture step would do: move every row of α, then hold the fixed ones.
                alpha.addi(m.randomNormal(0, 1, new Shape(Genotype.EDGES, 5), alpha.getDataType()));
                net.holdFixedAlpha();
                Genotype argmax = net.genotype();
                float[][] before = rows(alpha);
                Hooks.search(hook).afterSearchEpoch(
                        EpochContext.ended(new EpochMetrics(epoch, 1, 0.5, 0.5, 0.1, 1), EPOCHS, net), session);
                int node = (epoch + 1) / 2;
                for (int e = 0; e < Genotype.EDGES; e++) {
                    int target = Genotype.edgeTarget(e);
                    if (target <= node) {
                        assertEquals(Set.of(net.fixedOp(e)), net.allowed(e), "edge " + e + " one-hot");
                        if (target == node && (epoch + 1) % 2 == 0) {
                            assertEquals(argmax.op(e), net.fixedOp(e), "fixed to the argmax at the stage's end");
                        }
                    } else {
                        assertNull(net.fixedOp(e), "edge " + e + " still mixed after epoch " + epoch);
                    }
                }
                alpha.addi(m.randomNormal(0, 1, new Shape(Genotype.EDGES, 5), alpha.getDataType()));
                net.holdFixedAlpha();
                float[][] after = rows(alpha);
                for (int e = 0; e < Genotype.EDGES; e++) {
                    if (net.fixedOp(e) != null) {
                        assertArrayEquals(before[e], after[e], "edge " + e + " frozen");
                    } else {
                        assertNotEquals(before[e][0], after[e][0], "edge " + e + " still learns");
                    }
                }
            }
        }
    }

    /** A fixed edge's α row gets no gradient (its weight is a constant 1) and the edge proposes its op. */
    @Test
    void aFixedEdgeRunsItsOpAloneAndProposesIt() {
        try (NDManager m = NDManager.newBaseManager()) {
            PlantedSession session = new PlantedSession(m, 1);
            Nb201Supernet net = session.net;
            net.allow(0, Set.of(Nb201Op.AVG_POOL_3X3));
            net.useWeighted();
            NDArray alpha = net.alpha().getArray();
            alpha.setRequiresGradient(true);
            try (GradientCollector c = Engine.getInstance().newGradientCollector()) {
                c.backward(session.forward(session.batches.get(0), true).square().sum());
            }
            float[] gradient = alpha.getGradient().toFloatArray();
            for (int k = 0; k < 5; k++) {
                assertEquals(0f, gradient[k], "fixed edge row, op " + k);
            }
            assertTrue(Math.abs(gradient[5 + Nb201Op.NOR_CONV_3X3.ordinal()]) > 0, "mixed edges still learn");
            assertEquals(Nb201Op.AVG_POOL_3X3, net.genotype().op(0));
        }
    }

    @Test
    void stagesFollowThirdsOfTheEpochsAndActOnlyInGradientSearch() {
        assertEquals(0, Sequential.stagesDone(1, 6));
        assertEquals(1, Sequential.stagesDone(2, 6));
        assertEquals(3, Sequential.stagesDone(1, 1));
        assertEquals(2, Sequential.stagesDone(7, 10));
        Trick t = Tricks.byId("sequential");
        assertEquals(Set.of(Phase.SEARCH), t.phases());
        assertTrue(t.inapplicableReason(Family.ONE_SHOT, Phase.SEARCH).isPresent());
        assertTrue(t.inapplicableReason(Family.GRADIENT, Phase.TRAIN).isPresent());
    }

    private static float[][] rows(NDArray alpha) {
        float[] flat = alpha.toFloatArray();
        float[][] rows = new float[Genotype.EDGES][5];
        for (int e = 0; e < Genotype.EDGES; e++) {
            System.arraycopy(flat, e * 5, rows[e], 0, 5);
        }
        return rows;
    }
}
