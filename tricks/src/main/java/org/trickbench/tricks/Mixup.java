package org.trickbench.tricks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.trickbench.core.param.ParameterSpec;
import org.trickbench.core.search.Family;
import org.trickbench.core.train.Batch;
import org.trickbench.core.train.StepContext;
import org.trickbench.core.train.TrainingHook;
import org.trickbench.core.train.WeightTrainingHook;
import org.trickbench.core.trick.Phase;
import org.trickbench.core.trick.Trick;

/**
 * Mixup (Zhang, Cisse, Dauphin &amp; Lopez-Paz, ICLR 2018, arXiv 1710.09412): each image and its soft
 * target are mixed with those of a partner from a random permutation of the batch, x' = λx + (1−λ)x_π,
 * y' = λy + (1−λ)y_π, with one λ ~ Beta(α, α) per batch as in the authors' code. λ is drawn on the host
 * from the step's seeded generator; the permutation comes from the seeded engine, on the device.
 */
public final class Mixup implements Trick {
    @Override
    public String id() {
        return "mixup";
    }

    @Override
    public Set<Phase> phases() {
        return Set.of(Phase.TRAIN);
    }

    @Override
    public Set<Family> families() {
        return Family.ALL;
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(ParameterSpec.number("alpha", 0.2, 0, false, Double.POSITIVE_INFINITY, false,
                "λ ~ Beta(alpha, alpha) (the paper used 1 on CIFAR-10, 0.1 to 0.4 on ImageNet)"));
    }

    @Override
    public String reference() {
        return "Zhang, Cisse, Dauphin & Lopez-Paz, mixup: Beyond Empirical Risk Minimization, ICLR 2018"
                + " (arXiv 1710.09412)";
    }

    @Override
    public String description() {
        return "convex mix of image pairs and of their targets, one Beta(alpha, alpha) weight per batch";
    }

    @Override
    public TrainingHook hook(Map<String, Object> params) {
        double alpha = resolve(params).number("alpha");
        return new WeightTrainingHook() {
            @Override
            public Batch transformBatch(Batch batch, StepContext step) {
                float lambda = (float) sampleBeta(alpha, step.random("mixup"));
                NDArray x = batch.images();
                NDArray partner = step.onEngine("mixup-partner", () -> x.getManager()
                        .randomUniform(0, 1, new Shape(batch.size())).toDevice(x.getDevice(), false).argSort());
                NDArray mixedX = x.mul(lambda).add(x.get(partner).mul(1 - lambda));
                NDArray y = batch.targets();
                NDArray mixedY = y.mul(lambda).add(y.get(partner).mul(1 - lambda));
                return new Batch(mixedX, mixedY, batch.labels());
            }
        };
    }

    /** Beta(a, a) as X / (X + Y) with X, Y ~ Gamma(a, 1) independent. */
    static double sampleBeta(double a, RandomGenerator random) {
        double x = sampleGamma(a, random);
        double y = sampleGamma(a, random);
        return x + y == 0 ? 0.5 : x / (x + y);
    }

    /**
     * Gamma(shape, 1) by Marsaglia &amp; Tsang (ACM TOMS 2000); for shape &lt; 1 through
     * Gamma(shape + 1)·U^(1/shape).
     */
    static double sampleGamma(double shape, RandomGenerator random) {
        if (shape < 1) {
            return sampleGamma(shape + 1, random) * Math.pow(random.nextDouble(), 1 / shape);
        }
        double d = shape - 1.0 / 3;
        double c = 1 / Math.sqrt(9 * d);
        while (true) {
            double z = random.nextGaussian();
            double v = 1 + c * z;
            if (v <= 0) {
                continue;
            }
            v = v * v * v;
            double u = random.nextDouble();
            if (Math.log(u) < 0.5 * z * z + d - d * v + d * Math.log(v)) {
                return d * v;
            }
        }
    }
}
