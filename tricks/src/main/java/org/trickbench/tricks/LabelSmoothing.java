package org.trickbench.tricks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.trickbench.core.param.ParameterSpec;
import org.trickbench.core.search.Family;
import org.trickbench.core.train.Batch;
import org.trickbench.core.train.StepContext;
import org.trickbench.core.train.TrainingHook;
import org.trickbench.core.train.WeightTrainingHook;
import org.trickbench.core.trick.Phase;
import org.trickbench.core.trick.Trick;

/**
 * Cross-entropy against smoothed targets y' = (1 − ε)·y + ε/K (Szegedy et al., Rethinking the
 * Inception Architecture, CVPR 2016, arXiv 1512.00567, §7). Applied to the batch's soft targets in
 * the loss, so it composes with mixup: smoothing mixed targets equals mixing smoothed ones.
 */
public final class LabelSmoothing implements Trick {
    @Override
    public String id() {
        return "label-smoothing";
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
        return List.of(ParameterSpec.number("eps", 0.1, 0, true, 1, false,
                "probability mass spread uniformly over all classes"));
    }

    @Override
    public String reference() {
        return "Szegedy, Vanhoucke, Ioffe, Shlens & Wojna, Rethinking the Inception Architecture for Computer"
                + " Vision, CVPR 2016 (arXiv 1512.00567)";
    }

    @Override
    public String description() {
        return "cross-entropy against targets (1 - eps)·one-hot + eps/K";
    }

    @Override
    public TrainingHook hook(Map<String, Object> params) {
        double eps = resolve(params).number("eps");
        return new WeightTrainingHook() {
            @Override
            public NDArray lossFor(NDList outputs, Batch batch, StepContext step, LossFunction next) {
                NDArray y = batch.targets();
                long classes = y.getShape().get(1);
                return next.loss(outputs, batch.withTargets(y.mul((float) (1 - eps)).add((float) (eps / classes))));
            }
        };
    }
}
