package org.trickbench.algorithms;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;
import org.trickbench.core.nd.Fill;
import org.trickbench.core.space.TrainableSupernet;
import org.trickbench.core.train.Batch;
import org.trickbench.core.train.GradientClipping;
import org.trickbench.core.train.NesterovSgd;
import org.trickbench.core.train.StepContext;
import org.trickbench.core.train.SupernetSearchHook;
import org.trickbench.core.train.ThreadGradientCollector;
import org.trickbench.core.train.TrainingHook;
import org.trickbench.core.train.TrainingHooks;
import org.trickbench.core.train.TrainingLoop;

/**
 * The optimisation steps of a supernet search, with two optimisers that never touch each other's
 * parameters: SGD on the weights (training half) and Adam on α (validation half). Gradients are zeroed
 * before every backward pass, because a DJL gradient collector accumulates into whatever an earlier
 * pass left. The search loop around it decides the order of the steps and the mode of each pass.
 *
 * <p>Metrics accumulate on the device and are read once per epoch ({@link #finishEpoch()}).
 */
final class SupernetTrainer {
    /** DARTS' finite-difference radius for the Hessian-vector product: ε = 0.01 / ‖∇w' L_val‖. */
    private static final double HESSIAN_RADIUS = 0.01;

    private final TrainableSupernet net;
    private final NDManager manager;
    private final ParameterStore store;
    private final List<Parameter> weights;
    private final List<Parameter> alphas;
    private final List<Parameter> everything;
    private final NesterovSgd weightOptimizer;
    private final ArchitectureAdam architectureOptimizer;
    private final double gradientClip;
    private final TrainingHooks hooks;

    private NDArray trainLossSum;
    private NDArray trainCorrect;
    private NDArray validLossSum;
    private NDArray validCorrect;
    private long trainSeen;
    private long validSeen;
    private NDList lastOutputs;
    private NDArray lastLoss;

    SupernetTrainer(TrainableSupernet net, NDManager manager, NesterovSgd weightOptimizer,
            ArchitectureAdam architectureOptimizer, double gradientClip, List<TrainingHook> hooks) {
        this.net = net;
        this.manager = manager;
        this.store = new ParameterStore(manager, false);
        this.weights = net.weights();
        this.everything = new ArrayList<>(weights);
        this.alphas = net.alphas();
        everything.addAll(alphas);
        this.weightOptimizer = weightOptimizer;
        this.architectureOptimizer = architectureOptimizer;
        this.gradientClip = gradientClip;
        this.hooks = new TrainingHooks(hooks);
    }

    TrainableSupernet supernet() {
        return net;
    }

    NDManager manager() {
        return manager;
    }

    void setLearningRate(double lr) {
        weightOptimizer.setLearningRate((float) lr);
    }

    /** Opens the epoch's metric accumulators in the caller's scope. */
    void startEpoch() {
        trainLossSum = manager.zeros(new Shape(), DataType.FLOAT32);
        trainCorrect = manager.zeros(new Shape(), DataType.INT64);
        validLossSum = manager.zeros(new Shape(), DataType.FLOAT32);
        validCorrect = manager.zeros(new Shape(), DataType.INT64);
        trainSeen = 0;
        validSeen = 0;
    }

    /** What the epoch measured, read from the device once. */
    record Totals(double trainLoss, double trainAccuracy, double validLoss, double validAccuracy) {}

    Totals finishEpoch() {
        double trainLoss = trainSeen == 0 ? Double.NaN : trainLossSum.getFloat() / trainSeen;
        double trainAcc = trainSeen == 0 ? Double.NaN : trainCorrect.getLong() / (double) trainSeen;
        double validLoss = validSeen == 0 ? Double.NaN : validLossSum.getFloat() / validSeen;
        double validAcc = validSeen == 0 ? Double.NaN : validCorrect.getLong() / (double) validSeen;
        return new Totals(trainLoss, trainAcc, validLoss, validAcc);
    }

    /** The supernet's weight arrays (not α), for hooks that read or perturb the weights. */
    List<NDArray> weightArrays() {
        List<NDArray> arrays = new ArrayList<>(weights.size());
        weights.forEach(p -> arrays.add(p.getArray()));
        return arrays;
    }

    NDArray logits(Batch batch) {
        return net.forward(store, new NDList(batch.images()), true).singletonOrThrow();
    }

    /** Whether any hook asks this single-path step to train every op instead of the sampled path. */
    boolean trainsAllOps(StepContext where) {
        return hooks.trainAllOps(where);
    }

