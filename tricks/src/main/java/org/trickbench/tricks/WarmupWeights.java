package org.trickbench.tricks;

import java.util.List;
import java.util.Map;
import org.trickbench.core.param.ParameterSpec;
import org.trickbench.core.search.Family;
import org.trickbench.core.train.EpochContext;
import org.trickbench.core.train.SupernetSearchHook;
import org.trickbench.core.train.TrainingHook;

/**
 * Weights-only warm-up of a gradient search (Bag of Tricks §2.1; PC-DARTS trains only the weights for
 * its first 15 of 50 epochs): α receives no update while the share of search epochs already done is
 * below {@code fraction}, so epoch e of E is held when e / E &lt; fraction. The weights train
 * throughout.
 */
public final class WarmupWeights extends SearchPhaseTrick {
    public WarmupWeights() {
        super("warmup-weights", Family.GRADIENT);
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(ParameterSpec.number("fraction", 0.5, 0, true, 1, true,
                "share of the search epochs, from the start, in which α is held still"));
    }

    @Override
    public String reference() {
        return "Elsken, Staffler, Zela, Metzen & Hutter, Bag of Tricks for Neural Architecture Search, CVPR 2021"
                + " workshops (arXiv 2107.03719), §2.1; Xu et al., PC-DARTS, ICLR 2020 (arXiv 1907.05737)";
    }

    @Override
    public String description() {
        return "α is not updated in the first fraction of search epochs; only the supernet weights train";
    }

    @Override
    public TrainingHook hook(Map<String, Object> params) {
        double fraction = resolve(params).number("fraction");
        return new SupernetSearchHook() {
            @Override
            public boolean beforeArchitectureStep(EpochContext epoch) {
                return !holds(fraction, epoch.epoch(), epoch.totalEpochs());
            }
        };
    }

    /** Whether epoch {@code epoch} of {@code total} is still in the warm-up. */
    static boolean holds(double fraction, int epoch, int total) {
        // e / E compared with the fraction as doubles, so that e.g. 3 / 10 and 0.3 meet exactly.
        return total > 0 && (double) epoch / total < fraction;
    }
}
