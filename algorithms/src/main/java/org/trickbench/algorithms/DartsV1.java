package org.trickbench.algorithms;

import org.trickbench.core.run.AlgorithmSetting;
import org.trickbench.core.seed.Seeds;

/**
 * First-order DARTS (Liu, Simonyan & Yang, ICLR 2019, arXiv 1806.09055) as the benchmark runs it
 * ({@code exps/NAS-Bench-201-algos/DARTS-V1.py}): each step trains the weights of the softmax-weighted
 * supernet on a training batch, then moves α along ∇α L_val at the new weights, ignoring how the
 * weights depend on α. On NAS-Bench-201 it collapses to all skip connections (Dong & Yang 2020).
 */
public final class DartsV1 extends SupernetSearch {
    public static final String ID = "darts-v1";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String reference() {
        return "Liu, Simonyan & Yang, DARTS: Differentiable Architecture Search, ICLR 2019 (arXiv 1806.09055), first order";
    }

    @Override
    public String description() {
        return "DARTS, first order: weighted supernet, SGD on weights then Adam on α from the validation loss";
    }

    @Override
    Steps steps(AlgorithmSetting setting, Seeds seeds) {
        return (trainer, train, valid, updateArchitecture, context) -> {
            trainer.supernet().useWeighted();
            trainer.weightStep(train, context);
            if (updateArchitecture) {
                trainer.architectureStep(valid.get());
            }
        };
    }
}
