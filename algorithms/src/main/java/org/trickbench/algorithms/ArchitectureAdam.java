package org.trickbench.algorithms;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;

/**
 * Adam for the architecture parameters, as PyTorch's {@code torch.optim.Adam} computes it (Kingma &
 * Ba, ICLR 2015, arXiv 1412.6980), which the benchmark's searches use for α: coupled L2 decay
 * g = ∇ + λα; m = β1·m + (1−β1)·g; v = β2·v + (1−β2)·g²; α −= lr / (1−β1^t) · m / (√v / √(1−β2^t) + ε).
 *
 * <p>Hand-written rather than DJL's {@code Adam}, which folds the bias corrections into the learning
 * rate and so adds ε at a different scale; one 6×5 tensor makes the difference in cost nil.
 */
final class ArchitectureAdam {
    private static final double EPSILON = 1e-8;

    private final double learningRate;
    private final double beta1;
    private final double beta2;
    private final double weightDecay;
    private NDArray m;
    private NDArray v;
    private int t;

    ArchitectureAdam(double learningRate, double beta1, double beta2, double weightDecay) {
        this.learningRate = learningRate;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.weightDecay = weightDecay;
    }

    /** One step on {@code weight} in place. */
    void update(NDArray weight, NDArray gradient) {
        if (m == null) {
            // State outlives the step: taken out of any open scope so the step's scope does not close it.
            m = weight.zerosLike();
            v = weight.zerosLike();
            NDScope.unregister(m, v);
        }
        t++;
        try (NDScope scope = new NDScope()) {
            NDArray g = weightDecay == 0 ? gradient : gradient.add(weight.mul(weightDecay));
            m.muli(beta1).addi(g.mul(1 - beta1));
            v.muli(beta2).addi(g.square().mul(1 - beta2));
            double correction1 = 1 - Math.pow(beta1, t);
            double correction2 = 1 - Math.pow(beta2, t);
            NDArray denominator = v.sqrt().div(Math.sqrt(correction2)).add(EPSILON);
            weight.subi(m.div(denominator).mul(learningRate / correction1));
        }
    }

    /** Frees the optimiser state. */
    void close() {
        if (m != null) {
            m.close();
            v.close();
        }
    }
}