    /**
     * One weight step on a training batch in the supernet's current mode: forward and backward
     * through the hooks' loss chain, then the hooks' step chain around clipping and the SGD update of
     * the weights this pass used (all of them when weighted; the sampled path's otherwise). α is never
     * updated here; its forward passes see the hooks' {@link SupernetSearchHook#architectureForWeightStep}.
     */
    void weightStep(Batch batch, StepContext where) {
        List<NDArray> seen = new ArrayList<>(alphas.size());
        boolean overridden = false;
        for (Parameter alpha : alphas) {
            NDArray stored = alpha.getArray();
            NDArray view = hooks.architectureForWeightStep(stored, where);
            seen.add(view);
            overridden |= view != stored;
        }
        net.overrideAlphas(overridden ? seen : null);
        try {
            trainWeights(batch, where);
        } finally {
            net.overrideAlphas(null);
        }
    }

    private void trainWeights(Batch batch, StepContext where) {
        // Hooks that act around the step (SAM) see the supernet's weights and may re-run forward and
        // backward on this batch with this same context.
        StepContext[] self = new StepContext[1];
        StepContext context = new StepContext(where.epoch(), where.totalEpochs(), where.step(), where.totalSteps(),
                where.learningRate(), () -> forwardBackward(batch, self[0]), where.seeds(), weightArrays());
        self[0] = context;
        forwardBackward(batch, context);
        if (trainLossSum != null) {
            trainLossSum.addi(lastLoss.stopGradient().mul(batch.size()).toType(DataType.FLOAT32, false));
            trainCorrect.addi(lastOutputs.get(0).argMax(1).eq(batch.labels()).sum());
            trainSeen += batch.size();
        }
        hooks.step(context, this::updateWeights);
    }

    private void forwardBackward(Batch batch, StepContext context) {
        zeroGradients();
        try (GradientCollector collector = new ThreadGradientCollector()) {
            NDList outputs = new NDList(logits(batch));
            NDArray loss = hooks.lossFor(outputs, batch, context, TrainingLoop::crossEntropy);
            collector.backward(loss);
            lastOutputs = outputs;
            lastLoss = loss;
        }
    }

    /** The weights the last pass used: a single path's, or all of them. */
    List<Parameter> activeWeights() {
        return net.weightsOfLastPass();
    }

    private void updateWeights() {
        List<Parameter> active = activeWeights();
        clip(active);
        for (Parameter p : active) {
            NDArray w = p.getArray();
            weightOptimizer.update(p.getId(), w, w.getGradient());
        }
    }

    /** Clips the gradients of {@code params} to the global norm {@link #gradientClip}, 0 meaning off. */
    private void clip(List<Parameter> params) {
        if (gradientClip <= 0 || params.isEmpty()) {
            return;
        }
        GradientClipping.clip(params.stream().map(p -> p.getArray().getGradient()).toList(), gradientClip);
    }

    /**
     * First-order architecture step (DARTS-V1, GDAS): ∇α of the validation loss at the current weights,
     * then one Adam step on α. No weight changes.
     */
    void architectureStep(Batch valid) {
        zeroGradients();
        NDArray logits;
        NDArray loss;
        try (GradientCollector collector = new ThreadGradientCollector()) {
            logits = logits(valid);
            loss = TrainingLoop.crossEntropy(logits, valid.targets());
            collector.backward(loss);
        }
        recordValid(logits, loss, valid);
        updateArchitecture(alphaGradients());
    }

    /** Second-order architecture step (DARTS-V2): the unrolled gradient, then one Adam step on α. */
    void unrolledArchitectureStep(Batch train, Batch valid) {
        updateArchitecture(unrolledArchitectureGradient(train, valid));
    }

    /** One Adam step on every α; the rows of fixed edges are held where they were fixed. */
    private void updateArchitecture(List<NDArray> gradients) {
        List<NDArray> arrays = new ArrayList<>(alphas.size());
        alphas.forEach(a -> arrays.add(a.getArray()));
        architectureOptimizer.update(arrays, gradients);
        net.holdFixedAlpha();
    }

    /** The gradient of every α, in {@link TrainableSupernet#alphas()} order. */
    private List<NDArray> alphaGradients() {
        List<NDArray> gradients = new ArrayList<>(alphas.size());
        alphas.forEach(a -> gradients.add(a.getArray().getGradient()));
        return gradients;
    }

    /** Copies of every α's gradient, which the next backward pass will not overwrite. */
    private List<NDArray> alphaGradientCopies() {
        List<NDArray> copies = new ArrayList<>(alphas.size());
        alphaGradients().forEach(g -> copies.add(g.duplicate()));
        return copies;
    }

