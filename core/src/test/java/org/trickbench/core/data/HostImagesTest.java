package org.trickbench.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HostImagesTest {

    /** Two images of 3 channels by 2 rows by 2 columns whose bytes are their own flat index. */
    private static HostImages indexed() {
        return new HostImages(2, 3, 2, 2, DataFixtures.ramp(24, 0), new byte[] {1, 4}, 5);
    }

    @Test
    void pixelIndexesImageThenChannelThenRowThenColumn() {
        HostImages images = indexed();

        assertEquals(0, images.pixel(0, 0, 0, 0));
        assertEquals(1, images.pixel(0, 0, 0, 1));
        assertEquals(2, images.pixel(0, 0, 1, 0));
        assertEquals(4, images.pixel(0, 1, 0, 0));
        assertEquals(12, images.pixel(1, 0, 0, 0));
        assertEquals(((1 * 3 + 2) * 2 + 1) * 2, images.pixel(1, 2, 1, 0));
        assertEquals(12, images.imageBytes());
    }

    @Test
    void pixelsAndLabelsReadAsUnsigned() {
        HostImages images = new HostImages(1, 1, 1, 2, new byte[] {(byte) 0xFF, (byte) 0x80}, new byte[] {(byte) 200}, 256);

        assertEquals(255, images.pixel(0, 0, 0, 0));
        assertEquals(128, images.pixel(0, 0, 0, 1));
        assertEquals(200, images.label(0));
    }

    @Test
    void pixelRejectsAnOutOfRangeCoordinateInsteadOfReadingTheNextRow() {
        HostImages images = indexed();

        assertThrows(IndexOutOfBoundsException.class, () -> images.pixel(0, 0, 0, 2));
        assertThrows(IndexOutOfBoundsException.class, () -> images.pixel(0, 0, 2, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> images.pixel(0, 3, 0, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> images.pixel(2, 0, 0, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> images.label(-1));
    }

    @Test
    void rejectsNonPositiveDimensions() {
        assertThrows(IllegalArgumentException.class, () -> new HostImages(0, 1, 1, 1, new byte[0], new byte[0], 1));
        assertThrows(IllegalArgumentException.class, () -> new HostImages(1, 0, 1, 1, new byte[0], new byte[1], 1));
        assertThrows(IllegalArgumentException.class, () -> new HostImages(1, 1, -1, 1, new byte[0], new byte[1], 1));
        assertThrows(IllegalArgumentException.class, () -> new HostImages(1, 1, 1, 0, new byte[0], new byte[1], 1));
        assertThrows(IllegalArgumentException.class, () -> new HostImages(1, 1, 1, 1, new byte[1], new byte[1], 0));
        assertThrows(IllegalArgumentException.class, () -> new HostImages(1, 1, 1, 1, new byte[1], new byte[1], 257));
    }

    @Test
    void rejectsPixelCountThatDoesNotMatchTheShape() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new HostImages(2, 3, 2, 2, new byte[23], new byte[2], 5));

        assertTrue(e.getMessage().contains("23 bytes, expected 2x3x2x2 = 24"), e.getMessage());
    }

    @Test
    void rejectsLabelCountThatDoesNotMatchTheImageCount() {
        assertThrows(IllegalArgumentException.class, () -> new HostImages(2, 3, 2, 2, new byte[24], new byte[3], 5));
    }

    @Test
    void rejectsLabelNotBelowClassesNamingTheFirstBadIndex() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new HostImages(3, 1, 1, 1, new byte[3], new byte[] {4, 5, 6}, 5));

        assertEquals("label 5 at index 1 is not below classes=5", e.getMessage());
    }

    @Test
    void equalsAndHashCodeCompareArrayContents() {
        HostImages a = indexed();
        HostImages b = indexed();
        byte[] otherPixels = DataFixtures.ramp(24, 0);
        otherPixels[23] = 0;

        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(a, new HostImages(2, 3, 2, 2, otherPixels, new byte[] {1, 4}, 5));
        assertNotEquals(a, new HostImages(2, 3, 2, 2, DataFixtures.ramp(24, 0), new byte[] {1, 3}, 5));
        assertNotEquals(a, new HostImages(2, 3, 2, 2, DataFixtures.ramp(24, 0), new byte[] {1, 4}, 6));
    }

    @Test
    void toStringShowsTheShapeButNotTheBytes() {
        String text = indexed().toString();

        assertEquals("HostImages[count=2, channels=3, height=2, width=2, classes=5]", text);
        assertFalse(text.contains("[B@"));
    }
}
