package org.trickbench.tricks;

import org.trickbench.core.search.Family;
import org.trickbench.core.trick.Phase;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.trickbench.core.UserInputException;
import org.trickbench.core.space.nb201.Genotype;
import org.trickbench.core.space.nb201.Nb201Op;
import org.trickbench.core.space.nb201.Nb201Space;
import org.trickbench.core.space.nb201.Nb201Supernet;
import org.trickbench.core.trick.Trick;

class PriorSpaceTest {
    private static final Set<Nb201Op> DROPPED = Set.of(Nb201Op.NONE, Nb201Op.AVG_POOL_3X3);

    private static Nb201Space prior(Map<String, Object> params) {
        return Hooks.nb201(Tricks.byId("prior-space").hook(params)).configureSpace(Nb201Space.full());
    }

    @Test
    void theDefaultSpaceKeepsSkipAndBothConvolutions() {
        assertEquals(List.of(Nb201Op.SKIP_CONNECT, Nb201Op.NOR_CONV_1X1, Nb201Op.NOR_CONV_3X3), prior(Map.of()).ops());
        assertEquals(List.of(Nb201Op.NONE, Nb201Op.NOR_CONV_3X3),
                prior(Map.of("ops", List.of("nor_conv_3x3", "none"))).ops());
    }

    @Test
    void samplersOfTheSpaceNeverProduceADroppedOp() {
        Nb201Space space = prior(Map.of());
        assertEquals(729, space.cells());
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < 2000; i++) {
            Genotype g = space.randomCell(random);
            assertTrue(space.contains(g), g.toString());
            Genotype child = g.with(random.nextInt(6), space.otherOp(g.op(0), random));
            assertTrue(space.contains(child), child.toString());
            space.neighbours(g).forEach(n -> assertTrue(space.contains(n), n.toString()));
        }
        for (int i = 0; i < space.cells(); i++) {
            assertTrue(space.contains(space.cell(i)));
        }
    }

    /** α and the Gumbel noise both favour the dropped ops; the restricted supernet never proposes or runs one. */
    @Test
    void theRestrictedSupernetNeverProducesADroppedOp() {
        try (NDManager m = NDManager.newBaseManager()) {
            PlantedSession session = new PlantedSession(m, 1);
            Nb201Supernet net = session.net;
            net.restrict(prior(Map.of()));
            float[] a = new float[30];
            float[] noise = new float[30];
            for (int e = 0; e < 6; e++) {
                a[e * 5 + Nb201Op.NONE.ordinal()] = 50;
                a[e * 5 + Nb201Op.AVG_POOL_3X3.ordinal()] = 40;
                noise[e * 5 + Nb201Op.AVG_POOL_3X3.ordinal()] = 30;
            }
            net.alpha().getArray().muli(0).addi(m.create(a, new Shape(6, 5)));
            Genotype argmax = net.genotype();
            argmax.ops().forEach(op -> assertTrue(!DROPPED.contains(op), argmax.toString()));
            net.useGumbel(m.create(noise, new Shape(6, 5)), 0.1);
            session.forward(session.batches.get(0), true);
            net.lastPath().ops().forEach(op -> assertTrue(!DROPPED.contains(op), net.lastPath().toString()));
            SplittableRandom random = new SplittableRandom(2);
            for (int i = 0; i < 500; i++) {
                Genotype path = net.randomPath(random);
                path.ops().forEach(op -> assertTrue(!DROPPED.contains(op), path.toString()));
            }
            assertThrows(IllegalArgumentException.class, () -> net.useSinglePath(Genotype.parse(
                    "|none~0|+|skip_connect~0|skip_connect~1|+|skip_connect~0|skip_connect~1|skip_connect~2|")));
            net.useWeighted();
            NDArray out = session.forward(session.batches.get(0), false);
            assertEquals(new Shape(6, 2), out.getShape());
        }
    }

    @Test
    void anUnknownOpIsRejectedListingTheFiveOps() {
        UserInputException e = assertThrows(UserInputException.class,
                () -> Tricks.byId("prior-space").hook(Map.of("ops", "skip_connect, conv_5x5")));
        assertTrue(e.getMessage().startsWith("prior-space: ops has 'conv_5x5'"), e.getMessage());
        assertTrue(e.getMessage().contains("none, skip_connect, nor_conv_1x1, nor_conv_3x3, avg_pool_3x3"),
                e.getMessage());
        assertThrows(UserInputException.class, () -> Tricks.byId("prior-space").hook(Map.of("ops", "skip_connect")));
        assertThrows(UserInputException.class, () -> Tricks.byId("prior-space").hook(Map.of("ops", "")));
    }

    @Test
    void actsInTheSearchOfEveryFamily() {
        Trick t = Tricks.byId("prior-space");
        assertEquals(Set.of(Phase.SEARCH), t.phases());
        for (Family family : Family.ALL) {
            assertTrue(t.inapplicableReason(family, Phase.SEARCH).isEmpty(), family.word());
            assertTrue(t.inapplicableReason(family, Phase.TRAIN).isPresent(), family.word());
        }
    }
}
