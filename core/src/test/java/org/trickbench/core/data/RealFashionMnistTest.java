package org.trickbench.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Loads the real Fashion-MNIST from Debian's {@code dataset-fashion-mnist} package, which the
 * build machines and CI install, found through the locator's default with an empty environment.
 * There is deliberately no skip: a missing package must fail the build, not hide this check.
 */
class RealFashionMnistTest {
    private static RawDataset data;

    @BeforeAll
    static void load() {
        data = DataSets.load("fashion-mnist", null, Map.of());
    }

    @Test
    void isFoundInTheDebianPackageDirectory() {
        assertEquals(DataLocator.DEBIAN_DIR, DataLocator.locateFashionMnist(null, Map.of()));
    }

    @Test
    void hasThePublishedSplitsAndShape() {
        for (HostImages split : new HostImages[] {data.train(), data.test()}) {
            assertEquals(1, split.channels());
            assertEquals(28, split.height());
            assertEquals(28, split.width());
            assertEquals(10, split.classes());
        }
        assertEquals(60000, data.train().count());
        assertEquals(10000, data.test().count());
        assertEquals(FashionMnist.CLASS_NAMES, data.classNames());
    }

    @Test
    void isBalancedAsPublished() {
        // Xiao et al. 2017 (arXiv:1708.07747), table 1: 6000 train and 1000 test images per class.
        assertArrayEquals(filled(6000), labelCounts(data.train()));
        assertArrayEquals(filled(1000), labelCounts(data.test()));
    }

    @Test
    void firstLabelsAndPixelsMatchAnIndependentDecoder() {
        // Expected values were decoded from the same files with Python's gzip and struct modules.
        assertArrayEquals(new int[] {9, 0, 0, 3, 0, 2, 7, 2, 5, 5}, firstLabels(data.train()));
        assertArrayEquals(new int[] {9, 2, 1, 1, 6, 1, 4, 6, 5, 7}, firstLabels(data.test()));
        assertEquals(193, data.train().pixel(0, 0, 10, 13));
        assertEquals(202, data.train().pixel(0, 0, 10, 26));
        int sum = 0;
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                sum += data.train().pixel(0, 0, y, x);
            }
        }
        assertEquals(76247, sum);
    }

    private static int[] filled(int value) {
        int[] counts = new int[10];
        Arrays.fill(counts, value);
        return counts;
    }

    private static int[] labelCounts(HostImages split) {
        int[] counts = new int[split.classes()];
        for (int i = 0; i < split.count(); i++) {
            counts[split.label(i)]++;
        }
        return counts;
    }

    private static int[] firstLabels(HostImages split) {
        int[] labels = new int[10];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = split.label(i);
        }
        return labels;
    }
}
