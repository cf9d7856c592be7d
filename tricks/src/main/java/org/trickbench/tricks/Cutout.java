package org.trickbench.tricks;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
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
 * Cutout (DeVries &amp; Taylor 2017, arXiv 1708.04552): one size×size square per image set to zero
 * after normalisation, i.e. to the data set's mean. As in the authors' code the centre is uniform
 * over the whole image and the square is clipped at the border, which the paper found important.
 * One mask for the batch from broadcast comparisons, with centres drawn by the seeded engine.
 */
public final class Cutout implements Trick {
    @Override
    public String id() {
        return "cutout";
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
        return List.of(ParameterSpec.integer("size", 0, 0, Integer.MAX_VALUE,
                "side of the square in pixels; 0 = half the image side (16 at 32 px, the paper's CIFAR-10 value)").withUnit("px"));
    }

    @Override
    public String reference() {
        return "DeVries & Taylor, Improved Regularization of Convolutional Neural Networks with Cutout, 2017"
                + " (arXiv 1708.04552)";
    }

    @Override
    public String description() {
        return "zeroes one random square per training image (clipped at the border)";
    }

    @Override
    public TrainingHook hook(Map<String, Object> params) {
        int size = resolve(params).integer("size");
        return new WeightTrainingHook() {
            @Override
            public Batch transformBatch(Batch batch, StepContext step) {
                long side = batch.images().getShape().get(2);
                int square = size == 0 ? (int) (side / 2) : size;
                return batch.withImages(step.onEngine("cutout", () -> apply(batch.images(), square)));
            }
        };
    }

    /** Images B×C×H×W with one square of side {@code size} zeroed per image, the same in every channel. */
    static NDArray apply(NDArray images, int size) {
        NDManager m = images.getManager();
        Device device = images.getDevice();
        Shape s = images.getShape();
        long b = s.get(0);
        long h = s.get(2);
        long w = s.get(3);
        NDArray top = m.randomInteger(0, h, new Shape(b, 1, 1, 1), DataType.INT64).toDevice(device, false)
                .sub(size / 2);
        NDArray left = m.randomInteger(0, w, new Shape(b, 1, 1, 1), DataType.INT64).toDevice(device, false)
                .sub(size / 2);
        NDArray rows = m.arange(0, h, 1, DataType.INT64, device).reshape(1, 1, h, 1);
        NDArray cols = m.arange(0, w, 1, DataType.INT64, device).reshape(1, 1, 1, w);
        NDArray inRows = rows.gte(top).logicalAnd(rows.lt(top.add(size)));
        NDArray inCols = cols.gte(left).logicalAnd(cols.lt(left.add(size)));
        NDArray keep = inRows.logicalAnd(inCols).logicalNot().toType(images.getDataType(), false);
        return images.mul(keep);
    }
}
