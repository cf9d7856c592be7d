package org.trickbench.tricks;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.trickbench.core.param.ParameterSpec;
import org.trickbench.core.search.Family;
import org.trickbench.core.train.SharpnessAwareHook;
import org.trickbench.core.train.StepContext;
import org.trickbench.core.train.TrainingHook;
import org.trickbench.core.trick.Phase;
import org.trickbench.core.trick.Trick;

/**
 * Sharpness-aware minimisation (Foret, Kleiner, Mobahi &amp; Neyshabur, ICLR 2021, arXiv 2010.01412,
 * Algorithm 1): with the gradient g at w, move to w + ε̂ with ε̂ = ρ·g/‖g‖₂ (the norm over all
 * trainable parameters), take the gradient there, restore w, and let the optimiser step from w with
 * that second gradient. Two forward-backward passes per step.
 */
public final class Sam implements Trick {
    @Override
    public String id() {
        return "sam";
    }

    @Override
    public Set<Phase> phases() {
        return Set.of(Phase.SEARCH, Phase.TRAIN);
    }

    @Override
    public Set<Family> families() {
        return Family.ALL;
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(ParameterSpec.number("rho", 0.05, 0, false, Double.POSITIVE_INFINITY, false,
                "radius of the neighbourhood whose worst case is minimised"));
    }

    @Override
    public String reference() {
        return "Foret, Kleiner, Mobahi & Neyshabur, Sharpness-Aware Minimization for Efficiently Improving"
                + " Generalization, ICLR 2021 (arXiv 2010.01412)";
    }

    @Override
    public String description() {
        return "steps from w with the gradient taken at w + rho·g/|g| (two gradient evaluations per step)";
    }

    @Override
    public TrainingHook hook(Map<String, Object> params) {
        double rho = resolve(params).number("rho");
        return new SharpnessAwareHook() {
            @Override
            public double rho() {
                return rho;
            }

            @Override
            public void step(StepContext step, Runnable next) {
                List<NDArray> weights = new ArrayList<>();
                List<NDArray> grads = new ArrayList<>();
                for (NDArray w : step.parameters()) {
                    if (w.hasGradient()) {
                        weights.add(w);
                        grads.add(w.getGradient());
                    }
                }
                if (weights.isEmpty()) {
                    throw new IllegalStateException("sam needs the trainable parameters in the step context");
                }
                NDArray squared = null;
                for (NDArray g : grads) {
                    NDArray s = g.square().sum();
                    squared = squared == null ? s : squared.add(s);
                }
                // The norm stays on the device: no host synchronisation inside the step.
                NDArray scale = squared.sqrt().add(1e-12f).pow(-1).mul((float) rho);
                List<NDArray> perturbations = new ArrayList<>();
                for (int i = 0; i < weights.size(); i++) {
                    NDArray e = grads.get(i).mul(scale);
                    perturbations.add(e);
                    weights.get(i).addi(e);
                }
                step.recomputeGradients();
                for (int i = 0; i < weights.size(); i++) {
                    weights.get(i).subi(perturbations.get(i));
                }
                next.run();
            }
        };
    }
}
