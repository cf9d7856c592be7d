package org.trickbench.core.space.nb201;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.trickbench.core.seed.Seeds;
import org.trickbench.core.train.NesterovSgd;
import org.trickbench.core.train.TorchDefaultInitializer;
import org.trickbench.core.train.TrainingLoop;

class Nb201SupernetTest {
    /** C=2, N=1 on 1×8×8 images with 2 classes: every mechanism, in milliseconds. */
    private static final NetworkConfig TINY = new NetworkConfig(1, 8, 8, 2, 2, 1);

    private static Nb201Supernet supernet(NDManager manager, DataType type, long seed) {
        new Seeds(seed).seedEngine("supernet-test");
        Nb201Supernet net = Nb201Supernet.standard(TINY);
        net.setInitializer(new TorchDefaultInitializer(), Parameter.Type.WEIGHT);
        net.initialize(manager, type, new Shape(4, 1, 8, 8));
        return net;
    }

    private static NDArray images(NDManager manager, DataType type) {
        new Seeds(99).seedEngine("images");
        return manager.randomNormal(0, 1, new Shape(4, 1, 8, 8), type);
    }

    private static NDArray targets(NDManager manager, DataType type) {
        return manager.create(new long[] {0, 1, 1, 0}).oneHot(2, type);
    }

    private static NDArray loss(Nb201Supernet net, NDManager manager, NDArray x, NDArray y) {
        NDArray logits = net.forward(new ParameterStore(manager, false), new NDList(x), true).singletonOrThrow();
        return TrainingLoop.crossEntropy(logits, y);
    }

    private static Map<Parameter, float[]> snapshot(Nb201Supernet net) {
        Map<Parameter, float[]> values = new IdentityHashMap<>();
        for (Pair<String, Parameter> p : net.getParameters()) {
            values.put(p.getValue(), p.getValue().getArray().toFloatArray());
        }
        return values;
    }

    @Test
    void oneAlphaOfSixEdgesByFiveOpsIsSharedByEveryCellAndInitialisedAtDartsScale() {
        try (NDManager manager = NDManager.newBaseManager()) {
            new Seeds(1).seedEngine("supernet-test");
            NetworkConfig twoPerStage = new NetworkConfig(1, 8, 8, 2, 2, 2);
            Nb201Supernet net = Nb201Supernet.standard(twoPerStage);
            // A weight initialiser for everything of type WEIGHT must leave α to its own initialiser.
            net.setInitializer(new ConstantInitializer(0.5f), Parameter.Type.WEIGHT);
            net.initialize(manager, DataType.FLOAT32, new Shape(2, 1, 8, 8));
            List<Parameter> architecture = new ArrayList<>();
            for (Pair<String, Parameter> p : net.getParameters()) {
                if (p.getValue().getType() == Parameter.Type.OTHER) {
                    architecture.add(p.getValue());
                }
            }
            assertEquals(List.of(net.alpha()), architecture);
            assertEquals(6, net.cells().size());
            assertEquals(new Shape(6, 5), net.alpha().getArray().getShape());
            double sumSq = 0;
            for (double[] row : net.alphaValues()) {
                for (double a : row) {
                    sumSq += a * a;
                }
            }
            double std = Math.sqrt(sumSq / 30);
            assertTrue(std > 3e-4 && std < 3e-3, "α standard deviation " + std + " should be about 1e-3");
            assertFalse(net.weights().contains(net.alpha()));
            assertEquals(Math.log(5), net.meanEntropy(), 1e-4);
        }
    }

