package org.trickbench.core.data;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.trickbench.core.seed.Seeds;
import org.trickbench.core.train.Fidelity;

/**
 * Moves a data set onto the training device once, at the fidelity's subset size and resolution.
 * Selection of images happens here on the host, once per run; afterwards every batch is a device-side
 * gather from the resident tensors.
 */
public final class DataPreparation {
    private DataPreparation() {}

    /** What a training evaluates on. */
    public enum Purpose {
        /** Train on the (subset of the) training split, evaluate on the published test split. */
        FINAL,
        /** Split the (subset of the) training split in two seeded halves: train and validation. */
        SEARCH
    }

    public static PreparedData prepare(RawDataset raw, Fidelity fidelity, Seeds seeds, Purpose purpose,
            NDManager manager, Device device) {
        HostImages train = raw.train();
        int side = fidelity.resolution() == 0 ? train.height() : fidelity.resolution();
        int[] pool = subset(train.count(), fidelity.trainSubset(), seeds.forPurpose("train-subset"));
        String description;
        int[] trainIdx;
        int[] evalIdx = null;
        if (purpose == Purpose.SEARCH) {
            int[][] halves = halves(pool, seeds.forPurpose("search-split"));
            trainIdx = halves[0];
            evalIdx = halves[1];
            description = "search: seeded half of " + pool.length + " training images (" + trainIdx.length
                    + " train / " + evalIdx.length + " validation, seed " + seeds.seed() + ")";
        } else {
            trainIdx = pool;
            description = "final: " + pool.length + " training images"
                    + (pool.length < train.count() ? " (seeded subset, seed " + seeds.seed() + ")" : "")
                    + ", test split of " + raw.test().count();
        }
        DeviceSplit trainSplit = toDevice(train, trainIdx, side, manager, device);
        DeviceSplit evalSplit = purpose == Purpose.SEARCH
                ? toDevice(train, evalIdx, side, manager, device)
                : toDevice(raw.test(), allIndices(raw.test().count()), side, manager, device);
        double[][] stats = channelStats(train, trainIdx);
        NDArray mean = manager.create(toFloats(stats[0]), new Shape(train.channels(), 1, 1)).toDevice(device, false);
        NDArray std = manager.create(toFloats(stats[1]), new Shape(train.channels(), 1, 1)).toDevice(device, false);
        return new PreparedData(raw.id(), trainSplit, evalSplit, purpose == Purpose.SEARCH ? "valid" : "test",
                mean, std, train.height(), description);
    }

    /** A seeded subset of {@code size} indices (all when size is 0 or at least n), in ascending order. */
    static int[] subset(int n, int size, SplittableRandom random) {
        if (size == 0 || size >= n) {
            return allIndices(n);
        }
        int[] perm = permutation(n, random);
        int[] chosen = Arrays.copyOf(perm, size);
        Arrays.sort(chosen);
        return chosen;
    }

    /** A seeded split of the pool in two halves (the first gets the extra one when odd). */
    static int[][] halves(int[] pool, SplittableRandom random) {
        int[] perm = permutation(pool.length, random);
        int half = (pool.length + 1) / 2;
        int[] a = new int[half];
        int[] b = new int[pool.length - half];
        for (int i = 0; i < pool.length; i++) {
            if (i < half) {
                a[i] = pool[perm[i]];
            } else {
                b[i - half] = pool[perm[i]];
            }
        }
        Arrays.sort(a);
        Arrays.sort(b);
        return new int[][] {a, b};
    }

    /** Fisher–Yates over 0..n-1. */
    public static int[] permutation(int n, SplittableRandom random) {
        int[] p = allIndices(n);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    private static int[] allIndices(int n) {
        int[] all = new int[n];
        Arrays.setAll(all, i -> i);
        return all;
    }

    private static DeviceSplit toDevice(HostImages images, int[] indices, int side, NDManager manager, Device device) {
        int per = images.channels() * images.height() * images.width();
        ByteBuffer pixels = ByteBuffer.allocateDirect(indices.length * per);
        long[] labels = new long[indices.length];
        for (int k = 0; k < indices.length; k++) {
            pixels.put(images.pixels(), indices[k] * per, per);
            labels[k] = images.label(indices[k]);
        }
        pixels.flip();
        NDArray raw = manager.create(pixels, new Shape(indices.length, images.channels(), images.height(),
                images.width()), DataType.UINT8);
        NDArray onDevice = raw.toDevice(device, false).toType(DataType.FLOAT32, false).div(255f);
        NDArray resized = Resize.area(onDevice, side);
        NDArray labelArray = manager.create(labels).toDevice(device, false);
        return new DeviceSplit(resized, labelArray, images.classes());
    }

    /** Per-channel mean and standard deviation of the chosen images' pixels, scaled to [0, 1]. */
    static double[][] channelStats(HostImages images, int[] indices) {
        int c = images.channels();
        int plane = images.height() * images.width();
        double[] sum = new double[c];
        double[] sumSq = new double[c];
        byte[] px = images.pixels();
        for (int index : indices) {
            int base = index * c * plane;
            for (int ch = 0; ch < c; ch++) {
                int start = base + ch * plane;
                for (int i = start; i < start + plane; i++) {
                    double v = (px[i] & 0xff) / 255.0;
                    sum[ch] += v;
                    sumSq[ch] += v * v;
                }
            }
        }
        double n = (double) indices.length * plane;
        double[] mean = new double[c];
        double[] std = new double[c];
        for (int ch = 0; ch < c; ch++) {
            mean[ch] = sum[ch] / n;
            std[ch] = Math.sqrt(Math.max(sumSq[ch] / n - mean[ch] * mean[ch], 1e-12));
        }
        return new double[][] {mean, std};
    }

    private static float[] toFloats(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }
}
