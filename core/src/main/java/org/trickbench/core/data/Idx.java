package org.trickbench.core.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.trickbench.core.UserInputException;

/**
 * Reads gzipped IDX files, the format MNIST and Fashion-MNIST ship in (LeCun et al., "The MNIST
 * database of handwritten digits", http://yann.lecun.com/exdb/mnist/; Xiao et al. 2017,
 * arXiv:1708.07747). An IDX file is a big-endian int32 magic number {@code 0x0000TTDD} (TT the
 * element type, 0x08 for unsigned byte; DD the number of dimensions), one big-endian int32 per
 * dimension, then the elements in row-major order.
 *
 * <p>Every deviation is a {@link DataFormatException} naming the file: a half-downloaded or
 * swapped file must stop the run before training, not train on garbage.
 */
public final class Idx {
    /** Unsigned bytes, three dimensions: count, rows, columns. */
    public static final int IMAGES_MAGIC = 0x00000803;
    /** Unsigned bytes, one dimension: count. */
    public static final int LABELS_MAGIC = 0x00000801;
    /** No real image set is larger; a bigger side means a corrupt header. */
    public static final int MAX_SIDE = 4096;

    /** The largest array the JVM reliably allocates (ArraysSupport.SOFT_MAX_ARRAY_LENGTH). */
    private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;
    /**
     * The body is read into a buffer that doubles up to the declared size, so a corrupt header
     * that declares gigabytes fails as "truncated" instead of first allocating them.
     */
    private static final int FIRST_CHUNK = 16 << 20;
    private static final int IO_BUFFER = 1 << 16;

    private Idx() {}

    /**
     * Reads a gzipped IDX image file ({@code 0x00000803}) and its gzipped label file
     * ({@code 0x00000801}) into one channel of {@code rows × cols} images.
     *
     * @param classes labels must be below this; at most {@link HostImages#MAX_CLASSES}
     * @throws DataFormatException if either file is not gzip, has the wrong magic number, is
     *     truncated, has bytes after the declared data, disagrees with the other on the count, or
     *     holds a label {@code >= classes}
     * @throws UserInputException if a file is missing or cannot be read
     */
    public static HostImages readGzipped(Path images, Path labels, int classes) {
        if (classes < 1 || classes > HostImages.MAX_CLASSES) {
            throw new IllegalArgumentException(
                    "classes must be between 1 and " + HostImages.MAX_CLASSES + ", was " + classes);
        }
        try (InputStream imageIn = openGzip(images);
                InputStream labelIn = openGzip(labels)) {
            ByteBuffer imageHeader = readHeader(imageIn, images, IMAGES_MAGIC, "images", 3);
            int count = imageHeader.getInt();
            int rows = imageHeader.getInt();
            int cols = imageHeader.getInt();
            if (count < 1) {
                throw new DataFormatException(images, "header says " + count + " images; expected at least 1");
            }
            requireSide(images, "rows", rows);
            requireSide(images, "columns", cols);

            int labelCount = readHeader(labelIn, labels, LABELS_MAGIC, "labels", 1).getInt();
            // Checked before the bodies are read: a mismatched pair fails at once, and the message
            // names both files because either one may be the wrong one.
            if (labelCount != count) {
                throw new DataFormatException(images, "header says " + count + " images but "
                        + labels + " says " + labelCount + " labels; the two files must come from the same set");
            }

            long pixelBytes = (long) count * rows * cols;
            String declared = "header says " + count + " images of " + rows + "x" + cols
                    + " (" + pixelBytes + " bytes)";
            if (pixelBytes > MAX_ARRAY) {
                throw new DataFormatException(images, declared + ", more than one array can hold");
            }
            byte[] pixels = readBody(imageIn, images, (int) pixelBytes, declared, "pixel");
            byte[] labelBytes = readBody(labelIn, labels, count,
                    "header says " + count + " labels (" + count + " bytes)", "label");

            int bad = HostImages.firstLabelNotBelow(labelBytes, classes);
            if (bad >= 0) {
                throw new DataFormatException(labels, "label " + Byte.toUnsignedInt(labelBytes[bad])
                        + " at index " + bad + " is not below the " + classes + " classes");
            }
            return new HostImages(count, 1, rows, cols, pixels, labelBytes, classes);
        } catch (IOException e) {
            // Only close() can land here; every read maps its own exception to its file.
            throw new UserInputException("cannot close " + images + " or " + labels + ": " + e, e);
        }
    }