    @Test
    void genotypeIsTheArgmaxOverAllFiveOpsWithNoneIncluded() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Nb201Supernet net = supernet(manager, DataType.FLOAT32, 2);
            float[] a = new float[30];
            int[] best = {0, 3, 1, 4, 2, 0};
            for (int e = 0; e < 6; e++) {
                for (int k = 0; k < 5; k++) {
                    a[e * 5 + k] = k == best[e] ? 2f : -0.1f * k;
                }
            }
            manager.create(a, new Shape(6, 5)).copyTo(net.alpha().getArray());
            assertEquals(Genotype.parse("|none~0|+|nor_conv_3x3~0|skip_connect~1|+|avg_pool_3x3~0|nor_conv_1x1~1|none~2|"),
                    net.genotype());
        }
    }

    @Test
    void weightedAlphaGradientMatchesCentralFiniteDifferencesOfTheLoss() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Nb201Supernet net = supernet(manager, DataType.FLOAT64, 3);
            NDArray x = images(manager, DataType.FLOAT64);
            NDArray y = targets(manager, DataType.FLOAT64);
            // Spread α so that softmax(α) is far from uniform and every op's share matters.
            new Seeds(4).seedEngine("alpha");
            manager.randomNormal(0, 1, new Shape(6, 5), DataType.FLOAT64).copyTo(net.alpha().getArray());
            net.useWeighted();
            double[] backprop;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                collector.backward(loss(net, manager, x, y));
            }
            backprop = net.alpha().getArray().getGradient().toDoubleArray();
            double[] numeric = centralDifferences(net, manager, x, y, 1e-6);
            assertTrue(relativeError(numeric, backprop) < 1e-4,
                    "relative error " + relativeError(numeric, backprop));
        }
    }

    static double[] centralDifferences(Nb201Supernet net, NDManager manager, NDArray x, NDArray y, double h) {
        NDArray alpha = net.alpha().getArray();
        NDArray saved = alpha.duplicate();
        double[] grad = new double[30];
        for (int i = 0; i < 30; i++) {
            double[] delta = new double[30];
            delta[i] = h;
            NDArray d = manager.create(delta, new Shape(6, 5));
            saved.add(d).copyTo(alpha);
            double plus = loss(net, manager, x, y).getDouble();
            saved.sub(d).copyTo(alpha);
            double minus = loss(net, manager, x, y).getDouble();
            grad[i] = (plus - minus) / (2 * h);
        }
        saved.copyTo(alpha);
        return grad;
    }

    static double relativeError(double[] expected, double[] actual) {
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < expected.length; i++) {
            diff += (expected[i] - actual[i]) * (expected[i] - actual[i]);
            norm += expected[i] * expected[i];
        }
        return Math.sqrt(diff / norm);
    }

    @Test
    void gumbelPassRunsOneOpPerEdgeWhileEveryAlphaGetsAGradient() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Nb201Supernet net = supernet(manager, DataType.FLOAT32, 5);
            NDArray x = images(manager, DataType.FLOAT32);
            NDArray y = targets(manager, DataType.FLOAT32);
            float[] g = new float[30];
            java.util.SplittableRandom random = new Seeds(6).forPurpose("gumbel");
            for (int i = 0; i < 30; i++) {
                g[i] = (float) -Math.log(-Math.log(random.nextDouble()));
            }
            // Tilt the draw away from 'none': a node fed only by 'none' is exactly zero, and the ReLU
            // of the next op passes no gradient at zero, in the benchmark's GDAS as here.
            int[] tilt = {3, 1, 2, 4, 3, 2};
            for (int e = 0; e < 6; e++) {
                g[e * 5 + tilt[e]] += 8;
            }
            Map<Parameter, float[]> before = snapshot(net);
            net.useGumbel(manager.create(g, new Shape(6, 5)), 10);
            NDArray gumbelLoss;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray l = loss(net, manager, x, y);
                gumbelLoss = l;
                collector.backward(l);
            }
            Genotype path = net.lastPath();
            // The hot op of each edge is argmax(α + g): log-softmax only shifts a row.
            double[][] a = net.alphaValues();
            for (int e = 0; e < 6; e++) {
                int best = 0;
                for (int k = 1; k < 5; k++) {
                    if (a[e][k] + g[e * 5 + k] > a[e][best] + g[e * 5 + best]) {
                        best = k;
                    }
                }
                assertEquals(Nb201Op.values()[best], path.op(e), "edge " + e);
                assertEquals(Nb201Op.values()[tilt[e]], path.op(e), "edge " + e);
            }
            float[] grad = net.alpha().getArray().getGradient().toFloatArray();
            for (float v : grad) {
                assertNotEquals(0f, v, "every α must receive a gradient: " + path + " " + java.util.Arrays.toString(grad));
            }
            // Ops off the path never ran: their BatchNorm running statistics are untouched.
            Set<Parameter> onPath = Collections.newSetFromMap(new IdentityHashMap<>());
            for (Nb201SearchCell cell : net.cells()) {
                for (int e = 0; e < 6; e++) {
                    for (Nb201Op op : Nb201Op.values()) {
                        for (Pair<String, Parameter> p : cell.edge(e).candidate(op).getParameters()) {
                            boolean runningStat = p.getValue().getType() == Parameter.Type.RUNNING_MEAN;
                            if (!runningStat) {
                                continue;
                            }
                            float[] now = p.getValue().getArray().toFloatArray();
                            if (op == path.op(e)) {
                                onPath.add(p.getValue());
                                assertFalse(java.util.Arrays.equals(before.get(p.getValue()), now), "ran: " + op.id());
                            } else {
                                assertArrayEquals(before.get(p.getValue()), now, "did not run: " + op.id());
                            }
                        }
                    }
                }
            }
            // The value is the single path's: the straight-through weights are 1 on the hot op, 0 elsewhere.
            net.useSinglePath(path);
            assertEquals(gumbelLoss.getFloat(), loss(net, manager, x, y).getFloat(), 1e-5f);
        }
    }

    @Test
    void singlePathStepChangesOnlyTheSampledOpsWeights() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Nb201Supernet net = supernet(manager, DataType.FLOAT32, 7);
            NDArray x = images(manager, DataType.FLOAT32);
            NDArray y = targets(manager, DataType.FLOAT32);
            Genotype path = Genotype.parse("|nor_conv_3x3~0|+|nor_conv_1x1~0|none~1|+|skip_connect~0|avg_pool_3x3~1|nor_conv_3x3~2|");
            Map<Parameter, float[]> before = snapshot(net);
            net.useSinglePath(path);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                collector.backward(loss(net, manager, x, y));
            }
            NesterovSgd sgd = new NesterovSgd(0.1f, 0.9f, true, 5e-4f);
            List<Parameter> used = net.weights(path);
            for (Parameter p : used) {
                sgd.update(p.getId(), p.getArray(), p.getArray().getGradient());
            }
            Set<Parameter> usedSet = Collections.newSetFromMap(new IdentityHashMap<>());
            usedSet.addAll(used);
            Set<Parameter> offPath = Collections.newSetFromMap(new IdentityHashMap<>());
            for (Nb201SearchCell cell : net.cells()) {
                for (int e = 0; e < 6; e++) {
                    for (Nb201Op op : Nb201Op.values()) {
                        if (op != path.op(e)) {
                            for (Pair<String, Parameter> p : cell.edge(e).candidate(op).getParameters()) {
                                offPath.add(p.getValue());
                            }
                        }
                    }
                }
            }
            assertFalse(offPath.isEmpty());
            int changed = 0;
            for (Pair<String, Parameter> pair : net.getParameters()) {
                Parameter p = pair.getValue();
                boolean differs = !java.util.Arrays.equals(before.get(p), p.getArray().toFloatArray());
                if (offPath.contains(p)) {
                    // Weights and BatchNorm statistics alike: the op neither ran nor was updated.
                    assertFalse(differs, "off the path, bit-identical: " + pair.getKey());
                } else if (usedSet.contains(p) && p.getType() == Parameter.Type.WEIGHT) {
                    assertTrue(differs, "a weight on the path must train: " + pair.getKey());
                    changed++;
                }
            }
            // Per cell: conv3x3 on edge 0, conv1x1 on edge 1, conv3x3 on edge 5; 3 cells; plus skeleton weights.
            assertTrue(changed >= 9, "changed weights " + changed);
            assertArrayEquals(before.get(net.alpha()), net.alpha().getArray().toFloatArray());
        }
    }
}
