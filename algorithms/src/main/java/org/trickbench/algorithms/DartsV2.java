package org.trickbench.algorithms;

import org.trickbench.core.run.AlgorithmSetting;
import org.trickbench.core.seed.Seeds;

/**
 * Second-order DARTS (Liu, Simonyan & Yang, ICLR 2019, arXiv 1806.09055) as the benchmark runs it
 * ({@code exps/NAS-Bench-201-algos/DARTS-V2.py}): each step first moves α along the unrolled gradient
 * ∇α L_val(w − ξ∇w L_train(w, α), α), whose Hessian-vector term is a central finite difference, then
 * trains the weights on the same training batch.
 */
public final class DartsV2 extends SupernetSearch {
    public static final String ID = "darts-v2";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String reference() {
        return "Liu, Simonyan & Yang, DARTS: Differentiable Architecture Search, ICLR 2019 (arXiv 1806.09055), second order";
    }

    @Override
    public String description() {
        return "DARTS, second order: α from the one-step unrolled validation loss, then SGD on the weights";
    }

    @Override
    Steps steps(AlgorithmSetting setting, Seeds seeds) {
        return (trainer, train, valid, updateArchitecture, context) -> {
            trainer.supernet().useWeighted();
            if (updateArchitecture) {
                trainer.unrolledArchitectureStep(train, valid.get());
            }
            trainer.weightStep(train, context);
        };
    }
}
