package org.trickbench.tricks;

import org.trickbench.core.search.Family;
import org.trickbench.core.trick.Phase;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.trickbench.core.UserInputException;
import org.trickbench.core.space.nb201.Genotype;
import org.trickbench.core.space.nb201.Nb201Op;
import org.trickbench.core.train.TrainingHook;
import org.trickbench.core.trick.Trick;

class FewShotTest {
    private static final int EDGE = 2;

    /**
     * Each sub-supernet starts from the trained supernet's parameters, bit for bit, and differs from it
     * and from its siblings only in which op the split edge runs; then it trains on its own.
     */
    @Test
    void subSupernetsDifferOnlyOnTheSplitEdge() {
        try (NDManager m = NDManager.newBaseManager()) {
            PlantedSession session = new PlantedSession(m, 1);
            List<float[]> trained = session.parameterValues();
            List<Nb201Op> started = new ArrayList<>();
            session.training = (epochs, architecture) -> {
                assertEquals(3, epochs);
                assertTrue(architecture);
                List<float[]> now = session.parameterValues();
                for (int i = 0; i < trained.size(); i++) {
                    assertArrayEquals(trained.get(i), now.get(i), "warm start from the trained supernet");
                }
                for (int e = 0; e < Genotype.EDGES; e++) {
                    if (e != EDGE) {
                        assertEquals(EnumSet.allOf(Nb201Op.class), session.net.allowed(e), "edge " + e);
                    } else {
                        assertTrue(session.net.fixedOp(e) != null, "split edge fixed");
                    }
                }
                Nb201Op op = session.net.fixedOp(EDGE);
                started.add(op);
                // Training moves every weight, by a different amount in each sub-supernet.
                session.net.weights().forEach(p -> p.getArray().addi(op.ordinal() + 1));
            };
            FewShot.Split split = (FewShot.Split) Tricks.byId("few-shot").hook(Map.of("split-edge", EDGE, "epochs", 3));
            split.afterSupernetTraining(session);
            assertEquals(List.of(Nb201Op.values()), started, "one sub-supernet per op of the edge");
            assertEquals(EnumSet.allOf(Nb201Op.class), split.ops());

            Genotype candidate = Genotype.parse(
                    "|skip_connect~0|+|skip_connect~0|nor_conv_1x1~1|+|skip_connect~0|skip_connect~1|skip_connect~2|");
            split.selectWeights(candidate, session);
            assertEquals(Nb201Op.NOR_CONV_1X1, session.net.fixedOp(EDGE));
            float[] weight = session.net.weights().get(0).getArray().toFloatArray();
            float[] base = trained.get(indexOfFirstWeight(session));
            assertEquals(base[0] + Nb201Op.NOR_CONV_1X1.ordinal() + 1, weight[0], 1e-5f,
                    "the candidate is scored with the sub-supernet of its op on the split edge");
        }
    }

    /** A gradient search returns the best sub-supernet's argmax, by shared-weight score. */
    @Test
    void aGradientSearchReturnsTheBestSubSupernetsArgmax() {
        try (NDManager m = NDManager.newBaseManager()) {
            PlantedSession session = new PlantedSession(m, 1);
            TrainingHook hook = Tricks.byId("few-shot").hook(Map.of("split-edge", EDGE));
            Hooks.search(hook).afterSupernetTraining(session);
            session.scores = g -> g.op(EDGE) == Nb201Op.AVG_POOL_3X3 ? 0.9 : 0.1;
            Genotype argmax = session.net.genotype();
            Genotype chosen = Genotype.from(Hooks.search(hook).selectArchitecture(argmax, session));
            assertEquals(argmax.with(EDGE, Nb201Op.AVG_POOL_3X3), chosen);
        }
    }

    @Test
    void withoutASplitNothingChanges() {
        try (NDManager m = NDManager.newBaseManager()) {
            PlantedSession session = new PlantedSession(m, 1);
            session.net.allow(EDGE, Set.of(Nb201Op.SKIP_CONNECT));
            session.training = (epochs, architecture) -> {
                throw new AssertionError("an edge with one op has nothing to split");
            };
            TrainingHook hook = Tricks.byId("few-shot").hook(Map.of("split-edge", EDGE));
            Hooks.search(hook).afterSupernetTraining(session);
            Genotype argmax = session.net.genotype();
            assertEquals(argmax, Hooks.search(hook).selectArchitecture(argmax, session));
            assertNull(session.net.fixedOp(0));
        }
    }

    @Test
    void actsInSupernetSearchesOnlyAndChecksTheEdge() {
        Trick t = Tricks.byId("few-shot");
        assertEquals(Set.of(Phase.SEARCH), t.phases());
        assertTrue(t.inapplicableReason(Family.BLACK_BOX, Phase.SEARCH).isPresent());
        assertTrue(t.inapplicableReason(Family.GRADIENT, Phase.TRAIN).isPresent());
        UserInputException e = assertThrows(UserInputException.class, () -> t.hook(Map.of("split-edge", 6)));
        assertTrue(e.getMessage().startsWith("few-shot: split-edge=6 is out of range; allowed: integer 0 <= split-edge <= 5"),
                e.getMessage());
    }

    private static int indexOfFirstWeight(PlantedSession session) {
        int i = 0;
        for (var p : session.net.getParameters()) {
            if (p.getValue() == session.net.weights().get(0)) {
                return i;
            }
            i++;
        }
        throw new AssertionError();
    }
}
