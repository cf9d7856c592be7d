package org.trickbench.core.nd;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;

/**
 * In-place writes that do not depend on what an array held before. {@code muli(0)} is no way to clear
 * an array: NaN·0 and ∞·0 are NaN, so a gradient or weight that once held a NaN would keep it. These
 * write through libtorch's indexed assignment, on the array's own device, with no host copy.
 */
public final class Fill {
    private static final NDIndex ALL = new NDIndex("...");

    private Fill() {}

    /** Sets every element to zero, whatever it held. */
    public static void zero(NDArray array) {
        array.set(ALL, 0);
    }

    /** Sets every element to {@code value}, whatever it held. */
    public static void constant(NDArray array, double value) {
        array.set(ALL, value);
    }

    /** Copies {@code source} into {@code target} in place (same shape), whatever {@code target} held. */
    public static void copy(NDArray source, NDArray target) {
        if (!source.getShape().equals(target.getShape())) {
            throw new IllegalArgumentException("copy of " + source.getShape() + " into " + target.getShape());
        }
        target.set(ALL, source);
    }
}