    private static InputStream openGzip(Path file) {
        InputStream raw;
        try {
            raw = Files.newInputStream(file);
        } catch (IOException e) {
            throw failure(file, e);
        }
        try {
            return new GZIPInputStream(new BufferedInputStream(raw, IO_BUFFER), IO_BUFFER);
        } catch (IOException e) {
            closeQuietly(raw, e);
            if (e instanceof EOFException) {
                throw new DataFormatException(file, "not a valid gzip file: too short for a gzip header", e);
            }
            throw failure(file, e);
        }
    }

    private static ByteBuffer readHeader(InputStream in, Path file, int magic, String kind, int dims) {
        byte[] raw = new byte[4 * (1 + dims)];
        int got = read(in, file, raw, 0, raw.length);
        ByteBuffer header = ByteBuffer.wrap(raw); // big-endian, as IDX is
        if (got >= 4) {
            int found = header.getInt();
            if (found != magic) {
                throw new DataFormatException(file, String.format(
                        "magic number 0x%08X expected for %s, found 0x%08X%s", magic, kind, found, swapHint(magic, found)));
            }
        }
        if (got < raw.length) {
            throw new DataFormatException(file, "truncated header: an IDX " + kind + " header has "
                    + raw.length + " bytes, file has " + got);
        }
        return header;
    }

    private static String swapHint(int expected, int found) {
        if (expected == IMAGES_MAGIC && found == LABELS_MAGIC) {
            return " (a label file; are the image and label files swapped?)";
        }
        if (expected == LABELS_MAGIC && found == IMAGES_MAGIC) {
            return " (an image file; are the image and label files swapped?)";
        }
        return "";
    }

    private static void requireSide(Path file, String name, int value) {
        if (value < 1 || value > MAX_SIDE) {
            throw new DataFormatException(file,
                    "header says " + value + " " + name + "; expected 1 to " + MAX_SIDE);
        }
    }

    /** Reads exactly {@code size} bytes and then requires the stream to be at its end. */
    private static byte[] readBody(InputStream in, Path file, int size, String declared, String noun) {
        byte[] body = new byte[Math.min(size, FIRST_CHUNK)];
        int filled = 0;
        while (true) {
            filled += read(in, file, body, filled, body.length - filled);
            if (filled < body.length) {
                throw new DataFormatException(file, "truncated: " + declared + ", file has "
                        + filled + " bytes of " + noun + " data");
            }
            if (filled == size) {
                break;
            }
            body = Arrays.copyOf(body, (int) Math.min(size, 2L * body.length));
        }
        long trailing;
        try {
            trailing = in.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw failure(file, e);
        }
        if (trailing > 0) {
            throw new DataFormatException(file, declared + ", but " + trailing
                    + " more bytes follow; the file is not the one its header describes");
        }
        return body;
    }

    /** {@link InputStream#readNBytes(byte[], int, int)}: a short count means the data ended. */
    private static int read(InputStream in, Path file, byte[] into, int offset, int length) {
        try {
            return in.readNBytes(into, offset, length);
        } catch (IOException e) {
            throw failure(file, e);
        }
    }

    private static UserInputException failure(Path file, IOException e) {
        if (e instanceof ZipException) {
            return new DataFormatException(file, "not a valid gzip file (" + e.getMessage() + ")", e);
        }
        if (e instanceof EOFException) {
            // The inflater ran out of compressed input mid-stream: a cut-off download.
            return new DataFormatException(file, "gzip data ends early; the compressed file is truncated", e);
        }
        return DataFiles.unreadable(file, e);
    }

    private static void closeQuietly(InputStream in, IOException primary) {
        try {
            in.close();
        } catch (IOException e) {
            primary.addSuppressed(e);
        }
    }
}
