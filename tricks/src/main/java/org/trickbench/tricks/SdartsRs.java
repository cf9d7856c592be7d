package org.trickbench.tricks;

import ai.djl.ndarray.NDArray;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.trickbench.core.param.ParameterSpec;
import org.trickbench.core.search.Family;
import org.trickbench.core.train.StepContext;
import org.trickbench.core.train.SupernetSearchHook;
import org.trickbench.core.train.TrainingHook;

/**
 * SDARTS-RS, random smoothing (Chen &amp; Hsieh 2020): each weight step trains the weights at α + δ
 * with δ drawn uniformly from [−ε, ε] per entry, so the weights become good for a neighbourhood of α
 * and the validation loss flattens around it; the α step then uses the stored α, which the noise never
 * touches. The noise is drawn on the host from the run's seed and the step number, each α of the step
 * (DARTS's α_normal and α_reduce) from its own stream: the first α's stream is the one NAS-Bench-201's
 * single α has always drawn from.
 */
public final class SdartsRs extends SearchPhaseTrick {
    public SdartsRs() {
        super("sdarts-rs", Family.GRADIENT);
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(ParameterSpec.number("epsilon", 0.03, 0, false, 1, true,
                "half-width of the uniform noise on each entry of α in the weight step"));
    }

    @Override
    public String reference() {
        return "Chen & Hsieh, Stabilizing Differentiable Architecture Search via Perturbation-based Regularization,"
                + " ICML 2020 (arXiv 2002.05283)";
    }

    @Override
    public String description() {
        return "weight steps see α plus uniform noise in [-epsilon, epsilon]; the stored α is unchanged";
    }

    @Override
    public TrainingHook hook(Map<String, Object> params) {
        double epsilon = resolve(params).number("epsilon");
        return new SupernetSearchHook() {
            /** The weight step whose α are being perturbed, and how many of its α came before this one. */
            private StepContext current;
            private int earlier;

            @Override
            public NDArray architectureForWeightStep(NDArray alpha, StepContext step) {
                earlier = step == current ? earlier + 1 : 0;
                current = step;
                SplittableRandom random = step.random(earlier == 0 ? "sdarts-rs" : "sdarts-rs#" + earlier);
                double[] noise = new double[Math.toIntExact(alpha.size())];
                for (int i = 0; i < noise.length; i++) {
                    noise[i] = epsilon * (2 * random.nextDouble() - 1);
                }
                NDArray delta = alpha.getManager().create(noise, alpha.getShape())
                        .toType(alpha.getDataType(), false).toDevice(alpha.getDevice(), false);
                return alpha.add(delta);
            }
        };
    }
}
