package org.trickbench.tricks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * AutoAugment's image operations as batched tensor operations, each with its own parameter per image
 * (a B-vector broadcast over the image). Images are B×C×H×W pixel values on the 0..255 scale, kept
 * integral after every operation as PIL keeps them in 8 bits; each operation reproduces the PIL call
 * of the authors' code ({@code augmentation_transforms.py} of Cubuk et al. 2019): truncation where
 * PIL truncates, rounding where it rounds, ITU-R 601-2 luma with PIL's fixed-point weights.
 *
 * <p>Geometry follows PIL's affine transform with nearest-neighbour sampling: output pixel (x, y)
 * reads input pixel (⌊a(x+½) + b(y+½) + c⌋, ⌊d(x+½) + e(y+½) + f⌋), or the fill value outside the
 * image.
 */
final class AutoAugmentOps {
    /** Mid-grey, for pixels a geometric operation brings in from outside the image. */
    static final float FILL = 128;

    private AutoAugmentOps() {}

    /** A per-image parameter as B×1×1×1, to broadcast over B×C×H×W. */
    static NDArray perImage(NDArray v) {
        return v.reshape(v.getShape().get(0), 1, 1, 1);
    }

    /** PIL's conversion of a float to an 8-bit pixel: truncation, clipped to [0, 255]. */
    static NDArray pixels(NDArray y) {
        return y.add(1e-3f).floor().clip(0, 255);
    }

    static NDArray invert(NDArray v) {
        return v.neg().add(255f);
    }

    /** ImageOps.solarize: pixels at or above the threshold are inverted. */
    static NDArray solarize(NDArray v, NDArray threshold) {
        return select(v.lt(perImage(threshold)), v, invert(v));
    }

    /** ImageOps.posterize: keep the top {@code bits} bits of each pixel. */
    static NDArray posterize(NDArray v, NDArray bits) {
        NDArray quantum = perImage(bits.neg().add(8f)).toType(DataType.FLOAT32, false);
        quantum = NDArrays.pow(2f, quantum);
        return v.div(quantum).floor().mul(quantum);
    }

    /** ImageOps.autocontrast (no cutoff): each channel stretched so its minimum is 0 and maximum 255. */
    static NDArray autoContrast(NDArray v) {
        Shape s = v.getShape();
        NDArray flat = v.reshape(s.get(0), s.get(1), -1);
        NDArray lo = flat.min(new int[] {2}, true).expandDims(3);
        NDArray hi = flat.max(new int[] {2}, true).expandDims(3);
        NDArray range = hi.sub(lo);
        NDArray stretched = pixels(v.sub(lo).mul(255f).div(range.maximum(1f)));
        return select(range.gt(0f), stretched, v);
    }

    /**
     * ImageOps.equalize, per channel: with h the histogram and step = ⌊(N − h[max]) / 255⌋, value i
     * maps to ⌊(⌊step/2⌋ + #{pixels &lt; i}) / step⌋; a channel with step 0 is left as it is. The
     * 256-bin histogram is one batched product of one-hot codes of the high and low 4 bits
     * (16×N by N×16), which needs an eighth of the memory of comparing every pixel with every level.
     */
    static NDArray equalize(NDArray v) {
        Shape s = v.getShape();
        long b = s.get(0);
        long c = s.get(1);
        NDManager m = v.getManager();
        NDArray flat = v.reshape(b, c, -1);
        NDArray nibble = m.arange(0, 16, 1, DataType.FLOAT32, v.getDevice()).reshape(1, 1, 1, 16);
        NDArray high = flat.div(16f).floor();
        NDArray low = flat.sub(high.mul(16f));
        NDArray highCode = high.expandDims(3).eq(nibble).toType(DataType.FLOAT32, false);
        NDArray lowCode = low.expandDims(3).eq(nibble).toType(DataType.FLOAT32, false);
        NDArray histogram = highCode.transpose(0, 1, 3, 2).matMul(lowCode).reshape(b, c, 256);
        NDArray below = histogram.cumSum(2).sub(histogram);
        NDArray index = flat.toType(DataType.INT64, false);
        NDArray rank = below.gather(index, 2);
        NDArray top = flat.max(new int[] {2}, true).toType(DataType.INT64, false);
        NDArray step = below.gather(top, 2).div(255f).floor();
        NDArray mapped = rank.add(step.div(2f).floor()).div(step.maximum(1f)).floor().minimum(255f);
        return select(step.gt(0f), mapped, flat).reshape(s);
    }

    /** PIL's "L" conversion, (299 R + 587 G + 114 B) / 1000 in 16-bit fixed point; grey images as they are. */
    static NDArray luma(NDArray v) {
        long channels = v.getShape().get(1);
        if (channels == 1) {
            return v;
        }
        if (channels != 3) {
            // Not an image PIL could hold; the channel mean stands in for luma.
            return v.mean(new int[] {1}, true).floor();
        }
        NDArray weights = v.getManager().create(new float[] {19595, 38470, 7471}).toDevice(v.getDevice(), false)
                .reshape(1, 3, 1, 1);
        return v.mul(weights).sum(new int[] {1}, true).add(32768f).div(65536f).floor();
    }

