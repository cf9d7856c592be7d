package org.trickbench.core.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * The protocol's augmentation as batched tensor operations on the device: random crop with zero
 * padding and random horizontal flip, one random offset and flip per image, and no per-image host
 * loop. The crop and the flip become one gather: output pixel (y, x) of image b reads padded pixel
 * (oy_b + y, ox_b + (flip_b ? W−1−x : x)).
 */
public final class Augment {
    private Augment() {}

    public static NDArray cropAndFlip(NDArray images, int padding, boolean flip) {
        if (padding == 0 && !flip) {
            return images;
        }
        NDManager m = images.getManager();
        Shape s = images.getShape();
        long b = s.get(0);
        long c = s.get(1);
        long h = s.get(2);
        long w = s.get(3);
        long paddedW = w + 2L * padding;
        NDArray padded = padding == 0 ? images : images.pad(new Shape(padding, padding, padding, padding), 0);
        NDArray oy = m.randomInteger(0, 2L * padding + 1, new Shape(b, 1, 1), DataType.INT64).toDevice(images.getDevice(), false);
        NDArray ox = m.randomInteger(0, 2L * padding + 1, new Shape(b, 1, 1), DataType.INT64).toDevice(images.getDevice(), false);
        NDArray rows = oy.add(m.arange(0, h, 1, DataType.INT64, images.getDevice()).reshape(1, h, 1));
        NDArray cols = m.arange(0, w, 1, DataType.INT64, images.getDevice()).reshape(1, 1, w);
        if (flip) {
            NDArray flipped = m.randomInteger(0, 2, new Shape(b, 1, 1), DataType.INT64).toDevice(images.getDevice(), false);
            // x → x + f·(W−1−2x): x when f = 0, W−1−x when f = 1.
            cols = cols.add(flipped.mul(cols.mul(-2).add(w - 1)));
        }
        NDArray index = rows.mul(paddedW).add(ox.add(cols)).reshape(b, 1, h * w).repeat(1, c);
        return padded.reshape(b, c, -1).gather(index, 2).reshape(b, c, h, w);
    }
}
