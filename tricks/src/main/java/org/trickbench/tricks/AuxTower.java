package org.trickbench.tricks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.pooling.Pool;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.trickbench.core.nd.Scalars;
import org.trickbench.core.param.ParameterSpec;
import org.trickbench.core.search.Family;
import org.trickbench.core.space.darts.DartsHook;
import org.trickbench.core.space.darts.DartsTraining;
import org.trickbench.core.space.nb201.GlobalMeanPool;
import org.trickbench.core.space.nb201.Nb201Hook;
import org.trickbench.core.space.nb201.Nb201Network;
import org.trickbench.core.space.nb201.Nb201Ops;
import org.trickbench.core.train.Batch;
import org.trickbench.core.train.StepContext;
import org.trickbench.core.train.TrainingHook;
import org.trickbench.core.train.WeightTrainingHook;
import org.trickbench.core.trick.Phase;
import org.trickbench.core.trick.Trick;

/**
 * An auxiliary classifier after the second stage, trained with loss main + w·aux and dropped at test
 * time (Szegedy et al., CVPR 2015, arXiv 1409.4842; weight 0.4 as in DARTS's evaluation, Liu et al.,
 * ICLR 2019, arXiv 1806.09055).
 *
 * <p>The head follows DARTS's {@code AuxiliaryHeadCIFAR}: ReLU, 5×5 average pool with stride 3, 1×1
 * convolution to 128 channels, BN, ReLU, convolution to 768 channels, BN, ReLU, linear classifier.
 * DARTS's last convolution is 2×2 on a 2×2 map (8×8 input); here it is 1×1 followed by global average
 * pooling, and the pool pads by 2, so the head works at any resolution. Activation and normalisation
 * come from the network's ops, so Swish or GroupNorm apply to the head too.
 *
 * <p>In the DARTS space it switches on the evaluation network's own head, DARTS's exactly at 32 to 40
 * pixels and with an adaptive pool to 2×2 elsewhere ({@code DartsNetwork}), and the space adds its loss as
 * DARTS's {@code train.py} does, loss + weight·aux_loss ({@code DartsTraining}); the rest of the run's loss
 * chain scores each head.
 */
public final class AuxTower implements Trick {
    @Override
    public String id() {
        return "aux-tower";
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
        return List.of(ParameterSpec.number("weight", 0.4, 0, false, Double.POSITIVE_INFINITY, false,
                "weight of the auxiliary loss"));
    }

    @Override
    public String reference() {
        return "Szegedy et al., Going Deeper with Convolutions, CVPR 2015 (arXiv 1409.4842); weight and head"
                + " from DARTS, Liu, Simonyan & Yang, ICLR 2019 (arXiv 1806.09055)";
    }

    @Override
    public String description() {
        return "auxiliary classifier after the second stage, loss main + weight·aux, dropped at test time";
    }

    @Override
    public TrainingHook hook(Map<String, Object> params) {
        return new Hook(resolve(params).number("weight"));
    }

    /** The head on the network, its loss weighted and added to the main one's. */
    private record Hook(double weight) implements Nb201Hook, DartsHook, WeightTrainingHook {
        @Override
        public Nb201Ops configureNetwork(Nb201Ops ops) {
            return ops.withAuxiliaryHead(AuxTower::head);
        }

        /** DARTS's own head; the space adds its weighted loss around the run's loss chain. */
        @Override
        public DartsTraining configureTraining(DartsTraining training) {
            return training.withAuxiliary(weight);
        }

        /**
         * The rest of the chain scores both outputs, so e.g. label smoothing applies to both. A DARTS network's
         * heads reach this hook one at a time (the space splits them), so it adds nothing there.
         */
        @Override
        public NDArray lossFor(NDList outputs, Batch batch, StepContext step, LossFunction next) {
            NDArray main = next.loss(new NDList(outputs.get(0)), batch);
            if (outputs.size() < 2) {
                return main;
            }
            return main.add(Scalars.mul(next.loss(new NDList(outputs.get(1)), batch), weight));
        }
    }

    static Block head(int channels, int classes, Nb201Ops ops) {
        return new SequentialBlock()
                .add(ops.activation())
                .add(Pool.avgPool2dBlock(new Shape(5, 5), new Shape(3, 3), new Shape(2, 2), false, false))
                .add(Conv2d.builder().setKernelShape(new Shape(1, 1)).setFilters(128).optBias(false).build())
                .add(ops.normalization())
                .add(ops.activation())
                .add(Conv2d.builder().setKernelShape(new Shape(1, 1)).setFilters(768).optBias(false).build())
                .add(ops.normalization())
                .add(ops.activation())
                .add(GlobalMeanPool.block())
                .add(Blocks.batchFlattenBlock())
                .add(Nb201Network.classifier(768, classes));
    }
}
