package org.trickbench.tricks;

import ai.djl.ndarray.NDArray;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.trickbench.core.nd.Scalars;
import org.trickbench.core.param.ParameterSpec;
import org.trickbench.core.search.Family;
import org.trickbench.core.space.SpaceId;
import org.trickbench.core.space.nb201.Nb201Hook;
import org.trickbench.core.space.nb201.Nb201Ops;
import org.trickbench.core.train.Batch;
import org.trickbench.core.train.StepContext;
import org.trickbench.core.train.TrainingHook;
import org.trickbench.core.train.WeightTrainingHook;

/**
 * DARTS-' auxiliary skip connection (Chu et al. 2021): every supernet edge outputs its mixed op plus
 * β·x, x the edge's input, outside the softmax, so the skip's gradient advantage no longer goes to α's
 * {@code skip_connect} and the search stops collapsing into parameter-free cells. β decays linearly
 * over the search, β_e = β0 · (1 − e / (E − 1)) in epoch e of E (β0 throughout a one-epoch search), so
 * the last epoch trains the plain supernet. Standalone networks never see it.
 *
 * <p>One hook instance serves one search at a time: β is set from the step context before each step
 * and read by the edges.
 */
public final class AuxSkip extends SearchPhaseTrick {
    public AuxSkip() {
        super("aux-skip", Family.GRADIENT);
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(ParameterSpec.number("beta0", 1.0, 0, false, Double.POSITIVE_INFINITY, false,
                "weight of the auxiliary skip in the first epoch, decaying linearly to 0 in the last"));
    }

    @Override
    public String reference() {
        return "Chu et al., DARTS-: Robustly Stepping out of Performance Collapse Without"
                + " Indicators, ICLR 2021 (arXiv 2009.01027)";
    }

    @Override
    public Set<SpaceId> spaces() {
        return Nb201Only.SPACES;
    }

    @Override
    public String spacesNote() {
        return "it adds the skip to NAS-Bench-201's supernet cell ops; the DARTS search network has no hook for its edges yet";
    }

    @Override
    public String description() {
        return "every supernet edge outputs mixed op + β·x, β decaying linearly from beta0 to 0 over the search";
    }

    @Override
    public TrainingHook hook(Map<String, Object> params) {
        return new Hook(resolve(params).number("beta0"));
    }

    /** β in epoch {@code epoch} of {@code total}: β0 in the first, 0 in the last. */
    static double beta(double beta0, int epoch, int total) {
        return total <= 1 ? beta0 : beta0 * (1 - (double) epoch / (total - 1));
    }

    private static final class Hook implements Nb201Hook, WeightTrainingHook {
        private final double beta0;
        private volatile double beta;

        Hook(double beta0) {
            this.beta0 = beta0;
            this.beta = beta0;
        }

        @Override
        public Nb201Ops configureSupernetCells(Nb201Ops cellOps) {
            return cellOps.withMixedEdgeOutput(this::apply);
        }

        /** Sets this step's β; the batch itself is unchanged. */
        @Override
        public Batch transformBatch(Batch batch, StepContext step) {
            beta = beta(beta0, step.epoch(), step.totalEpochs());
            return batch;
        }

        private NDArray apply(NDArray input, NDArray mixed, boolean training) {
            double b = beta;
            return b == 0 ? mixed : mixed.add(Scalars.mul(input, b));
        }
    }
}
