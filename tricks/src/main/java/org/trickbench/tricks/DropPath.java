package org.trickbench.tricks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.trickbench.core.param.ParameterSpec;
import org.trickbench.core.search.Family;
import org.trickbench.core.space.darts.DartsHook;
import org.trickbench.core.space.darts.DartsTraining;
import org.trickbench.core.space.nb201.Nb201Hook;
import org.trickbench.core.space.nb201.Nb201Op;
import org.trickbench.core.space.nb201.Nb201Ops;
import org.trickbench.core.train.Batch;
import org.trickbench.core.train.StepContext;
import org.trickbench.core.train.TrainingHook;
import org.trickbench.core.train.WeightTrainingHook;
import org.trickbench.core.trick.Phase;
import org.trickbench.core.trick.Trick;

/**
 * Drop-path as in DARTS's evaluation code (Liu, Simonyan &amp; Yang, ICLR 2019, arXiv 1806.09055;
 * after FractalNet, Larsson et al. 2017, arXiv 1605.07648): in training, each non-identity edge output
 * of a cell is zeroed for a whole sample with probability p and otherwise divided by 1 − p, so its
 * expectation is unchanged. p ramps linearly from 0, p = prob · epoch / epochs, as DARTS sets
 * {@code drop_path_prob} each epoch. Evaluation sees every edge.
 *
 * <p>In a search it acts in a black-box search's proxy trainings, whose networks are standalone; a
 * gradient or one-shot search's supernet has mixed edges, which it leaves alone in either space, so there it
 * acts in the final training only ({@link #inapplicableReason(Family, Phase)}).
 *
 * <p>In the DARTS space it sets the evaluation network's own drop-path ({@code DartsTraining}), which the
 * space ramps the same way and applies to every non-identity edge of DARTS's cells.
 *
 * <p>One hook instance serves one training at a time: the current p is set from the step context
 * before each forward pass and read by the cells' edge transform.
 */
public final class DropPath implements Trick {
    @Override
    public String id() {
        return "drop-path";
    }

    @Override
    public Set<Phase> phases() {
        return Set.of(Phase.SEARCH, Phase.TRAIN);
    }

    @Override
    public Set<Family> families() {
        return Family.ALL;
    }

    /**
     * In a search it acts only on the standalone networks of a black-box search's proxy trainings: a supernet's
     * mixed edges (NAS-Bench-201's or DARTS's) are never dropped.
     */
    @Override
    public Set<Family> familiesIn(Phase phase) {
        return phase == Phase.SEARCH ? Set.of(Family.BLACK_BOX) : Trick.super.familiesIn(phase);
    }

    @Override
    public Optional<String> inapplicableReason(Family family, Phase phase) {
        if (phase == Phase.SEARCH && family != Family.BLACK_BOX) {
            return Optional.of(id() + " drops edges of standalone cells, which a search trains only in a black-box"
                    + " search's proxy trainings, and no supernet's mixed edges; in " + family + " search it acts in"
                    + " the final training only, not in the search phase");
        }
        return Trick.super.inapplicableReason(family, phase);
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(ParameterSpec.number("prob", 0.2, 0, true, 1, false,
                "drop probability reached at the end of training (linear ramp from 0)"));
    }

    @Override
    public String reference() {
        return "Liu, Simonyan & Yang, DARTS: Differentiable Architecture Search, ICLR 2019 (arXiv 1806.09055),"
                + " evaluation code; Larsson, Maire & Shakhnarovich, FractalNet, ICLR 2017 (arXiv 1605.07648)";
    }

    @Override
    public String description() {
        return "zeroes whole non-identity edge outputs per sample, survivors scaled by 1/(1-p), p ramping from 0;"
                + " in search, only in black-box proxy trainings (never on a supernet)";
    }

    @Override
    public TrainingHook hook(Map<String, Object> params) {
        return new Hook(resolve(params).number("prob"));
    }

    private static final class Hook implements Nb201Hook, DartsHook, WeightTrainingHook {
        private final double prob;
        private volatile double current;
        /** This step's context and the masks drawn in it so far: every mask draws for its own purpose. */
        private volatile StepContext step;
        private long masks;

        Hook(double prob) {
            this.prob = prob;
        }

        @Override
        public Nb201Ops configureNetwork(Nb201Ops ops) {
            return ops.withEdgeOutput(this::apply);
        }

        @Override
        public DartsTraining configureTraining(DartsTraining training) {
            return training.withDropPath(prob);
        }

        /** Sets this step's drop probability; the batch itself is unchanged. */
        @Override
        public Batch transformBatch(Batch batch, StepContext step) {
            current = step.totalEpochs() == 0 ? 0 : prob * step.epoch() / step.totalEpochs();
            this.step = step;
            masks = 0;
            return batch;
        }

        private NDArray apply(Nb201Op op, NDArray output, boolean training) {
            double p = current;
            if (!training || p == 0 || op == Nb201Op.SKIP_CONNECT) {
                return output;
            }
            StepContext at = step;
            NDArray uniform = at == null ? uniform(output) : at.onEngine("drop-path#" + masks++, () -> uniform(output));
            return drop(output, p, uniform);
        }
    }

    /** Each sample of {@code x} zeroed with probability p, else scaled by 1/(1 − p). */
    static NDArray drop(NDArray x, double p) {
        return drop(x, p, uniform(x));
    }

    /** One U(0, 1) draw per sample of {@code x}, shaped to broadcast over the sample. */
    private static NDArray uniform(NDArray x) {
        return x.getManager().randomUniform(0, 1, new Shape(x.getShape().get(0), 1, 1, 1)).toDevice(x.getDevice(), false);
    }

    private static NDArray drop(NDArray x, double p, NDArray uniform) {
        double keep = 1 - p;
        NDArray mask = uniform.lt(keep).toType(x.getDataType(), false);
        return x.mul(mask.div((float) keep));
    }
}
