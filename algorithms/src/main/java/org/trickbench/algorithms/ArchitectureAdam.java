package org.trickbench.algorithms;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import java.util.ArrayList;
import java.util.List;

/**
 * Adam for the architecture parameters, as PyTorch's {@code torch.optim.Adam} computes it (Kingma &
 * Ba, ICLR 2015, arXiv 1412.6980), which the benchmark's searches use for α: coupled L2 decay
 * g = ∇ + λα; m = β1·m + (1−β1)·g; v = β2·v + (1−β2)·g²; α −= lr / (1−β1^t) · m / (√v / √(1−β2^t) + ε).
 *
 * <p>Hand-written rather than DJL's {@code Adam}, which folds the bias corrections into the learning
 * rate and so adds ε at a different scale; a few small α tensors make the difference in cost nil. Each
 * tensor has its own moments; they all take their steps together, so they share the step count t.
 */
final class ArchitectureAdam {
    private static final double EPSILON = 1e-8;

    private final double learningRate;
    private final double beta1;
    private final double beta2;
    private final double weightDecay;
    private final List<NDArray> m = new ArrayList<>();
    private final List<NDArray> v = new ArrayList<>();
    private int t;

    ArchitectureAdam(double learningRate, double beta1, double beta2, double weightDecay) {
        this.learningRate = learningRate;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.weightDecay = weightDecay;
    }

    /** One step on {@code weight} in place. */
    void update(NDArray weight, NDArray gradient) {
        update(List.of(weight), List.of(gradient));
    }

    /** One step on every tensor of {@code weights} in place, always the same tensors in the same order. */
    void update(List<NDArray> weights, List<NDArray> gradients) {
        if (m.isEmpty()) {
            for (NDArray weight : weights) {
                // State outlives the step: taken out of any open scope so the step's scope does not close it.
                NDArray first = weight.zerosLike();
                NDArray second = weight.zerosLike();
                NDScope.unregister(first, second);
                m.add(first);
                v.add(second);
            }
        }
        if (weights.size() != m.size() || gradients.size() != m.size()) {
            throw new IllegalArgumentException("Adam holds the moments of " + m.size() + " tensors, got "
                    + weights.size() + " tensors and " + gradients.size() + " gradients");
        }
        t++;
        double correction1 = 1 - Math.pow(beta1, t);
        double correction2 = 1 - Math.pow(beta2, t);
        for (int i = 0; i < weights.size(); i++) {
            NDArray weight = weights.get(i);
            try (NDScope scope = new NDScope()) {
                NDArray gradient = gradients.get(i);
                NDArray g = weightDecay == 0 ? gradient : gradient.add(weight.mul(weightDecay));
                m.get(i).muli(beta1).addi(g.mul(1 - beta1));
                v.get(i).muli(beta2).addi(g.square().mul(1 - beta2));
                NDArray denominator = v.get(i).sqrt().div(Math.sqrt(correction2)).add(EPSILON);
                weight.subi(m.get(i).div(denominator).mul(learningRate / correction1));
            }
        }
    }

    /** Frees the optimiser state. */
    void close() {
        m.forEach(NDArray::close);
        v.forEach(NDArray::close);
    }
}
