package org.trickbench.algorithms;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.trickbench.core.data.DataPreparation;
import org.trickbench.core.data.HostImages;
import org.trickbench.core.data.PreparedData;
import org.trickbench.core.data.RawDataset;
import org.trickbench.core.run.AlgorithmSetting;
import org.trickbench.core.run.RunSpec;
import org.trickbench.core.search.SearchContext;
import org.trickbench.core.seed.Seeds;
import org.trickbench.core.train.Fidelity;
import org.trickbench.core.train.Protocol;
import org.trickbench.core.train.TrainingHook;

/** Tiny search problems: 8×8 one-channel images, two classes (bright top or bright bottom half). */
final class SupernetFixtures {
    /** C=4, N=1, two epochs over 32 images: 16 train / 16 validation, batch 8, so 2 steps an epoch. */
    static final Fidelity TINY = new Fidelity(4, 1, 2, 0, 0);
    /** The benchmark's protocol with a 1-px crop padding, which suits 8-px images. */
    static final Protocol PROTOCOL = new Protocol(0.1, 0, 0.9, true, 5e-4, 256, 200, "cosine", 1, true, 0);

    private SupernetFixtures() {}

    static RawDataset topBottom(int count, int side) {
        return new RawDataset("synthetic", images(count, side, 1), images(8, side, 2), List.of("top", "bottom"));
    }

    private static HostImages images(int count, int side, long seed) {
        Random random = new Random(seed);
        byte[] pixels = new byte[count * side * side];
        byte[] labels = new byte[count];
        for (int i = 0; i < count; i++) {
            int label = i % 2;
            labels[i] = (byte) label;
            for (int y = 0; y < side; y++) {
                for (int x = 0; x < side; x++) {
                    boolean bright = (y < side / 2) == (label == 0);
                    pixels[i * side * side + y * side + x] = (byte) ((bright ? 180 : 40) + random.nextInt(60));
                }
            }
        }
        return new HostImages(count, 1, side, side, pixels, labels, 2);
    }

    static PreparedData searchData(NDManager manager, Fidelity fidelity, long seed) {
        return DataPreparation.prepare(topBottom(32, 8), fidelity, new Seeds(seed), DataPreparation.Purpose.SEARCH,
                manager, Device.cpu());
    }

    static RunSpec spec(String algorithm, Map<String, Object> params, Fidelity fidelity, long seed) {
        return new RunSpec("synthetic", "nb201", new AlgorithmSetting(algorithm, params), List.of(), fidelity,
                fidelity, PROTOCOL, seed);
    }

    static SearchContext context(RunSpec spec, PreparedData data, List<TrainingHook> hooks) {
        return new SearchContext(spec, new Seeds(spec.seed()), null, () -> data, hooks);
    }

    /** {@link #TINY}'s search data on a manager of its own, prepared before a test class and closed after it. */
    static final class TinyData implements BeforeAllCallback, AfterAllCallback {
        private NDManager manager;
        private PreparedData data;

        @Override
        public void beforeAll(ExtensionContext context) {
            manager = NDManager.newBaseManager();
            data = searchData(manager, TINY, 1);
        }

        @Override
        public void afterAll(ExtensionContext context) {
            manager.close();
        }

        PreparedData data() {
            return data;
        }
    }

    /** Batch 8 so that 16 training images make two steps. */
    static Map<String, Object> smallBatch() {
        return Map.of("batch-size", 8);
    }
}
