package org.trickbench.core.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.optimizer.Optimizer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * SGD with (Nesterov) momentum and coupled weight decay, as PyTorch's {@code torch.optim.SGD}:
 * g = ∇ + λw; b = μb + g; d = g + μb (Nesterov) or b; w = w − η·d.
 *
 * <p>Hand-written because DJL's {@code Nag} optimizer is not implemented by the PyTorch engine
 * ({@code PtNDArrayEx.nagUpdate} throws), and DJL's {@code Sgd} has no Nesterov variant. The
 * learning rate is set by the training loop before each step (the schedule is per step).
 */
public final class NesterovSgd extends Optimizer {
    private final float momentum;
    private final boolean nesterov;
    private float weightDecay;
    private volatile float learningRate;
    private final Map<String, Map<Device, NDArray>> momentumBuffers = new ConcurrentHashMap<>();

    public NesterovSgd(float learningRate, float momentum, boolean nesterov, float weightDecay) {
        super(new Builder());
        this.learningRate = learningRate;
        this.momentum = momentum;
        this.nesterov = nesterov;
        this.weightDecay = weightDecay;
    }

    /** The protocol's optimiser: its learning rate (the schedule's start), momentum, Nesterov flag and weight decay. */
    public static NesterovSgd of(Protocol protocol) {
        return new NesterovSgd((float) protocol.learningRate(), (float) protocol.momentum(), protocol.nesterov(),
                (float) protocol.weightDecay());
    }

    public void setLearningRate(float lr) {
        this.learningRate = lr;
    }

    public float learningRate() {
        return learningRate;
    }

    public float weightDecay() {
        return weightDecay;
    }

    public float momentum() {
        return momentum;
    }

    /**
     * The momentum buffer b of a parameter on a device, or null before its first update. Second-order
     * DARTS reads it to unroll the next weight step exactly as the optimiser would take it.
     */
    public NDArray momentumBuffer(String parameterId, Device device) {
        Map<Device, NDArray> perDevice = momentumBuffers.get(parameterId);
        return perDevice == null ? null : perDevice.get(device);
    }

    /** Replaces the weight decay (e.g. a heavier one for supernet weights). */
    public void setWeightDecay(float wd) {
        this.weightDecay = wd;
    }

    @Override
    public void update(String parameterId, NDArray weight, NDArray grad) {
        NDArray buffer = momentum == 0 ? null
                : withDefaultState(momentumBuffers, parameterId, weight.getDevice(), k -> persistent(weight.zerosLike()));
        // The same arithmetic as torch.optim.SGD, without copying the gradient first (DJL's parameter
        // server hands over a copy already, and other callers keep theirs): every intermediate is a new
        // array in the scratch manager, and grad is only read.
        try (NDManager scratch = weight.getManager().newSubManager()) {
            NDArray d = weightDecay == 0 ? grad : owned(grad.add(owned(weight.mul(weightDecay), scratch)), scratch);
            if (buffer != null) {
                buffer.muli(momentum).addi(d);
                d = nesterov ? owned(d.add(owned(buffer.mul(momentum), scratch)), scratch) : buffer;
            }
            weight.subi(owned(d.mul(learningRate), scratch));
        }
    }

    /** State that outlives the step: taken out of any open {@link NDScope} so the step does not close it. */
    private static NDArray persistent(NDArray a) {
        NDScope.unregister(a);
        return a;
    }

    private static NDArray owned(NDArray a, NDManager manager) {
        a.attach(manager);
        return a;
    }

    private static final class Builder extends OptimizerBuilder<Builder> {
        @Override
        protected Builder self() {
            return this;
        }
    }
}