    /**
     * The architecture gradient of second-order DARTS (Liu, Simonyan & Yang, ICLR 2019, arXiv
     * 1806.09055, eq. 7–8), with the unrolled step the weight optimiser would take, as the benchmark's
     * {@code DARTS-V2.py} computes it:
     *
     * <pre>
     * w'  = w − ξ (∇w L_train(w, α) + λ w + μ b)          ξ: current lr, λ: weight decay, μ b: momentum
     * g   = ∇α L_val(w', α) − ξ (∇α L_train(w⁺, α) − ∇α L_train(w⁻, α)) / 2ε
     * w±  = w ± ε ∇w' L_val(w', α),   ε = 0.01 / ‖∇w' L_val(w', α)‖
     * </pre>
     *
     * The weights are restored bit-exactly afterwards. The returned arrays, one per α, live in the caller's
     * scope.
     */
    List<NDArray> unrolledArchitectureGradient(Batch train, Batch valid) {
        double xi = weightOptimizer.learningRate();
        double decay = weightOptimizer.weightDecay();
        double momentum = weightOptimizer.momentum();
        int n = weights.size();
        NDArray[] saved = new NDArray[n];
        NDArray[] step = new NDArray[n];

        backward(train);
        for (int i = 0; i < n; i++) {
            NDArray w = weights.get(i).getArray();
            saved[i] = w.duplicate();
            NDArray d = w.getGradient().add(w.mul(decay));
            NDArray buffer = weightOptimizer.momentumBuffer(weights.get(i).getId(), w.getDevice());
            step[i] = buffer == null ? d : d.add(buffer.mul(momentum));
        }
        for (int i = 0; i < n; i++) {
            weights.get(i).getArray().subi(step[i].mul(xi));
        }

        NDArray validLoss;
        NDArray validLogits;
        zeroGradients();
        try (GradientCollector collector = new ThreadGradientCollector()) {
            validLogits = logits(valid);
            validLoss = TrainingLoop.crossEntropy(validLogits, valid.targets());
            collector.backward(validLoss);
        }
        recordValid(validLogits, validLoss, valid);
        List<NDArray> direct = alphaGradientCopies();
        NDArray[] v = new NDArray[n];
        NDArray squares = null;
        for (int i = 0; i < n; i++) {
            v[i] = weights.get(i).getArray().getGradient().duplicate();
            NDArray sq = v[i].square().sum();
            squares = squares == null ? sq : squares.add(sq);
        }
        NDArray radius = squares.sqrt().pow(-1).mul(HESSIAN_RADIUS);

        restore(saved, v, radius, 1);
        backward(train);
        List<NDArray> plus = alphaGradientCopies();
        restore(saved, v, radius, -1);
        backward(train);
        List<NDArray> minus = alphaGradientCopies();
        restore(saved, v, radius, 0);

        List<NDArray> gradients = new ArrayList<>(direct.size());
        for (int i = 0; i < direct.size(); i++) {
            NDArray hessianVector = plus.get(i).sub(minus.get(i)).div(radius.mul(2));
            gradients.add(direct.get(i).sub(hessianVector.mul(xi)));
        }
        return gradients;
    }

    /** Sets every weight to saved + sign · radius · v, exactly saved when sign is 0. */
    private void restore(NDArray[] saved, NDArray[] v, NDArray radius, int sign) {
        for (int i = 0; i < saved.length; i++) {
            NDArray w = weights.get(i).getArray();
            Fill.copy(saved[i], w);
            if (sign != 0) {
                NDArray shift = v[i].mul(radius);
                if (sign > 0) {
                    w.addi(shift);
                } else {
                    w.subi(shift);
                }
            }
        }
    }

    private void backward(Batch batch) {
        zeroGradients();
        try (GradientCollector collector = new ThreadGradientCollector()) {
            collector.backward(TrainingLoop.crossEntropy(logits(batch), batch.targets()));
        }
    }

    private void recordValid(NDArray logits, NDArray loss, Batch valid) {
        if (validLossSum != null) {
            validLossSum.addi(loss.stopGradient().mul(valid.size()).toType(DataType.FLOAT32, false));
            validCorrect.addi(logits.argMax(1).eq(valid.labels()).sum());
            validSeen += valid.size();
        }
    }

    /** Zeroes every gradient, weights' and α's, before a backward pass. */
    void zeroGradients() {
        for (Parameter p : everything) {
            NDArray a = p.getArray();
            if (a.hasGradient()) {
                Fill.zero(a.getGradient());
            }
        }
    }
}
