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
import org.junit.jupiter.api.Test;
import org.trickbench.core.train.GradientAgreement;
import org.trickbench.core.train.GroupedParameters;
import org.trickbench.core.train.TorchDefaultInitializer;

/**
 * The grouped network of K networks, their weights packed into it, computes what each network computes
 * alone: its logits and each group's weight gradients, in training mode (batch statistics) and in
 * evaluation (running statistics), for a cell with every kind of op.
 */
class Nb201GroupedNetworkTest {
    private static final Genotype CELL = Genotype.parse(
            "|nor_conv_3x3~0|+|nor_conv_1x1~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|none~2|");
    private static final NetworkConfig SMOKE = new NetworkConfig(1, 16, 16, 10, 8, 1);
    private static final int RUNS = 3;
    private static final int BATCH = 6;

    @Test
    void eachGroupComputesItsOwnNetwork() {
        try (NDManager manager = NDManager.newBaseManager()) {
            List<Block> singles = new ArrayList<>();
            List<NDArray> inputs = new ArrayList<>();
            for (int i = 0; i < RUNS; i++) {
                Engine.getInstance().setRandomSeed(100 + i);
                Block single = Nb201Network.build(CELL, SMOKE);
                single.setInitializer(new TorchDefaultInitializer(), Parameter.Type.WEIGHT);
                single.initialize(manager, DataType.FLOAT32, Nb201Network.inputShape(SMOKE, BATCH));
                singles.add(single);
                inputs.add(manager.randomNormal(Nb201Network.inputShape(SMOKE, BATCH)));
            }
            Block grouped = Nb201GroupedNetwork.build(CELL, SMOKE, RUNS);
            grouped.initialize(manager, DataType.FLOAT32,
                    Nb201Network.inputShape(Nb201GroupedNetwork.grouped(SMOKE, RUNS), BATCH));
            GroupedParameters.pack(singles, grouped);
            assertEquals(RUNS * Nb201Network.countParameters(singles.get(0)), Nb201Network.countParameters(grouped));

            ParameterStore store = new ParameterStore(manager, false);
            for (boolean training : new boolean[] {true, false}) {
                List<NDArray> alone = new ArrayList<>();
                List<List<NDArray>> aloneGradients = new ArrayList<>();
                for (int i = 0; i < RUNS; i++) {
                    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                        NDArray logits = singles.get(i).forward(store, new NDList(inputs.get(i)), training).get(0);
                        collector.backward(logits.square().sum());
                        alone.add(logits.stopGradient());
                    }
                    aloneGradients.add(gradients(singles.get(i)));
                }
                NDArray together;
                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    NDArray logits = grouped.forward(store, new NDList(NDArrays.concat(new NDList(inputs), 1)),
                            training).get(0);
                    collector.backward(logits.square().sum());
                    together = logits.stopGradient();
                }
                List<NDArray> groupedGradients = gradients(grouped);
                List<String> names = new ArrayList<>();
                grouped.getParameters().forEach(p -> {
                    if (p.getValue().requiresGradient()) {
                        names.add(p.getKey());
                    }
                });
                for (int i = 0; i < RUNS; i++) {
                    NDArray logits = together.get(new NDIndex(":, {}:{}", i * SMOKE.classes(), (i + 1) * SMOKE.classes()));
                    String mode = training ? "training" : "evaluation";
                    assertClose(alone.get(i), logits, mode + " logits of network " + i);
                    List<float[]> expected = new ArrayList<>();
                    List<float[]> actual = new ArrayList<>();
                    for (int j = 0; j < groupedGradients.size(); j++) {
                        NDArray single = aloneGradients.get(i).get(j);
                        expected.add(single.toFloatArray());
                        actual.add(GroupedParameters.slice(groupedGradients.get(j), i, RUNS, single.getShape())
                                .toFloatArray());
                    }
                    GradientAgreement.assertClose(expected, actual, 1e-5, names, mode + " network " + i);
                }
            }
        }
    }

    private static List<NDArray> gradients(Block network) {
        List<NDArray> out = new ArrayList<>();
        network.getParameters().forEach(p -> {
            NDArray w = p.getValue().getArray();
            if (p.getValue().requiresGradient()) {
                out.add(w.getGradient().duplicate());
            }
        });
        return out;
    }

    private static void assertClose(NDArray expected, NDArray actual, String what) {
        assertEquals(expected.getShape(), actual.getShape(), what);
        double scale = expected.abs().max().getFloat();
        double worst = expected.sub(actual).abs().max().getFloat();
        assertTrue(worst <= 1e-5 * scale, what + ": off by " + worst + " of " + scale);
    }
}
