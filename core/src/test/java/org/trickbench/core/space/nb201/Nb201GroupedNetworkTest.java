package org.trickbench.core.space.nb201;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.trickbench.core.train.GradientAgreement;
import org.trickbench.core.train.GroupedParameters;
import org.trickbench.core.train.TorchDefaultInitializer;

/**
 * The grouped network of K networks, their weights packed into it, computes what each network computes
 * alone: its logits and each group's weight gradients, in training mode (batch statistics) and in
 * evaluation (running statistics), for a cell with every kind of op; and so does the grouped network of
 * networks of different genotypes, {@code none} edges included.
 */
@Tag("numerics")
class Nb201GroupedNetworkTest {
    private static final Genotype CELL = Genotype.parse(
            "|nor_conv_3x3~0|+|nor_conv_1x1~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|none~2|");
    /** Differs from {@link #CELL} on every edge. */
    private static final Genotype OTHER = Genotype.parse(
            "|nor_conv_1x1~0|+|none~0|nor_conv_3x3~1|+|avg_pool_3x3~0|skip_connect~1|nor_conv_1x1~2|");
    /** Mostly {@code none}: node 2 gets nothing, so it is zero. */
    private static final Genotype SPARSE = Genotype.parse(
            "|none~0|+|none~0|none~1|+|nor_conv_3x3~0|none~1|avg_pool_3x3~2|");
    private static final NetworkConfig SMOKE = new NetworkConfig(1, 16, 16, 10, 8, 1);
    private static final int RUNS = 3;
    private static final int BATCH = 6;

    @Test
    void eachGroupComputesItsOwnNetwork() {
        List<Genotype> cells = List.of(CELL, CELL, CELL);
        assertEachGroupComputesItsOwn(cells, Nb201GroupedNetwork.build(CELL, SMOKE, RUNS), true);
    }

    @Test
    void eachGroupOfAMixedNetworkComputesItsOwnGenotype() {
        List<Genotype> cells = List.of(CELL, OTHER, SPARSE);
        assertEachGroupComputesItsOwn(cells, Nb201GroupedNetwork.build(cells, SMOKE), false);
    }

    /**
     * Packs {@code cells.size()} networks' weights into {@code grouped} and checks each group's logits
     * and weight gradients against its network's own, in training and in evaluation; the slabs of ops a
     * network does not use get exactly zero gradient from it.
     */
    private static void assertEachGroupComputesItsOwn(List<Genotype> cells, Block grouped, boolean sameSize) {
        try (NDManager manager = NDManager.newBaseManager()) {
            List<Block> singles = new ArrayList<>();
            List<NDArray> inputs = new ArrayList<>();
            for (int i = 0; i < RUNS; i++) {
                Engine.getInstance().setRandomSeed(100 + i);
                Block single = Nb201Network.build(cells.get(i), SMOKE);
                single.setInitializer(new TorchDefaultInitializer(), Parameter.Type.WEIGHT);
                single.initialize(manager, DataType.FLOAT32, Nb201Network.inputShape(SMOKE, BATCH));
                singles.add(single);
                inputs.add(manager.randomNormal(Nb201Network.inputShape(SMOKE, BATCH)));
            }
            grouped.initialize(manager, DataType.FLOAT32,
                    Nb201Network.inputShape(Nb201GroupedNetwork.grouped(SMOKE, RUNS), BATCH));
            List<int[]> slabs = singles.stream().map(single -> Nb201GroupedNetwork.slabs(single, grouped)).toList();
            GroupedParameters.pack(singles, grouped, slabs);
            if (sameSize) {
                assertEquals(RUNS * Nb201Network.countParameters(singles.get(0)), Nb201Network.countParameters(grouped));
            }

            ParameterStore store = new ParameterStore(manager, false);
            for (boolean training : new boolean[] {true, false}) {
                String mode = training ? "training" : "evaluation";
                List<NDArray> alone = new ArrayList<>();
                for (int i = 0; i < RUNS; i++) {
                    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                        NDArray logits = singles.get(i).forward(store, new NDList(inputs.get(i)), training).get(0);
                        collector.backward(logits.square().sum());
                        alone.add(logits.stopGradient());
                    }
                }
                NDArray together;
                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    NDArray logits = grouped.forward(store, new NDList(NDArrays.concat(new NDList(inputs), 1)),
                            training).get(0);
                    collector.backward(logits.square().sum());
                    together = logits.stopGradient();
                }
                List<Parameter> all = grouped.getParameters().values();
                for (int i = 0; i < RUNS; i++) {
                    NDArray logits = together.get(new NDIndex(":, {}:{}", i * SMOKE.classes(), (i + 1) * SMOKE.classes()));
                    assertClose(alone.get(i), logits, mode + " logits of network " + i);
                    List<Parameter> own = singles.get(i).getParameters().values();
                    List<float[]> expected = new ArrayList<>();
                    List<float[]> actual = new ArrayList<>();
                    List<String> names = new ArrayList<>();
                    for (int j = 0; j < all.size(); j++) {
                        Parameter parameter = all.get(j);
                        if (!parameter.requiresGradient()) {
                            continue;
                        }
                        NDArray gradient = parameter.getArray().getGradient();
                        int mine = slabs.get(i)[j];
                        if (mine < 0) {
                            NDArray slab = gradient.reshape(RUNS, -1).get(i);
                            assertEquals(0f, slab.abs().max().getFloat(), mode + " network " + i + " reaches "
                                    + parameter.getName() + ", an op it does not use");
                            continue;
                        }
                        NDArray single = own.get(mine).getArray().getGradient();
                        expected.add(single.toFloatArray());
                        actual.add(GroupedParameters.slice(gradient, i, RUNS, single.getShape()).toFloatArray());
                        names.add(parameter.getName());
                    }
                    GradientAgreement.assertClose(expected, actual, 1e-5, names, mode + " network " + i);
                }
            }
        }
    }

    private static void assertClose(NDArray expected, NDArray actual, String what) {
        assertEquals(expected.getShape(), actual.getShape(), what);
        double scale = expected.abs().max().getFloat();
        double worst = expected.sub(actual).abs().max().getFloat();
        assertTrue(worst <= 1e-5 * scale, what + ": off by " + worst + " of " + scale);
    }
}
