package org.trickbench.algorithms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.GradientCollector;
import ai.djl.util.Pair;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.trickbench.core.seed.Seeds;
import org.trickbench.core.space.nb201.Genotype;
import org.trickbench.core.space.nb201.Nb201Op;
import org.trickbench.core.space.nb201.Nb201Ops;
import org.trickbench.core.space.nb201.Nb201SearchCell;
import org.trickbench.core.space.nb201.Nb201Supernet;
import org.trickbench.core.space.nb201.NetworkConfig;
import org.trickbench.core.train.Batch;
import org.trickbench.core.train.NesterovSgd;
import org.trickbench.core.train.StepContext;
import org.trickbench.core.train.TorchDefaultInitializer;
import org.trickbench.core.train.TrainingLoop;

class SupernetTrainerTest {
    private static final NetworkConfig TINY = new NetworkConfig(1, 8, 8, 2, 2, 1);
    private static final StepContext WHERE = new StepContext(0, 1, 0, 1, 0.1, null);

    private NesterovSgd sgd;

    private SupernetTrainer trainer(NDManager manager, DataType type, long seed) {
        return trainer(manager, type, seed, Nb201Supernet.standard(TINY));
    }

    private SupernetTrainer trainer(NDManager manager, DataType type, long seed, Nb201Supernet net) {
        new Seeds(seed).seedEngine("trainer-test");
        net.setInitializer(new TorchDefaultInitializer(), Parameter.Type.WEIGHT);
        net.initialize(manager, type, new Shape(2, 1, 8, 8));
        sgd = new NesterovSgd(0.1f, 0.9f, true, 5e-4f);
        return new SupernetTrainer(net, manager, sgd, new ArchitectureAdam(3e-4, 0.5, 0.999, 1e-3), 5, List.of());
    }

    private static Batch batch(NDManager manager, DataType type, long seed) {
        new Seeds(seed).seedEngine("batch");
        NDArray images = manager.randomNormal(0, 1, new Shape(8, 1, 8, 8), type);
        NDArray labels = manager.create(new long[] {0, 1, 0, 1, 1, 0, 1, 0});
        return new Batch(images, labels.oneHot(2, type), labels);
    }

    private static Map<Parameter, float[]> snapshot(Nb201Supernet net) {
        Map<Parameter, float[]> values = new IdentityHashMap<>();
        for (Pair<String, Parameter> p : net.getParameters()) {
            values.put(p.getValue(), p.getValue().getArray().toFloatArray());
        }
        return values;
    }

    private static boolean same(Map<Parameter, float[]> before, Parameter p) {
        return Arrays.equals(before.get(p), p.getArray().toFloatArray());
    }

    @Test
    void dartsWeightStepLeavesAlphaAndAlphaStepLeavesEveryWeightBitIdentical() {
        try (NDManager manager = NDManager.newBaseManager()) {
            SupernetTrainer t = trainer(manager, DataType.FLOAT32, 1);
            Nb201Supernet net = (Nb201Supernet) t.supernet();
            Batch train = batch(manager, DataType.FLOAT32, 2);
            Batch valid = batch(manager, DataType.FLOAT32, 3);
            net.useWeighted();
            for (int i = 0; i < 3; i++) {
                Map<Parameter, float[]> before = snapshot(net);
                t.weightStep(train, WHERE);
                assertTrue(same(before, net.alpha()), "the weight step must not move α");
                assertTrue(net.weights().stream().anyMatch(p -> !same(before, p)), "the weight step trains weights");

                Map<Parameter, float[]> beforeArch = snapshot(net);
                t.architectureStep(valid);
                for (Parameter p : net.weights()) {
                    assertTrue(same(beforeArch, p), "the α step must not move weight " + p.getName());
                }
                assertFalse(same(beforeArch, net.alpha()), "the α step moves α");
            }
        }
    }

