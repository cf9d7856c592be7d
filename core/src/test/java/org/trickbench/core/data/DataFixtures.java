package org.trickbench.core.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Writes tiny data files in the real on-disk formats, so the loaders are tested against bytes, not mocks. */
final class DataFixtures {
    private DataFixtures() {}

    /** The bytes of an IDX file: big-endian magic, one big-endian int32 per dimension, then {@code data}. */
    static byte[] idx(int magic, int[] dims, byte[] data) {
        ByteBuffer buffer = ByteBuffer.allocate(4 + 4 * dims.length + data.length);
        buffer.putInt(magic);
        for (int dim : dims) {
            buffer.putInt(dim);
        }
        return buffer.put(data).array();
    }

    static byte[] gzip(byte[] raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(raw);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static Path write(Path file, byte[] bytes) {
        try {
            Files.createDirectories(file.getParent());
            return Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A gzipped IDX file with any magic, dimensions and data, consistent or not. */
    static Path writeIdx(Path file, int magic, int[] dims, byte[] data) {
        return write(file, gzip(idx(magic, dims, data)));
    }

    static Path writeImages(Path file, int count, int rows, int cols, byte[] pixels) {
        return writeIdx(file, Idx.IMAGES_MAGIC, new int[] {count, rows, cols}, pixels);
    }

    static Path writeLabels(Path file, byte[] labels) {
        return writeIdx(file, Idx.LABELS_MAGIC, new int[] {labels.length}, labels);
    }

    /** {@code n} bytes {@code seed, seed+1, ...} wrapping at 256, so values above 127 occur. */
    static byte[] ramp(int n, int seed) {
        byte[] bytes = new byte[n];
        for (int i = 0; i < n; i++) {
            bytes[i] = (byte) (seed + i);
        }
        return bytes;
    }

    /** Labels {@code offset % 10, (offset+1) % 10, ...}. */
    static byte[] cyclicLabels(int n, int offset) {
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            labels[i] = (byte) ((offset + i) % 10);
        }
        return labels;
    }

    /** A Fashion-MNIST directory with {@code train} and {@code test} images of 3x2 pixels. */
    static Path writeFashionMnist(Path dir, int train, int test) {
        writeImages(dir.resolve(FashionMnist.TRAIN_IMAGES), train, 3, 2, ramp(train * 6, 0));
        writeLabels(dir.resolve(FashionMnist.TRAIN_LABELS), cyclicLabels(train, 0));
        writeImages(dir.resolve(FashionMnist.TEST_IMAGES), test, 3, 2, ramp(test * 6, 100));
        writeLabels(dir.resolve(FashionMnist.TEST_LABELS), cyclicLabels(test, 5));
        return dir;
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
