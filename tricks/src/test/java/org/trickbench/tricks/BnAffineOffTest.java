package org.trickbench.tricks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.trickbench.core.space.nb201.Nb201Network;
import org.trickbench.core.space.nb201.Nb201Ops;
import org.trickbench.core.space.nb201.Nb201SearchCell;
import org.trickbench.core.space.nb201.Nb201Supernet;
import org.trickbench.core.space.nb201.NetworkConfig;
import org.trickbench.core.train.TorchDefaultInitializer;
import org.trickbench.core.train.TrainingHook;

class BnAffineOffTest {
    private static final NetworkConfig CONFIG = new NetworkConfig(1, 8, 8, 2, 4, 1);

    /** Learnable BatchNorm scales and shifts in {@code block}. */
    static long affine(Block block) {
        long n = 0;
        for (Pair<String, Parameter> p : block.getParameters()) {
            Parameter.Type type = p.getValue().getType();
            if ((type == Parameter.Type.GAMMA || type == Parameter.Type.BETA) && p.getValue().requiresGradient()) {
                n++;
            }
        }
        return n;
    }

    private static long inCells(Nb201Supernet net) {
        return net.cells().stream().mapToLong(BnAffineOffTest::affine).sum();
    }

    @Test
    void supernetOpsHaveNoLearnableGammaOrBetaWhileTheSkeletonKeepsThem() {
        TrainingHook hook = new BnAffineOff().hook(Map.of());
        try (NDManager m = NDManager.newBaseManager()) {
            Nb201Supernet plain = new Nb201Supernet(CONFIG, Nb201Ops.standard(), Nb201Ops.standard());
            Nb201Supernet off = new Nb201Supernet(CONFIG, Nb201Ops.standard(),
                    Hooks.nb201(hook).configureSupernetCells(Nb201Ops.standard()));
            for (Nb201Supernet net : new Nb201Supernet[] {plain, off}) {
                net.setInitializer(new TorchDefaultInitializer(), Parameter.Type.WEIGHT);
                net.initialize(m, DataType.FLOAT32, Nb201Network.inputShape(CONFIG, 2));
            }
            // Three cells × six edges × two conv ops, each with one BatchNorm: γ and β.
            assertEquals(3 * 6 * 2 * 2, inCells(plain), "without the trick the ops' BatchNorm is affine");
            assertEquals(0, inCells(off));
            long skeleton = affine(plain) - inCells(plain);
            assertTrue(skeleton > 0);
            assertEquals(skeleton, affine(off), "stem, reductions and head keep γ and β");
            for (Nb201SearchCell cell : off.cells()) {
                for (Pair<String, Parameter> p : cell.getParameters()) {
                    assertTrue(!off.weights().contains(p.getValue()) || p.getValue().getType() == Parameter.Type.WEIGHT,
                            "the optimiser sees no γ or β of the ops: " + p.getKey());
                }
            }
        }
    }

    @Test
    void standaloneNetworksAreUntouched() {
        Nb201Ops ops = Nb201Ops.standard();
        assertSame(ops, Hooks.nb201(new BnAffineOff().hook(Map.of())).configureNetwork(ops));
    }
}
