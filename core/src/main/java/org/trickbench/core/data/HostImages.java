package org.trickbench.core.data;

import java.util.Arrays;
import java.util.Objects;

/**
 * A labelled image set held on the host as unsigned bytes, before any tensor conversion.
 *
 * <p>{@code pixels} is laid out image-major, then channel, row, column (N×C×H×W), which is the
 * layout CIFAR's binary files already use and the one libtorch expects, so conversion is one
 * copy. {@code labels} has one unsigned byte per image.
 *
 * <p>The arrays are not copied: the train set is 47 MB for Fashion-MNIST and 150 MB for CIFAR, and
 * {@link #pixels()} is read once per run by the tensor conversion. The record takes ownership of
 * the arrays it is given; nobody may modify them afterwards.
 */
public record HostImages(
        int count, int channels, int height, int width, byte[] pixels, byte[] labels, int classes) {

    /** Labels are single unsigned bytes, so no set can have more classes than this. */
    public static final int MAX_CLASSES = 256;

    public HostImages {
        requirePositive("count", count);
        requirePositive("channels", channels);
        requirePositive("height", height);
        requirePositive("width", width);
        if (classes < 1 || classes > MAX_CLASSES) {
            throw new IllegalArgumentException(
                    "classes must be between 1 and " + MAX_CLASSES + ", was " + classes);
        }
        Objects.requireNonNull(pixels, "pixels");
        Objects.requireNonNull(labels, "labels");
        long expected = (long) count * channels * height * width;
        if (pixels.length != expected) {
            throw new IllegalArgumentException("pixels has " + pixels.length + " bytes, expected "
                    + count + "x" + channels + "x" + height + "x" + width + " = " + expected);
        }
        if (labels.length != count) {
            throw new IllegalArgumentException(
                    "labels has " + labels.length + " entries, expected one per image: " + count);
        }
        int bad = firstLabelNotBelow(labels, classes);
        if (bad >= 0) {
            throw new IllegalArgumentException("label " + Byte.toUnsignedInt(labels[bad])
                    + " at index " + bad + " is not below classes=" + classes);
        }
    }

    /** Index of the first label {@code >= classes}, or -1; shared with the loaders so their errors name the file. */
    static int firstLabelNotBelow(byte[] labels, int classes) {
        for (int i = 0; i < labels.length; i++) {
            if (Byte.toUnsignedInt(labels[i]) >= classes) {
                return i;
            }
        }
        return -1;
    }

    private static void requirePositive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }

    /** Bytes per image: channels × height × width. */
    public int imageBytes() {
        return channels * height * width;
    }

    /** The class of image {@code i}, in {@code [0, classes)}. */
    public int label(int i) {
        return Byte.toUnsignedInt(labels[Objects.checkIndex(i, count)]);
    }

    /** The unsigned value in {@code [0, 255]} of image {@code i}, channel {@code c}, row {@code y}, column {@code x}. */
    public int pixel(int i, int c, int y, int x) {
        Objects.checkIndex(i, count);
        Objects.checkIndex(c, channels);
        Objects.checkIndex(y, height);
        Objects.checkIndex(x, width);
        return Byte.toUnsignedInt(pixels[((i * channels + c) * height + y) * width + x]);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof HostImages o
                && count == o.count
                && channels == o.channels
                && height == o.height
                && width == o.width
                && classes == o.classes
                && Arrays.equals(labels, o.labels)
                && Arrays.equals(pixels, o.pixels);
    }

    @Override
    public int hashCode() {
        int h = Objects.hash(count, channels, height, width, classes);
        h = 31 * h + Arrays.hashCode(labels);
        return 31 * h + Arrays.hashCode(pixels);
    }

    /** Shape only: printing megabytes of pixels into a log or an assertion message helps nobody. */
    @Override
    public String toString() {
        return "HostImages[count=" + count + ", channels=" + channels + ", height=" + height
                + ", width=" + width + ", classes=" + classes + "]";
    }
}
