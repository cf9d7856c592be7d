package org.trickbench.core.train;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.Random;
import org.trickbench.core.data.DataPreparation;
import org.trickbench.core.data.HostImages;
import org.trickbench.core.data.PreparedData;
import org.trickbench.core.data.RawDataset;
import org.trickbench.core.seed.Seeds;

/** A tiny learnable data set: class 0 is bright in the top half, class 1 in the bottom half, plus noise (a horizontal flip keeps the label). */
public final class SyntheticData {
    private SyntheticData() {}

    public static RawDataset topBottom(int trainCount, int testCount, int side) {
        return new RawDataset("synthetic", images(trainCount, side, 1), images(testCount, side, 2), List.of("top", "bottom"));
    }

    public static HostImages images(int count, int side, long seed) {
        Random random = new Random(seed);
        byte[] pixels = new byte[count * side * side];
        byte[] labels = new byte[count];
        for (int i = 0; i < count; i++) {
            int label = i % 2;
            labels[i] = (byte) label;
            for (int y = 0; y < side; y++) {
                for (int x = 0; x < side; x++) {
                    boolean bright = (y < side / 2) == (label == 0);
                    int v = (bright ? 180 : 40) + random.nextInt(60);
                    pixels[i * side * side + y * side + x] = (byte) v;
                }
            }
        }
        return new HostImages(count, 1, side, side, pixels, labels, 2);
    }

    public static PreparedData prepare(RawDataset raw, NDManager manager, long seed) {
        return DataPreparation.prepare(raw, new Fidelity(4, 1, 1, 0, 0), new Seeds(seed),
                DataPreparation.Purpose.FINAL, manager, Device.cpu());
    }
}
