package org.trickbench.core.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Area (box-filter) resizing of a whole N×C×H×W tensor as two matrix products, R_y · X · R_xᵀ, where
 * each row of R holds the fractional overlap of one output pixel with the input pixels. It runs on
 * the device in two batched operations and equals torch's {@code interpolate(mode="area")} for
 * integer factors; DJL offers no batched area resize of its own.
 */
public final class Resize {
    private Resize() {}

    public static NDArray area(NDArray images, int side) {
        Shape s = images.getShape();
        int h = (int) s.get(2);
        int w = (int) s.get(3);
        if (h == side && w == side) {
            return images;
        }
        NDManager m = images.getManager();
        NDArray ry = m.create(weights(h, side), new Shape(side, h)).toDevice(images.getDevice(), false);
        NDArray rxT = m.create(weights(w, side), new Shape(side, w)).toDevice(images.getDevice(), false).transpose();
        return ry.matMul(images).matMul(rxT);
    }

    /** Row-major out×in matrix: weight of input pixel i in output pixel j. */
    static float[] weights(int in, int out) {
        float[] r = new float[out * in];
        double scale = (double) in / out;
        for (int j = 0; j < out; j++) {
            double lo = j * scale;
            double hi = (j + 1) * scale;
            for (int i = (int) Math.floor(lo); i < Math.min(in, (int) Math.ceil(hi)); i++) {
                double overlap = Math.min(hi, i + 1) - Math.max(lo, i);
                if (overlap > 0) {
                    r[j * in + i] = (float) (overlap / scale);
                }
            }
        }
        return r;
    }
}
