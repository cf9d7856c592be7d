package org.trickbench.core.space.darts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.trickbench.core.seed.Seeds;
import org.trickbench.core.space.GumbelSample;

/** GDAS's Gumbel mode on the DARTS search network: the straight-through gradient and what a pass runs. */
class DartsGumbelTest {
    /** C=4, L=5 (N=1: normal, reduce, normal, reduce, normal) on 1×8×8 images, 3 classes. */
    private static final DartsConfig TINY = new DartsConfig(1, 8, 8, 3, 4, 5, false);
    private static final int OPS = DartsOp.values().length;

    private static double[] gumbel(Random random, int n) {
        double[] g = new double[n];
        for (int i = 0; i < n; i++) {
            g[i] = -Math.log(-Math.log(random.nextDouble()));
        }
        return g;
    }

    /** p = softmax((log softmax(α) + g) / τ), in double. */
    private static double[] gumbelSoftmax(double[] alpha, double[] g, double tau) {
        double[] s = softmax(alpha, 1);
        double[] z = new double[alpha.length];
        for (int i = 0; i < alpha.length; i++) {
            z[i] = Math.log(s[i]) + g[i];
        }
        return softmax(z, tau);
    }

    private static double[] softmax(double[] x, double tau) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : x) {
            max = Math.max(max, v);
        }
        double[] e = new double[x.length];
        double z = 0;
        for (int i = 0; i < x.length; i++) {
            e[i] = Math.exp((x[i] - max) / tau);
            z += e[i];
        }
        for (int i = 0; i < x.length; i++) {
            e[i] /= z;
        }
        return e;
    }

    /**
     * One mixed edge under a sample of its α row, loss L = Σ y · r with y = h_k · op_k(x) + Σ_{j≠k} h_j: the
     * straight-through estimator gives ∂L/∂α = Σ_j c_j ∂p_j/∂α with c_k = Σ op_k(x) · r and c_j = Σ r for
     * j ≠ k. By hand, ∂p_j/∂α_i = Σ_m p_j (δ_jm − p_m) / τ · (δ_mi − s_i), s = softmax(α); the same value is
     * also the central finite difference of F(α) = Σ_j c_j p_j(α), computed in double.
     */
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 4, 7})
    void straightThroughGradientOfAlphaIsTheHandDerivedOne(int target) {
        double tau = 1.5;
        Random random = new Random(11 + target);
        double[] alpha = new double[OPS];
        for (int i = 0; i < OPS; i++) {
            alpha[i] = 0.3 * random.nextGaussian();
        }
        double[] g = gumbel(random, OPS);
        double top = Double.NEGATIVE_INFINITY;
        for (double v : g) {
            top = Math.max(top, v);
        }
        // The target wins by a margin, and p stays far from one-hot, so the gradient is not vanishing.
        g[target] = top + 1.5;
        try (NDManager manager = NDManager.newBaseManager()) {
            new Seeds(5).seedEngine("darts-gumbel-test");
            DartsMixedOp edge = new DartsMixedOp(2, 1);
            edge.initialize(manager, DataType.FLOAT32, new Shape(2, 2, 4, 4));
            NDArray x = manager.randomNormal(new Shape(2, 2, 4, 4));
            NDArray r = manager.randomNormal(new Shape(2, 2, 4, 4));
            NDArray a = manager.create(alpha).toType(DataType.FLOAT32, false).reshape(1, OPS);
            a.setRequiresGradient(true);
            NDArray noise = manager.create(g).toType(DataType.FLOAT32, false).reshape(1, OPS);
            ParameterStore ps = new ParameterStore(manager, false);
            double opDotR;
            try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
                GumbelSample sample = GumbelSample.draw(a, noise, tau);
                assertEquals(target, sample.chosen()[0], "the noise picks the target op");
                NDArray[] h = new NDArray[OPS];
                for (int k = 0; k < OPS; k++) {
                    h[k] = sample.weights().get(0).get(k);
                }
                NDArray y = edge.oneHot(ps, x, h, target, GumbelSample.others(h, target), true, null);
                assertArrayEquals(edge.run(ps, DartsOp.values()[target], x, true, null).toFloatArray(), y.toFloatArray(),
                        1e-5f, "h is one-hot in value: the output is op_k(x)");
                opDotR = edge.run(ps, DartsOp.values()[target], x, true, null).mul(r).sum().getFloat();
                collector.backward(y.mul(r).sum());
            }
            double[] autograd = a.getGradient().toType(DataType.FLOAT64, false).toDoubleArray();
            double sumR = r.sum().getFloat();
            double[] c = new double[OPS];
            for (int j = 0; j < OPS; j++) {
                c[j] = j == target ? opDotR : sumR;
            }
            double[] s = softmax(alpha, 1);
            double[] p = gumbelSoftmax(alpha, g, tau);
            double[] byHand = new double[OPS];
            for (int i = 0; i < OPS; i++) {
                for (int j = 0; j < OPS; j++) {
                    for (int m = 0; m < OPS; m++) {
                        byHand[i] += c[j] * p[j] * ((j == m ? 1 : 0) - p[m]) / tau * ((m == i ? 1 : 0) - s[i]);
                    }
                }
            }
            double eps = 1e-6;
            double scale = 0;
            for (int i = 0; i < OPS; i++) {
                double[] plus = alpha.clone();
                double[] minus = alpha.clone();
                plus[i] += eps;
                minus[i] -= eps;
                double fd = (dot(c, gumbelSoftmax(plus, g, tau)) - dot(c, gumbelSoftmax(minus, g, tau))) / (2 * eps);
                assertEquals(byHand[i], fd, 1e-6 * Math.max(1, Math.abs(fd)), "finite difference, op " + i);
                scale = Math.max(scale, Math.abs(byHand[i]));
            }
            assertTrue(scale > 1e-3, "a gradient worth checking: " + scale);
            for (int i = 0; i < OPS; i++) {
                assertEquals(byHand[i], autograd[i], 1e-4 * Math.max(1, scale), "∂L/∂α of op " + i);
            }
        }
    }

    private static double dot(double[] a, double[] b) {
        double d = 0;
        for (int i = 0; i < a.length; i++) {
            d += a[i] * b[i];
        }
        return d;
    }

    private static DartsSupernet supernet(NDManager manager) {
        new Seeds(1).seedEngine("darts-gumbel-test");
        DartsSupernet net = new DartsSupernet(TINY);
        net.initialize(manager, DataType.FLOAT32, DartsSupernet.inputShape(TINY, 4));
        return net;
    }

    private static List<NDArray> noise(NDManager manager, Random random) {
        return List.of(manager.create(gumbel(random, 14 * OPS), new Shape(14, OPS)).toType(DataType.FLOAT32, false),
                manager.create(gumbel(random, 14 * OPS), new Shape(14, OPS)).toType(DataType.FLOAT32, false));
    }

    /**
     * A Gumbel pass runs, on every edge, the sampled op alone at weight one: its output equals the weighted
     * pass with α set to a large multiple of the sample's one-hot rows, where softmax puts all weight on it.
     */
    @Test
    void aGumbelPassIsTheWeightedPassOfItsOneHotSample() {
        try (NDManager manager = NDManager.newBaseManager()) {
            DartsSupernet net = supernet(manager);
            NDArray images = manager.randomNormal(new Shape(4, 1, 8, 8));
            Random random = new Random(3);
            List<NDArray> g = noise(manager, random);
            ParameterStore ps = new ParameterStore(manager, false);
            net.useGumbel(g, 0.5);
            float[] gumbelOut = net.forward(ps, new NDList(images), false).singletonOrThrow().toFloatArray();
            for (int type = 0; type < 2; type++) {
                double[][] a = net.alphaValues(type == 1);
                double[] noise = g.get(type).toType(DataType.FLOAT64, false).toDoubleArray();
                float[] hot = new float[14 * OPS];
                for (int e = 0; e < 14; e++) {
                    double[] s = softmax(a[e], 1);
                    int best = 0;
                    for (int k = 0; k < OPS; k++) {
                        if (Math.log(s[k]) + noise[e * OPS + k] > Math.log(s[best]) + noise[e * OPS + best]) {
                            best = k;
                        }
                    }
                    hot[e * OPS + best] = 100;
                }
                NDArray target = net.alphas().get(type).getArray();
                target.muli(0).addi(manager.create(hot, new Shape(14, OPS)));
            }
            net.useWeighted();
            float[] weightedOut = net.forward(ps, new NDList(images), false).singletonOrThrow().toFloatArray();
            assertArrayEquals(weightedOut, gumbelOut, 1e-4f);
        }
    }

    /**
     * After a Gumbel pass's backward, only the weights of the sampled ops (and the skeleton) have a
     * gradient, and those are the weights the step updates; every α entry of both tensors has one, the
     * unsampled ops' too (the straight-through terms Σ_{j≠k} h_j).
     */
    @Test
    void onlyTheSampledOpsRunAndEveryAlphaGetsAGradient() {
        try (NDManager manager = NDManager.newBaseManager()) {
            DartsSupernet net = supernet(manager);
            NDArray images = manager.randomNormal(new Shape(4, 1, 8, 8));
            NDArray r = manager.randomNormal(new Shape(4, 3));
            net.useGumbel(noise(manager, new Random(7)), 1.0);
            ParameterStore ps = new ParameterStore(manager, false);
            try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
                collector.backward(net.forward(ps, new NDList(images), true).singletonOrThrow().mul(r).sum());
            }
            List<Parameter> used = net.weightsOfLastPass();
            Set<Parameter> usedSet = Collections.newSetFromMap(new IdentityHashMap<>());
            usedSet.addAll(used);
            assertTrue(used.size() < net.weights().size(), used.size() + " of " + net.weights().size());
            double usedNorm = 0;
            for (Parameter p : net.weights()) {
                double norm = p.getArray().getGradient().square().sum().getFloat();
                if (usedSet.contains(p)) {
                    usedNorm += norm;
                } else {
                    assertEquals(0, norm, 0, p.getName() + " was not sampled and must get no gradient");
                }
            }
            assertTrue(usedNorm > 0);
            for (Parameter alpha : net.alphas()) {
                for (float v : alpha.getArray().getGradient().toFloatArray()) {
                    assertNotEquals(0f, v, alpha.getName());
                }
            }
            assertTrue(net.runningStatistics().size() > 0);
        }
    }
}
