package org.trickbench.core.train;

import ai.djl.ndarray.NDArray;

/**
 * One training batch on the device: images (B×C×H×W, normalised), soft targets (B×K, rows sum to 1,
 * so mixup and label smoothing need no special case) and the hard labels (B, int) for accuracy.
 */
public record Batch(NDArray images, NDArray targets, NDArray labels) {
    public Batch withImages(NDArray x) {
        return new Batch(x, targets, labels);
    }

    public Batch withTargets(NDArray y) {
        return new Batch(images, y, labels);
    }

    public long size() {
        return images.getShape().get(0);
    }
}
