package org.trickbench.core.space.darts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.trickbench.core.seed.Seeds;
import org.trickbench.core.train.StepContext;

/** Drop-path in DARTS's evaluation network, as DARTS's {@code Cell.forward} applies it in training. */
class DartsDropPathTest {
    private static final DartsConfig SMALL = new DartsConfig(3, 32, 32, 10, 8, 5, true);
    private static final int SAMPLES = 2000;
    private static final int C = 2;
    private static final int SIDE = 4;

    /**
     * Every node sums one edge with {@code none} (zeros, so the node is that edge's output alone):
     * node 0 a max pool, node 1 an identity, node 2 a separable convolution, node 3 an average pool.
     */
    private static final DartsGenotype PROBES = DartsGenotype.parse("Genotype(normal=[('max_pool_3x3', 1), ('none', 0),"
            + " ('skip_connect', 0), ('none', 1), ('sep_conv_3x3', 0), ('none', 1), ('avg_pool_3x3', 1), ('none', 0)],"
            + " normal_concat=range(2, 6), reduce=[('max_pool_3x3', 1), ('none', 0), ('skip_connect', 0), ('none', 1),"
            + " ('sep_conv_3x3', 0), ('none', 1), ('avg_pool_3x3', 1), ('none', 0)], reduce_concat=range(2, 6))");

    private static StepContext step(long seed, long at) {
        return new StepContext(0, 1, at, 10, 0.025, null, new Seeds(seed), null);
    }

    private static Block network(NDManager manager, DartsConfig config) {
        Block net = DartsNetwork.build(DartsGenotype.DARTS_V2, config);
        net.initialize(manager, DataType.FLOAT32, DartsNetwork.inputShape(config, 4));
        return net;
    }

    private static float[] logits(Block net, NDManager manager, NDArray images, boolean training,
            PairList<String, Object> params) {
        return net.forward(new ParameterStore(manager, false), new NDList(images), training, params).get(0).toFloatArray();
    }

