package org.trickbench.tricks;

import org.trickbench.core.search.Family;
import org.trickbench.core.trick.Phase;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.trickbench.core.space.nb201.Genotype;
import org.trickbench.core.space.nb201.Nb201Op;
import org.trickbench.core.space.nb201.Nb201Supernet;
import org.trickbench.core.train.TrainingHook;
import org.trickbench.core.trick.Trick;

class PerturbSelectTest {
    /**
     * α favours skip_connect on every edge, but the planted supernet's accuracy depends on the 3×3
     * convolution: removing it costs 0.3, removing anything else 0.01. Perturbation keeps the
     * convolution; argmax α would keep the skip connection.
     */
    @Test
    void onAPlantedSupernetPicksTheOpArgmaxAlphaWouldNot() {
        try (NDManager m = NDManager.newBaseManager()) {
            PlantedSession session = new PlantedSession(m, 1);
            Nb201Supernet net = session.net;
            float[] a = new float[30];
            for (int e = 0; e < 6; e++) {
                a[e * 5 + Nb201Op.SKIP_CONNECT.ordinal()] = 3;
                a[e * 5 + Nb201Op.NOR_CONV_3X3.ordinal()] = 1;
            }
            net.alpha().getArray().muli(0).addi(m.create(a, new Shape(6, 5)));
            Genotype argmax = net.genotype();
            argmax.ops().forEach(op -> assertEquals(Nb201Op.SKIP_CONNECT, op));
            session.mixed = supernet -> {
                double accuracy = 0.9;
                for (int e = 0; e < 6; e++) {
                    Set<Nb201Op> ops = supernet.allowed(e);
                    accuracy -= ops.contains(Nb201Op.NOR_CONV_3X3) ? 0.01 * (5 - ops.size()) : 0.3;
                }
                return accuracy;
            };
            List<Integer> finetunes = new ArrayList<>();
            session.training = (epochs, architecture) -> {
                assertFalse(architecture, "fine-tuning trains the weights only");
                finetunes.add(epochs);
            };
            TrainingHook hook = Tricks.byId("perturb-select").hook(Map.of("finetune-epochs", 2));
            Genotype chosen = Genotype.from(Hooks.search(hook).selectArchitecture(argmax, session));
            chosen.ops().forEach(op -> assertEquals(Nb201Op.NOR_CONV_3X3, op, chosen.toString()));
            assertNotEquals(argmax, chosen);
            assertEquals(List.of(2, 2, 2, 2, 2, 2), finetunes, "fine-tuned after each edge");
            for (int e = 0; e < 6; e++) {
                assertEquals(Nb201Op.NOR_CONV_3X3, net.fixedOp(e), "every edge decided");
            }
        }
    }

    @Test
    void edgesAreVisitedOnceEachInASeededOrder() {
        List<Integer> a = PerturbSelect.edgeOrder(new SplittableRandom(1));
        assertEquals(Set.of(0, 1, 2, 3, 4, 5), new HashSet<>(a));
        assertEquals(a, PerturbSelect.edgeOrder(new SplittableRandom(1)));
    }

    @Test
    void actsOnlyInGradientSearch() {
        Trick t = Tricks.byId("perturb-select");
        assertEquals(Set.of(Phase.SEARCH), t.phases());
        assertTrue(t.inapplicableReason(Family.ONE_SHOT, Phase.SEARCH).isPresent());
        assertTrue(t.inapplicableReason(Family.GRADIENT, Phase.TRAIN).isPresent());
        assertTrue(t.inapplicableReason(Family.GRADIENT, Phase.SEARCH).isEmpty());
    }
}
