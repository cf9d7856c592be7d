package org.trickbench.core.space.darts;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.trickbench.core.nd.Scalars;
import org.trickbench.core.train.Batch;
import org.trickbench.core.train.StepContext;
import org.trickbench.core.train.WeightTrainingHook;

/**
 * A {@link DartsNetwork} as a standalone training runs it with a {@link DartsTraining}, the way DARTS's
 * {@code train.py} trains it: its {@link #hook()} sets drop-path's probability for each step to
 * p·epoch/epochs (DARTS sets {@code model.drop_path_prob} so at the start of each epoch) and passes it,
 * with the step whose seeded generator draws the masks, to the network's training forward passes; and it
 * adds the auxiliary head's loss, weighted, to the main one. Evaluation forward passes see no drop-path.
 */
final class DartsTrainingNetwork extends AbstractBlock {
    private static final byte VERSION = 1;

    private final DartsNetwork network;
    private final DartsTraining training;
    private volatile PairList<String, Object> stepParams;
    private volatile double dropPath;

    DartsTrainingNetwork(DartsNetwork network, DartsTraining training) {
        super(VERSION);
        this.network = addChildBlock("network", network);
        this.training = training;
    }

    DartsNetwork network() {
        return network;
    }

    /** Drop-path's probability in the current step, as the hook last set it. */
    double dropPathProb() {
        return dropPath;
    }

    /**
     * The hook that trains this network as DARTS does; the training asks it before the run's hooks, so its
     * loss is outermost: the rest of the chain (label smoothing, mixup, …) scores each head on its own, and
     * the total is main + weight·auxiliary, DARTS's {@code loss += args.auxiliary_weight * loss_aux}.
     */
    WeightTrainingHook hook() {
        return new WeightTrainingHook() {
            @Override
            public Batch transformBatch(Batch batch, StepContext step) {
                dropPath = training.dropPathAt(step.epoch(), step.totalEpochs());
                stepParams = dropPath > 0 ? DartsNetwork.dropPath(dropPath, step) : null;
                return batch;
            }

            @Override
            public NDArray lossFor(NDList outputs, Batch batch, StepContext step, LossFunction next) {
                if (outputs.size() < 2) {
                    return next.loss(outputs, batch);
                }
                NDArray main = next.loss(new NDList(outputs.get(0)), batch);
                NDArray auxiliary = next.loss(new NDList(outputs.get(1)), batch);
                return main.add(Scalars.mul(auxiliary, training.auxiliaryWeight()));
            }
        };
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        return network.forward(ps, inputs, training, training && stepParams != null ? stepParams : params);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return network.getOutputShapes(inputShapes);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        network.initialize(manager, dataType, inputShapes);
    }
}
