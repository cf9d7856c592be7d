package org.trickbench.core.train;

/**
 * A weight step that first ascends within an L2 ball of radius {@link #rho()}, as sharpness-aware
 * minimisation does (SAM; Foret et al., ICLR 2021, arXiv 2010.01412): ε = ρ·g / (‖g‖ + 1e-12), the norm
 * over every trainable parameter's gradient; the gradients recomputed on the same batch at w + ε; the
 * weights restored; then the update. Its {@link #step} takes this step for one run. A grouped training
 * ({@link GroupedTrainingLoop}) does not call it: it takes the same step for all its runs at once, each
 * run's norm over its own parameters, which is why the kind is declared.
 */
public interface SharpnessAwareHook extends WeightTrainingHook {
    /** The ascent's radius ρ. */
    double rho();
}
