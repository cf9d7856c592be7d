package org.trickbench.core.data;

import ai.djl.ndarray.NDArray;

/**
 * The data one training sees: a training split, an evaluation split (the published test split for
 * a final evaluation, or the held-out half of train during search), per-channel normalisation, and
 * how the splits were drawn (recorded with the run).
 *
 * @param mean per-channel mean of the training pixels, shape C×1×1
 * @param std per-channel standard deviation of the training pixels, shape C×1×1
 * @param nativeSide the data set's own image side, for scaling the crop padding
 */
public record PreparedData(String dataset, DeviceSplit train, DeviceSplit eval, String evalName, NDArray mean,
        NDArray std, int nativeSide, String splitDescription) {

    public int channels() {
        return (int) train.images().getShape().get(1);
    }

    public int side() {
        return (int) train.images().getShape().get(2);
    }

    public int classes() {
        return train.classes();
    }

    public NDArray normalize(NDArray images) {
        return images.sub(mean).div(std);
    }
}
