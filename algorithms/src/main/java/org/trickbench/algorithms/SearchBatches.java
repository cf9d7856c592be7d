package org.trickbench.algorithms;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import java.util.SplittableRandom;
import org.trickbench.core.data.Augment;
import org.trickbench.core.data.DataPreparation;
import org.trickbench.core.data.DeviceSplit;
import org.trickbench.core.data.PreparedData;
import org.trickbench.core.seed.Seeds;
import org.trickbench.core.train.Batch;
import org.trickbench.core.train.Protocol;

/**
 * The batches of a supernet search, gathered on the device from the resident halves. Each step pairs a
 * training batch with a validation batch of the same size, as the benchmark's {@code SearchDataset}
 * pairs every training image with a validation image. Training batches walk a fresh permutation of the
 * training half each epoch; validation batches walk permutations of the validation half, starting a
 * new one when it runs out. Both get the protocol's crop and flip, as the benchmark's search loader
 * applies its training transform to both halves.
 */
final class SearchBatches {
    private final PreparedData data;
    private final Protocol protocol;
    private final int batchSize;
    private final int stepsPerEpoch;
    private final int padding;
    private final SplittableRandom trainOrder;
    private final SplittableRandom validOrder;
    private final Seeds seeds;
    private long augmentations;
    private NDArray trainIndices;
    private NDArray validIndices;

    SearchBatches(PreparedData data, Protocol protocol, Seeds seeds) {
        this.data = data;
        this.protocol = protocol;
        int n = data.train().count();
        if (n < 2 || data.eval().count() < 1) {
            throw new IllegalArgumentException("a supernet search needs at least two training and one validation image, got "
                    + n + " and " + data.eval().count());
        }
        this.batchSize = Math.min(protocol.batchSize(), n);
        int steps = (n + batchSize - 1) / batchSize;
        // A last batch of one image is dropped: BatchNorm cannot normalise a single sample in training.
        this.stepsPerEpoch = n % batchSize == 1 && steps > 1 ? steps - 1 : steps;
        this.padding = protocol.cropPaddingAt(data.nativeSide(), data.side());
        this.trainOrder = seeds.forPurpose("search-train-order");
        this.validOrder = seeds.forPurpose("search-valid-order");
        this.seeds = seeds;
    }

    int stepsPerEpoch() {
        return stepsPerEpoch;
    }

    /** Draws this epoch's orders; the index arrays belong to the caller's open scope. */
    void startEpoch(NDManager manager) {
        int n = data.train().count();
        trainIndices = toDevice(manager, DataPreparation.permutation(n, trainOrder));
        int nValid = data.eval().count();
        int needed = stepsPerEpoch * batchSize;
        long[] valid = new long[needed];
        int filled = 0;
        while (filled < needed) {
            int[] perm = DataPreparation.permutation(nValid, validOrder);
            for (int i = 0; i < perm.length && filled < needed; i++) {
                valid[filled++] = perm[i];
            }
        }
        validIndices = manager.create(valid).toDevice(data.train().images().getDevice(), false);
    }

    private NDArray toDevice(NDManager manager, int[] order) {
        long[] l = new long[order.length];
        for (int i = 0; i < order.length; i++) {
            l[i] = order[i];
        }
        return manager.create(l).toDevice(data.train().images().getDevice(), false);
    }

    Batch train(int step) {
        int n = data.train().count();
        int from = step * batchSize;
        int to = Math.min(n, from + batchSize);
        return batch(data.train(), trainIndices.get(new NDIndex("{}:{}", from, to)), protocol.labelSmoothing());
    }

    /** The validation batch paired with training step {@code step}, of the same size. */
    Batch valid(int step) {
        int n = data.train().count();
        int from = step * batchSize;
        int size = Math.min(n, from + batchSize) - from;
        return batch(data.eval(), validIndices.get(new NDIndex("{}:{}", from, from + size)), 0);
    }

    private Batch batch(DeviceSplit split, NDArray indices, double labelSmoothing) {
        NDArray raw = split.images().get(indices);
        NDArray images = data.normalize(seeds.onEngine("search-crop-flip#" + augmentations++,
                () -> Augment.cropAndFlip(raw, padding, protocol.horizontalFlip())));
        NDArray labels = split.labels().get(indices);
        NDArray targets = labels.oneHot(split.classes(), images.getDataType());
        if (labelSmoothing > 0) {
            targets = targets.mul(1 - labelSmoothing).add(labelSmoothing / split.classes());
        }
        return new Batch(images, targets, labels);
    }
}