    @Test
    void probabilityZeroLeavesTheTrainingForwardAsItWas() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block net = network(manager, SMALL);
            NDArray images = manager.randomNormal(DartsNetwork.inputShape(SMALL, 4));
            float[] plain = logits(net, manager, images, true, null);
            assertArrayEquals(plain, logits(net, manager, images, true, DartsNetwork.dropPath(0, step(1, 0))));
            assertArrayEquals(plain, logits(net, manager, images, true, DartsNetwork.dropPath(0, null)));
        }
    }

    @Test
    void evaluationIgnoresTheProbability() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block net = network(manager, SMALL);
            NDArray images = manager.randomNormal(DartsNetwork.inputShape(SMALL, 4));
            float[] plain = logits(net, manager, images, false, null);
            assertArrayEquals(plain, logits(net, manager, images, false, DartsNetwork.dropPath(0.5, step(1, 0))));
        }
    }

    @Test
    void trainingDrawsItsMasksFromTheStepsSeededGenerator() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block net = network(manager, SMALL.withAuxiliary(false));
            NDArray images = manager.randomNormal(DartsNetwork.inputShape(SMALL, 4));
            float[] plain = logits(net, manager, images, true, null);
            float[] dropped = logits(net, manager, images, true, DartsNetwork.dropPath(0.5, step(3, 7)));
            assertFalse(Arrays.equals(plain, dropped), "p = 0.5 changes the training forward");
            assertArrayEquals(dropped, logits(net, manager, images, true, DartsNetwork.dropPath(0.5, step(3, 7))),
                    "the same run and step draw the same masks");
            assertFalse(Arrays.equals(dropped, logits(net, manager, images, true, DartsNetwork.dropPath(0.5, step(3, 8)))),
                    "the next step draws others");
        }
    }

    @Test
    void aProbabilityOutsideZeroToOneIsRefused() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block net = network(manager, SMALL);
            NDArray images = manager.randomNormal(DartsNetwork.inputShape(SMALL, 4));
            assertThrows(IllegalArgumentException.class, () -> logits(net, manager, images, true, DartsNetwork.dropPath(1, null)));
            assertThrows(IllegalArgumentException.class, () -> logits(net, manager, images, true, DartsNetwork.dropPath(-0.1, null)));
        }
    }

    /**
     * On a cell whose nodes each carry one edge's output, every sample of a non-identity edge is either
     * exactly zero or its undropped output divided by 1 − p, each edge with its own masks; identity
     * edges pass untouched. With the seed fixed the draws are fixed, so the check cannot flake; its
     * bounds (5σ of a binomial over 2,000 samples) would still hold for nearly every other seed.
     */
    @Test
    void trainingDropsWholeSamplesOfNonIdentityEdgesAndPreservesTheExpectation() {
        double p = 0.3;
        try (NDManager manager = NDManager.newBaseManager()) {
            DartsCell cell = new DartsCell(PROBES, C, false, false);
            Shape in = new Shape(SAMPLES, 3, SIDE, SIDE);
            cell.initialize(manager, DataType.FLOAT32, in, in);
            NDArray s0 = manager.randomNormal(in);
            NDArray s1 = manager.randomNormal(in);
            ParameterStore ps = new ParameterStore(manager, false);
            NDArray plain = cell.forward(ps, new NDList(s0, s1), true).singletonOrThrow();
            NDArray scales = DartsNetwork.dropPathScales(manager, new Shape(DartsGenotype.EDGES, SAMPLES, 1, 1, 1),
                    DataType.FLOAT32, p, step(11, 0));
            NDArray dropped = cell.forward(ps, new NDList(s0, s1, scales), true).singletonOrThrow();

            boolean[] maxPool = kept(node(plain, 0), node(dropped, 0), p);
            assertArrayEquals(node(plain, 1), node(dropped, 1), "skip_connect at stride 1 is never dropped");
            boolean[] sepConv = kept(node(plain, 2), node(dropped, 2), p);
            boolean[] avgPool = kept(node(plain, 3), node(dropped, 3), p);
            double sigma = Math.sqrt(p * (1 - p) / SAMPLES);
            for (boolean[] edge : new boolean[][] {maxPool, sepConv, avgPool}) {
                int survivors = 0;
                for (boolean k : edge) {
                    survivors += k ? 1 : 0;
                }
                assertTrue(survivors < SAMPLES, "some sample's edge output is exactly zero");
                // Each sample's scale is 0 or 1/(1 − p): their mean, the expectation's factor, is near 1.
                double meanScale = survivors / (double) SAMPLES / (1 - p);
                assertEquals(1.0, meanScale, 5 * sigma / (1 - p), "expectation preserved");
            }
            assertFalse(Arrays.equals(maxPool, sepConv), "each edge draws its own masks");
        }
    }

    /** Channels [node·C, (node+1)·C) of a cell output: that node's sum, here one edge's output. */
    private static float[] node(NDArray out, int node) {
        return out.get(":, " + node * C + ":" + (node + 1) * C).toFloatArray();
    }

    /**
     * Which samples of an edge survived, after checking each sample is all zero or the undropped
     * output scaled by 1/(1 − p).
     */
    private static boolean[] kept(float[] plain, float[] dropped, double p) {
        int per = plain.length / SAMPLES;
        boolean[] kept = new boolean[SAMPLES];
        for (int s = 0; s < SAMPLES; s++) {
            boolean zero = true;
            for (int i = s * per; i < (s + 1) * per; i++) {
                zero &= dropped[i] == 0f;
            }
            kept[s] = !zero;
            for (int i = s * per; kept[s] && i < (s + 1) * per; i++) {
                assertEquals(plain[i] / (1 - p), dropped[i], 1e-5 * (1 + Math.abs(plain[i])), "sample " + s);
            }
        }
        return kept;
    }
}
