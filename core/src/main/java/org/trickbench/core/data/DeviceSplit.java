package org.trickbench.core.data;

import ai.djl.ndarray.NDArray;

/**
 * One split resident on the training device: images as float32 in [0, 1] (N×C×H×W, not yet
 * normalised, so that crop padding is true black as in the benchmark's pipeline) and int64 labels (N).
 */
public record DeviceSplit(NDArray images, NDArray labels, int classes) {
    public int count() {
        return (int) images.getShape().get(0);
    }
}