    /** Image.blend(degenerate, image, factor), PIL's enhancers: degenerate + factor·(image − degenerate). */
    static NDArray blend(NDArray degenerate, NDArray v, NDArray factor) {
        return pixels(degenerate.add(v.sub(degenerate).mul(perImage(factor))));
    }

    /** ImageEnhance.Contrast: blend with the image's mean luma, rounded. */
    static NDArray contrast(NDArray v, NDArray factor) {
        NDArray l = luma(v);
        NDArray mean = l.reshape(l.getShape().get(0), -1).mean(new int[] {1}).add(0.5f).floor().reshape(-1, 1, 1, 1);
        return blend(mean, v, factor);
    }

    /** ImageEnhance.Color: blend with the image's own luma (no change to a grey image). */
    static NDArray color(NDArray v, NDArray factor) {
        return blend(luma(v), v, factor);
    }

    /** ImageEnhance.Brightness: blend with black. */
    static NDArray brightness(NDArray v, NDArray factor) {
        return blend(v.zerosLike(), v, factor);
    }

    /**
     * ImageEnhance.Sharpness: blend with PIL's SMOOTH filter (3×3 kernel of ones with 5 in the centre,
     * divided by 13, rounded), whose border pixels are the image's own.
     */
    static NDArray sharpness(NDArray v, NDArray factor) {
        Shape s = v.getShape();
        long h = s.get(2);
        long w = s.get(3);
        NDArray padded = v.pad(new Shape(1, 1, 1, 1), 0);
        NDArray sum = v.mul(4f);
        for (int dy = 0; dy < 3; dy++) {
            for (int dx = 0; dx < 3; dx++) {
                sum = sum.add(padded.get(new NDIndex(":, :, {}:{}, {}:{}", dy, dy + h, dx, dx + w)));
            }
        }
        NDArray smooth = sum.div(13f).add(0.5f).floor();
        NDManager m = v.getManager();
        NDArray rows = m.arange(0, h, 1, DataType.INT64, v.getDevice()).reshape(1, 1, h, 1);
        NDArray cols = m.arange(0, w, 1, DataType.INT64, v.getDevice()).reshape(1, 1, 1, w);
        NDArray interior = rows.gt(0).logicalAnd(rows.lt(h - 1)).logicalAnd(cols.gt(0)).logicalAnd(cols.lt(w - 1));
        return blend(select(interior, smooth, v), v, factor);
    }

    /**
     * PIL's affine transform with nearest-neighbour sampling and {@link #FILL} outside; the six
     * coefficients are B-vectors mapping output to input coordinates.
     */
    static NDArray affine(NDArray v, NDArray a, NDArray b, NDArray c, NDArray d, NDArray e, NDArray f) {
        Shape s = v.getShape();
        long n = s.get(0);
        long ch = s.get(1);
        long h = s.get(2);
        long w = s.get(3);
        NDManager m = v.getManager();
        NDArray x = m.arange(0, w, 1, DataType.FLOAT32, v.getDevice()).add(0.5f).reshape(1, 1, w);
        NDArray y = m.arange(0, h, 1, DataType.FLOAT32, v.getDevice()).add(0.5f).reshape(1, h, 1);
        NDArray srcX = column(a).mul(x).add(column(b).mul(y)).add(column(c)).floor();
        NDArray srcY = column(d).mul(x).add(column(e).mul(y)).add(column(f)).floor();
        NDArray inside = srcX.gte(0f).logicalAnd(srcX.lt((float) w)).logicalAnd(srcY.gte(0f))
                .logicalAnd(srcY.lt((float) h));
        NDArray index = srcY.clip(0, h - 1).mul((float) w).add(srcX.clip(0, w - 1)).toType(DataType.INT64, false)
                .reshape(n, 1, h * w).repeat(1, ch);
        NDArray sampled = v.reshape(n, ch, h * w).gather(index, 2).reshape(n, ch, h, w);
        return select(inside.reshape(n, 1, h, w), sampled, v.zerosLike().add(FILL));
    }

    /**
     * {@code a} where {@code condition} holds, else {@code b}, broadcasting arrays of equal rank (the
     * PyTorch engine's {@code where} wants equal shapes).
     */
    static NDArray select(NDArray condition, NDArray a, NDArray b) {
        long[] shape = condition.getShape().getShape().clone();
        for (NDArray x : new NDArray[] {a, b}) {
            long[] s = x.getShape().getShape();
            for (int i = 0; i < shape.length; i++) {
                shape[i] = Math.max(shape[i], s[i]);
            }
        }
        Shape target = new Shape(shape);
        return NDArrays.where(condition.broadcast(target), a.broadcast(target), b.broadcast(target));
    }

    private static NDArray column(NDArray coefficient) {
        return coefficient.reshape(coefficient.getShape().get(0), 1, 1);
    }
}