    @Test
    void gdasStepsTrainOnlyTheSampledPathAndReachEveryAlpha() {
        try (NDManager manager = NDManager.newBaseManager()) {
            SupernetTrainer t = trainer(manager, DataType.FLOAT32, 4);
            Nb201Supernet net = (Nb201Supernet) t.supernet();
            Batch train = batch(manager, DataType.FLOAT32, 5);
            Batch valid = batch(manager, DataType.FLOAT32, 6);
            // Noise that makes the draw a known path without 'none', whose zero node would stop the
            // gradient at the next ReLU.
            int[] hot = {3, 1, 2, 4, 3, 2};
            float[] g = new float[30];
            for (int e = 0; e < 6; e++) {
                g[e * 5 + hot[e]] = 8f;
            }
            Map<Parameter, float[]> before = snapshot(net);
            net.useGumbel(manager.create(g, new Shape(6, 5)), 10);
            t.weightStep(train, WHERE);
            Genotype path = net.lastPath();
            for (int e = 0; e < 6; e++) {
                assertEquals(Nb201Op.values()[hot[e]], path.op(e));
            }
            assertTrue(same(before, net.alpha()));
            int changedOnPath = 0;
            for (Nb201SearchCell cell : net.cells()) {
                for (int e = 0; e < 6; e++) {
                    for (Nb201Op op : Nb201Op.values()) {
                        for (Pair<String, Parameter> p : cell.edge(e).candidate(op).getParameters()) {
                            if (op != path.op(e)) {
                                assertTrue(same(before, p.getValue()), "off the path: " + p.getKey());
                            } else if (p.getValue().getType() == Parameter.Type.WEIGHT) {
                                assertFalse(same(before, p.getValue()), "on the path: " + p.getKey());
                                changedOnPath++;
                            }
                        }
                    }
                }
            }
            assertEquals(3 * 4, changedOnPath, "four conv edges in each of three cells");

            Map<Parameter, float[]> beforeArch = snapshot(net);
            net.useGumbel(manager.create(g, new Shape(6, 5)), 10);
            t.architectureStep(valid);
            for (Parameter p : net.weights()) {
                assertTrue(same(beforeArch, p));
            }
            float[] old = beforeArch.get(net.alpha());
            float[] now = net.alpha().getArray().toFloatArray();
            for (int i = 0; i < 30; i++) {
                assertNotEquals(old[i], now[i], "α[" + i / 5 + "][" + i % 5 + "] needs a gradient");
            }
        }
    }

    @Test
    void unrolledGradientMatchesTheNumericalDerivativeOfTheUnrolledValidationLoss() {
        try (NDManager manager = NDManager.newBaseManager()) {
            // Softplus for ReLU: the mechanism is the same, but a ReLU net's weight gradient jumps at
            // kinks, so a finite difference of it (DARTS' Hessian-vector product) is only rough there.
            Nb201Ops smooth = new Nb201Ops(Activation::softPlusBlock, () -> BatchNorm.builder().build());
            Nb201Ops smoothCells = new Nb201Ops(Activation::softPlusBlock,
                    () -> BatchNorm.builder().optCenter(false).optScale(false).build());
            SupernetTrainer t = trainer(manager, DataType.FLOAT64, 7, new Nb201Supernet(TINY, smooth, smoothCells));
            Nb201Supernet net = (Nb201Supernet) t.supernet();
            Batch train = batch(manager, DataType.FLOAT64, 8);
            Batch valid = batch(manager, DataType.FLOAT64, 9);
            new Seeds(10).seedEngine("alpha");
            manager.randomNormal(0, 1, new Shape(6, 5), DataType.FLOAT64).copyTo(net.alpha().getArray());
            net.useWeighted();
            // One real step first, so the unrolled step has a momentum buffer to include.
            t.weightStep(train, WHERE);
            // A large ξ makes the second-order term a large share of the gradient.
            t.setLearningRate(0.5);

            double[] unrolled = t.unrolledArchitectureGradient(train, valid).get(0).toDoubleArray();
            double[] numeric = new double[30];
            NDArray alpha = net.alpha().getArray();
            NDArray saved = alpha.duplicate();
            double h = 1e-5;
            for (int i = 0; i < 30; i++) {
                double[] delta = new double[30];
                delta[i] = h;
                NDArray d = manager.create(delta, new Shape(6, 5));
                saved.add(d).copyTo(alpha);
                double plus = unrolledValidationLoss(t, train, valid, false)[0];
                saved.sub(d).copyTo(alpha);
                double minus = unrolledValidationLoss(t, train, valid, false)[0];
                numeric[i] = (plus - minus) / (2 * h);
            }
            saved.copyTo(alpha);
            double[] firstOrder = unrolledValidationLoss(t, train, valid, true);
            double error = relativeError(numeric, unrolled);
            double firstOrderError = relativeError(numeric, Arrays.copyOfRange(firstOrder, 1, 31));
            assertTrue(error < 1e-2, "unrolled gradient relative error " + error);
            assertTrue(firstOrderError > 10 * error,
                    "the test must tell the second-order term apart: first-order error " + firstOrderError
                            + " vs unrolled " + error);
        }
    }

