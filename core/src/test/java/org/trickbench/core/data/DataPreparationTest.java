package org.trickbench.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.trickbench.core.seed.Seeds;
import org.trickbench.core.train.Fidelity;

class DataPreparationTest {
    private static RawDataset ramp(int train, int test) {
        return new RawDataset("ramp", images(train), images(test), List.of("even", "odd"));
    }

    /** Image i is filled with the value i (mod 256) and labelled i mod 2, so indices can be read back. */
    private static HostImages images(int n) {
        byte[] px = new byte[n * 8 * 8];
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            java.util.Arrays.fill(px, i * 64, (i + 1) * 64, (byte) i);
            labels[i] = (byte) (i % 2);
        }
        return new HostImages(n, 1, 8, 8, px, labels, 2);
    }

    @Test
    void searchHalvesAreDisjointCoverThePoolAndDependOnlyOnTheSeed() {
        int[] pool = new int[101];
        java.util.Arrays.setAll(pool, i -> i * 2);
        int[][] a = DataPreparation.halves(pool, new Seeds(4).forPurpose("search-split"));
        int[][] b = DataPreparation.halves(pool, new Seeds(4).forPurpose("search-split"));
        int[][] c = DataPreparation.halves(pool, new Seeds(5).forPurpose("search-split"));
        assertEquals(51, a[0].length);
        assertEquals(50, a[1].length);
        Set<Integer> all = new HashSet<>();
        for (int[] half : a) {
            for (int v : half) {
                assertTrue(all.add(v), "index in both halves: " + v);
            }
        }
        assertEquals(101, all.size());
        assertArrayEquals(a[0], b[0]);
        assertFalse(java.util.Arrays.equals(a[0], c[0]));
    }

    @Test
    void subsetIsSeededSortedAndOfTheRequestedSize() {
        int[] s = DataPreparation.subset(1000, 100, new SplittableRandom(1));
        assertEquals(100, s.length);
        for (int i = 1; i < s.length; i++) {
            assertTrue(s[i] > s[i - 1]);
        }
        assertEquals(1000, DataPreparation.subset(1000, 0, new SplittableRandom(1)).length);
    }

    @Test
    void finalPurposeTrainsOnTheSubsetAndEvaluatesOnTheWholeTestSplit() {
        try (NDManager m = NDManager.newBaseManager()) {
            PreparedData d = DataPreparation.prepare(ramp(40, 10), new Fidelity(4, 1, 1, 20, 4), new Seeds(1),
                    DataPreparation.Purpose.FINAL, m, Device.cpu());
            assertEquals(new Shape(20, 1, 4, 4), d.train().images().getShape());
            assertEquals(10, d.eval().count());
            assertEquals("test", d.evalName());
            // Constant images stay constant through the area resize: pixel value / 255 = original index.
            float[] first = d.eval().images().get(3).toFloatArray();
            for (float v : first) {
                assertEquals(3 / 255f, v, 1e-6f);
            }
            assertEquals(1L, d.eval().labels().getLong(3));
            assertTrue(d.splitDescription().contains("20 training images"));
        }
    }

    @Test
    void searchPurposeValidatesOnTheHeldOutHalfOfTrainNeverOnTest() {
        try (NDManager m = NDManager.newBaseManager()) {
            PreparedData d = DataPreparation.prepare(ramp(40, 10), new Fidelity(4, 1, 1, 0, 0), new Seeds(2),
                    DataPreparation.Purpose.SEARCH, m, Device.cpu());
            assertEquals(20, d.train().count());
            assertEquals(20, d.eval().count());
            assertEquals("valid", d.evalName());
            Set<Integer> seen = new HashSet<>();
            for (DeviceSplit split : List.of(d.train(), d.eval())) {
                for (int i = 0; i < split.count(); i++) {
                    int index = Math.round(split.images().get(i).getFloat(0, 0, 0) * 255);
                    assertTrue(seen.add(index), "image " + index + " in both halves");
                }
            }
            assertEquals(40, seen.size());
        }
    }
}
