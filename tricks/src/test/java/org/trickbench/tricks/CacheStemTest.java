package org.trickbench.tricks;

import org.trickbench.core.search.Family;
import org.trickbench.core.trick.Phase;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.trickbench.core.data.DeviceSplit;
import org.trickbench.core.data.PreparedData;
import org.trickbench.core.space.nb201.Genotype;
import org.trickbench.core.space.nb201.Nb201Supernet;
import org.trickbench.core.trick.Trick;

class CacheStemTest {
    private static PreparedData data(NDManager m) {
        NDArray train = m.randomUniform(0, 1, new Shape(700, 1, 8, 8));
        NDArray eval = m.randomUniform(0, 1, new Shape(30, 1, 8, 8));
        return new PreparedData("toy", new DeviceSplit(train, m.zeros(new Shape(700), DataType.INT64), 2),
                new DeviceSplit(eval, m.zeros(new Shape(30), DataType.INT64), 2), "valid",
                m.create(new float[] {0.5f}).reshape(1, 1, 1), m.create(new float[] {0.3f}).reshape(1, 1, 1), 8,
                "toy split");
    }

    /**
     * The cached maps are the live stem's output for every image, the supernet takes them in place of
     * the images and gives the same logits, and the stem's weights are out of training.
     */
    @Test
    void cachedTensorEqualsTheLiveStemOutputAndTheStemIsFrozen() {
        try (NDManager m = NDManager.newBaseManager()) {
            PlantedSession session = new PlantedSession(m, 1);
            Nb201Supernet net = session.net;
            PreparedData data = data(m);
            NDArray normalized = data.normalize(data.train().images());
            NDArray live = net.stemOutput(normalized);
            net.useWeighted();
            NDArray logits = session.forward(normalized.get(new NDIndex("0:6")), false);
            List<float[]> stemBefore = stemWeights(net);

            PreparedData cached = Hooks.search(Tricks.byId("cache-stem").hook(Map.of())).configureSearchData(data, net);

            assertTrue(net.stemBypassed());
            assertArrayEquals(live.toFloatArray(), cached.train().images().toFloatArray(), 1e-6f);
            assertArrayEquals(net.stemOutput(data.normalize(data.eval().images())).toFloatArray(),
                    cached.eval().images().toFloatArray(), 1e-6f);
            assertEquals(new Shape(700, 2, 8, 8), cached.train().images().getShape());
            assertSame(data.train().labels(), cached.train().labels());
            NDArray standardised = cached.normalize(cached.train().images());
            NDArray byChannel = standardised.transpose(1, 0, 2, 3).reshape(2, -1);
            assertArrayEquals(new float[] {0, 0}, byChannel.mean(new int[] {1}).toFloatArray(), 1e-4f);
            assertArrayEquals(new float[] {1, 1}, byChannel.square().mean(new int[] {1}).toFloatArray(), 1e-3f);

            // The bypassed supernet on the raw cached maps is the supernet on the images.
            assertArrayEquals(logits.toFloatArray(),
                    session.forward(cached.train().images().get(new NDIndex("0:6")), false).toFloatArray(), 1e-5f);

            Set<Parameter> trainable = Set.copyOf(net.weights());
            Set<Parameter> onAPath = Set.copyOf(net.weights(Genotype.parse(
                    "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|")));
            for (Pair<String, Parameter> p : stem(net).getParameters()) {
                assertFalse(p.getValue().requiresGradient(), p.getKey());
                assertFalse(trainable.contains(p.getValue()), p.getKey());
                assertFalse(onAPath.contains(p.getValue()), p.getKey());
            }
            // A training pass and an update of every trainable weight leave the stem as it was.
            try (GradientCollector c = Engine.getInstance().newGradientCollector()) {
                c.backward(session.forward(standardised.get(new NDIndex("0:6")), true).sum());
            }
            trainable.forEach(p -> p.getArray().subi(p.getArray().getGradient().mul(0.1)));
            List<float[]> stemAfter = stemWeights(net);
            for (int i = 0; i < stemBefore.size(); i++) {
                assertArrayEquals(stemBefore.get(i), stemAfter.get(i));
            }
        }
    }

    @Test
    void appliesToSupernetSearchesAndSaysWhyNotToBlackBox() {
        Trick t = Tricks.byId("cache-stem");
        assertEquals(Set.of(Phase.SEARCH), t.phases());
        assertTrue(t.inapplicableReason(Family.GRADIENT, Phase.SEARCH).isEmpty());
        assertTrue(t.inapplicableReason(Family.ONE_SHOT, Phase.SEARCH).isEmpty());
        assertTrue(t.inapplicableReason(Family.GRADIENT, Phase.TRAIN).isPresent());
        String why = t.inapplicableReason(Family.BLACK_BOX, Phase.SEARCH).orElseThrow();
        assertTrue(why.contains("no shared stem"), why);
    }

    private static Block stem(Nb201Supernet net) {
        return net.stem();
    }

    private static List<float[]> stemWeights(Nb201Supernet net) {
        List<float[]> values = new ArrayList<>();
        for (Pair<String, Parameter> p : stem(net).getParameters()) {
            values.add(p.getValue().getArray().toFloatArray());
        }
        return values;
    }
}
