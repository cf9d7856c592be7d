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

    /**
     * CIFAR pixels whose value tells where they are: channel c, row y, column x holds
     * {@code c*80 + y + x}, so red is 0..62, green 80..142, blue 160..222; the top-left red pixel
     * instead holds {@code marker}, telling records apart.
     */
    static byte[] cifarPixels(int marker) {
        byte[] pixels = new byte[Cifar.IMAGE_BYTES];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < 32; y++) {
                for (int x = 0; x < 32; x++) {
                    pixels[c * 1024 + y * 32 + x] = (byte) (c * 80 + y + x);
                }
            }
        }
        pixels[0] = (byte) marker;
        return pixels;
    }

    /** One CIFAR record: the label bytes (one for CIFAR-10; coarse then fine for CIFAR-100), then the pixels. */
    static byte[] cifarRecord(byte[] pixels, int... labelBytes) {
        byte[] record = new byte[labelBytes.length + pixels.length];
        for (int i = 0; i < labelBytes.length; i++) {
            record[i] = (byte) labelBytes[i];
        }
        System.arraycopy(pixels, 0, record, labelBytes.length, pixels.length);
        return record;
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /**
     * A CIFAR-10 directory whose five train batches hold two records each and whose test batch
     * holds one. Train image k (0..9, in batch order) has label k and marker k; the test image
     * has label 3 and marker 200.
     */
    static Path writeCifar10(Path dir) {
        for (int b = 0; b < 5; b++) {
            int k = 2 * b;
            write(dir.resolve(Cifar.CIFAR10_TRAIN_FILES.get(b)),
                    concat(cifarRecord(cifarPixels(k), k), cifarRecord(cifarPixels(k + 1), k + 1)));
        }
        write(dir.resolve(Cifar.CIFAR10_TEST_FILE), cifarRecord(cifarPixels(200), 3));
        return dir;
    }

    /**
     * A CIFAR-100 directory: train has two records (coarse 3 fine 42, coarse 19 fine 99), test one
     * (coarse 0 fine 7); no names file.
     */
    static Path writeCifar100(Path dir) {
        write(dir.resolve(Cifar.CIFAR100_TRAIN_FILE),
                concat(cifarRecord(cifarPixels(1), 3, 42), cifarRecord(cifarPixels(2), 19, 99)));
        write(dir.resolve(Cifar.CIFAR100_TEST_FILE), cifarRecord(cifarPixels(3), 0, 7));
        return dir;
    }

    /** Empty files with the given names: enough for {@link DataLocator}, which only checks presence. */
    static Path touch(Path dir, Iterable<String> names) {
        for (String name : names) {
            write(dir.resolve(name), new byte[0]);
        }
        return dir;
    }
}
