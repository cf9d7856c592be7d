package org.trickbench.core.space.nb201;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
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
 * networks of different genotypes, {@code none} edges and networks of one genotype included, whose
 * convolution ops run over only the channels of the networks that use them.
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
        Block grouped = mixedComputesItsOwn(List.of(CELL, OTHER, SPARSE));
        // Edge 0→1: nor_conv_3x3 for network 0 only, nor_conv_1x1 for network 1 only, none for network 2.
        assertFirstCellConvolution(grouped, "edge0to1_nor_conv_3x3", 1, 3);
        assertFirstCellConvolution(grouped, "edge0to1_nor_conv_1x1", 1, 1);
    }

    /**
     * Networks 0 and 2 share a genotype: an op two of the three use runs over their 2·C channels only
     * (gathered, as they are not contiguous), and each network's weights are the slab at its position
     * among the op's users; the network that does not use the op has no slab in it.
     */
    @Test
    void anOpSomeNetworksUseRunsOverTheirChannelsOnly() {
        Block grouped = mixedComputesItsOwn(List.of(CELL, OTHER, CELL));
        // Edge 0→1: nor_conv_3x3 for networks 0 and 2, nor_conv_1x1 for network 1.
        assertFirstCellConvolution(grouped, "edge0to1_nor_conv_3x3", 2, 3);
        assertFirstCellConvolution(grouped, "edge0to1_nor_conv_1x1", 1, 1);
        int conv = firstCellWeightIndex(grouped, "edge0to1_nor_conv_3x3");
        GroupedParameters.Slab first = Nb201GroupedNetwork.slabs(Nb201Network.build(CELL, SMOKE), grouped, 0, RUNS)
                .get(conv);
        GroupedParameters.Slab last = Nb201GroupedNetwork.slabs(Nb201Network.build(CELL, SMOKE), grouped, 2, RUNS)
                .get(conv);
        assertEquals(List.of(0, 2, 1, 2), List.of(first.position(), first.count(), last.position(), last.count()));
        assertEquals(first.own(), last.own());
        assertFalse(Nb201GroupedNetwork.slabs(Nb201Network.build(OTHER, SMOKE), grouped, 1, RUNS).get(conv).held());
    }

    /**
     * Networks 0 and 1 share a genotype and so read contiguous channels (a slice, no gather), and
     * network 2's {@code none} edges are exact zeros after theirs.
     */
    @Test
    void contiguousUsersAndNoneEdgesComputeTheirOwn() {
        Block grouped = mixedComputesItsOwn(List.of(OTHER, OTHER, SPARSE));
        assertFirstCellConvolution(grouped, "edge0to1_nor_conv_1x1", 2, 1);
    }

    /** The grouped network of {@code cells}, checked to compute each network's own. */
    private static Block mixedComputesItsOwn(List<Genotype> cells) {
        Block grouped = Nb201GroupedNetwork.build(cells, SMOKE);
        assertEachGroupComputesItsOwn(cells, grouped, false);
        return grouped;
    }

    /**
     * The first cell's convolution of op block {@code op} (e.g. "edge0to1_nor_conv_3x3") is that of
     * {@code networks} networks only: {@code networks}·C output channels of C inputs each.
     */
    private static void assertFirstCellConvolution(Block grouped, String op, int networks, int kernel) {
        int c = SMOKE.channels();
        assertEquals(new Shape(networks * c, c, kernel, kernel),
                grouped.getParameters().get(firstCellWeightIndex(grouped, op)).getValue().getShape(), op);
    }

    /** The index of the first convolution weight under an op block named {@code op}. */
    private static int firstCellWeightIndex(Block grouped, String op) {
        PairList<String, Parameter> parameters = grouped.getParameters();
        for (int j = 0; j < parameters.size(); j++) {
            Parameter parameter = parameters.get(j).getValue();
            if (parameters.get(j).getKey().contains(op) && parameter.getType() == Parameter.Type.WEIGHT
                    && parameter.getShape().dimension() == 4) {
                return j;
            }
        }
        throw new AssertionError("no convolution weight of " + op);
    }

    /**
     * Packs {@code cells.size()} networks' weights into {@code grouped} and checks each group's logits
     * and weight gradients against its network's own, in training and in evaluation; a parameter holds
     * only the slabs of the networks whose op it is.
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
            List<List<GroupedParameters.Slab>> slabs = new ArrayList<>();
            for (int i = 0; i < RUNS; i++) {
                slabs.add(Nb201GroupedNetwork.slabs(singles.get(i), grouped, i, RUNS));
            }
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
                        GroupedParameters.Slab mine = slabs.get(i).get(j);
                        if (!mine.held()) {
                            continue;
                        }
                        NDArray single = own.get(mine.own()).getArray().getGradient();
                        expected.add(single.toFloatArray());
                        actual.add(GroupedParameters.slice(gradient, mine.position(), mine.count(), single.getShape())
                                .toFloatArray());
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
