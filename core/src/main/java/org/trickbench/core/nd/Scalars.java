package org.trickbench.core.nd;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Arithmetic with a constant on arrays that autograd records.
 *
 * <p>DJL 0.36's PyTorch engine implements {@code NDArray.mul(Number)}, {@code div(Number)},
 * {@code pow(Number)} and the like by wrapping the number in a 0-d tensor and closing it as soon as
 * the operation returns. On the CPU that tensor is a {@code torch::from_blob} view of a Java direct
 * buffer, which only the closed {@code NDArray} kept reachable. Operations whose backward needs the
 * constant (mul, div, pow) save that tensor in the graph, but the graph cannot keep the buffer alive:
 * once a garbage collection has freed it, the backward pass multiplies by whatever the freed memory
 * holds by then, a NaN, 1e30 or another number's bits. Which step that hits depends on when the
 * collector and its cleaner run, so trainings diverge at random, and one seed does not reproduce it.
 *
 * <p>Use these instead of the Number overloads wherever the array may require a gradient: the
 * constant is made with {@code full}, whose memory libtorch allocates and the graph holds. Number
 * overloads stay fine where nothing is recorded (data augmentation, optimiser updates, statistics).
 */
public final class Scalars {
    private Scalars() {}

    /** The constant as a 0-d array of {@code like}'s type on its device, in libtorch-owned memory. */
    public static NDArray of(NDArray like, double value) {
        return like.getManager().full(new Shape(), (float) value, like.getDataType(), like.getDevice());
    }

    /** {@code x · factor}, safe to differentiate through. */
    public static NDArray mul(NDArray x, double factor) {
        return x.mul(of(x, factor));
    }

    /** {@code x / divisor}, safe to differentiate through. */
    public static NDArray div(NDArray x, double divisor) {
        return x.div(of(x, divisor));
    }
}