    /**
     * L_val(w', α) with w' = w − ξ (∇w L_train(w, α) + λ w + μ b), the weights restored afterwards;
     * with {@code gradient}, also ∇α L_val(w', α) at fixed w' (the first-order part).
     */
    private double[] unrolledValidationLoss(SupernetTrainer t, Batch train, Batch valid, boolean gradient) {
        Nb201Supernet net = (Nb201Supernet) t.supernet();
        List<Parameter> weights = net.weights();
        t.zeroGradients();
        try (GradientCollector c = Engine.getInstance().newGradientCollector()) {
            c.backward(TrainingLoop.crossEntropy(t.logits(train), train.targets()));
        }
        NDArray[] saved = new NDArray[weights.size()];
        NDArray[] next = new NDArray[weights.size()];
        for (int i = 0; i < weights.size(); i++) {
            NDArray w = weights.get(i).getArray();
            saved[i] = w.duplicate();
            NDArray step = w.getGradient().add(w.mul(sgd.weightDecay()));
            NDArray buffer = sgd.momentumBuffer(weights.get(i).getId(), w.getDevice());
            if (buffer != null) {
                step = step.add(buffer.mul(sgd.momentum()));
            }
            next[i] = w.sub(step.mul(sgd.learningRate()));
        }
        for (int i = 0; i < weights.size(); i++) {
            next[i].copyTo(weights.get(i).getArray());
        }
        double[] out = new double[gradient ? 31 : 1];
        t.zeroGradients();
        try (GradientCollector c = Engine.getInstance().newGradientCollector()) {
            NDArray loss = TrainingLoop.crossEntropy(t.logits(valid), valid.targets());
            out[0] = loss.getDouble();
            if (gradient) {
                c.backward(loss);
            }
        }
        if (gradient) {
            System.arraycopy(net.alpha().getArray().getGradient().toDoubleArray(), 0, out, 1, 30);
        }
        for (int i = 0; i < weights.size(); i++) {
            saved[i].copyTo(weights.get(i).getArray());
        }
        return out;
    }

    private static double relativeError(double[] expected, double[] actual) {
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < expected.length; i++) {
            diff += (expected[i] - actual[i]) * (expected[i] - actual[i]);
            norm += expected[i] * expected[i];
        }
        return Math.sqrt(diff / norm);
    }

    @Test
    void unrolledStepRestoresEveryWeightBitExactly() {
        try (NDManager manager = NDManager.newBaseManager()) {
            SupernetTrainer t = trainer(manager, DataType.FLOAT32, 11);
            Nb201Supernet net = (Nb201Supernet) t.supernet();
            net.useWeighted();
            Map<Parameter, float[]> before = snapshot(net);
            t.unrolledArchitectureStep(batch(manager, DataType.FLOAT32, 12), batch(manager, DataType.FLOAT32, 13));
            Set<Parameter> moved = Collections.newSetFromMap(new IdentityHashMap<>());
            for (Parameter p : net.weights()) {
                if (!same(before, p)) {
                    moved.add(p);
                }
            }
            assertEquals(Set.of(), moved);
            assertFalse(same(before, net.alpha()));
        }
    }
}
