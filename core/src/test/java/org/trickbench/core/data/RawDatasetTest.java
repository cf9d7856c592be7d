package org.trickbench.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RawDatasetTest {

    private static HostImages images(int channels, int side, int classes) {
        return new HostImages(1, channels, side, side, new byte[channels * side * side], new byte[1], classes);
    }

    @Test
    void keepsItsOwnCopyOfTheClassNames() {
        List<String> names = new ArrayList<>(List.of("a", "b"));
        RawDataset data = new RawDataset("toy", images(1, 2, 2), images(1, 2, 2), names);

        names.set(0, "changed");

        assertEquals(List.of("a", "b"), data.classNames());
    }

    @Test
    void rejectsTestImagesShapedDifferentlyFromTrain() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new RawDataset("toy", images(1, 2, 2), images(3, 2, 2), List.of("a", "b")));

        assertTrue(e.getMessage().contains("train images are 1x2x2 but test images are 3x2x2"), e.getMessage());
    }

    @Test
    void rejectsClassNameCountDifferentFromClasses() {
        assertThrows(IllegalArgumentException.class,
                () -> new RawDataset("toy", images(1, 2, 2), images(1, 2, 2), List.of("a", "b", "c")));
        assertThrows(IllegalArgumentException.class,
                () -> new RawDataset("toy", images(1, 2, 2), images(1, 2, 3), List.of("a", "b")));
    }

    @Test
    void rejectsBlankIdAndBlankClassNames() {
        assertThrows(IllegalArgumentException.class,
                () -> new RawDataset(" ", images(1, 2, 2), images(1, 2, 2), List.of("a", "b")));
        assertThrows(IllegalArgumentException.class,
                () -> new RawDataset("toy", images(1, 2, 2), images(1, 2, 2), List.of("a", "")));
    }
}
