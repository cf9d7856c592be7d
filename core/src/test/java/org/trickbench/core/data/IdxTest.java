package org.trickbench.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.trickbench.core.data.DataFixtures.gzip;
import static org.trickbench.core.data.DataFixtures.idx;
import static org.trickbench.core.data.DataFixtures.ramp;
import static org.trickbench.core.data.DataFixtures.write;
import static org.trickbench.core.data.DataFixtures.writeIdx;
import static org.trickbench.core.data.DataFixtures.writeImages;
import static org.trickbench.core.data.DataFixtures.writeLabels;

import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trickbench.core.UserInputException;

class IdxTest {
    @TempDir
    Path dir;

    private Path images() {
        return dir.resolve("images-idx3-ubyte.gz");
    }

    private Path labels() {
        return dir.resolve("labels-idx1-ubyte.gz");
    }

    /** Three images of 2 rows by 4 columns; image i, row y, column x holds 100*i + 10*y + x. */
    private static byte[] positionalPixels() {
        byte[] pixels = new byte[3 * 2 * 4];
        for (int i = 0; i < 3; i++) {
            for (int y = 0; y < 2; y++) {
                for (int x = 0; x < 4; x++) {
                    pixels[i * 8 + y * 4 + x] = (byte) (100 * i + 10 * y + x);
                }
            }
        }
        return pixels;
    }

    private HostImages readValid() {
        return Idx.readGzipped(images(), labels(), 10);
    }

    private DataFormatException assertFormatError(Path file, String problem) {
        DataFormatException e = assertThrows(DataFormatException.class, this::readValid);
        assertEquals(file, e.file(), e.getMessage());
        assertTrue(e.getMessage().startsWith(file.toString() + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(problem), () -> "expected '" + problem + "' in: " + e.getMessage());
        return e;
    }

    @Test
    void readsImagesRowByRowAndLabelsInFileOrder() {
        writeImages(images(), 3, 2, 4, positionalPixels());
        writeLabels(labels(), new byte[] {7, 0, 9});

        HostImages read = readValid();

        assertEquals(3, read.count());
        assertEquals(1, read.channels());
        assertEquals(2, read.height());
        assertEquals(4, read.width());
        assertEquals(10, read.classes());
        assertArrayEquals(positionalPixels(), read.pixels());
        assertEquals(213, read.pixel(2, 0, 1, 3), "unsigned, and rows are not swapped with columns");
        assertEquals(12, read.pixel(0, 0, 1, 2));
        assertEquals(103, read.pixel(1, 0, 0, 3));
        assertEquals(7, read.label(0));
        assertEquals(0, read.label(1));
        assertEquals(9, read.label(2));
    }

    @Test
    void readsMoreThanTheFirstBufferChunkIntact() {
        // 24 MB: beyond the 16 MB first chunk, so the buffer must grow without losing bytes.
        int count = 6000;
        byte[] pixels = ramp(count * 64 * 64, 17);
        byte[] labelBytes = DataFixtures.cyclicLabels(count, 0);
        writeImages(images(), count, 64, 64, pixels);
        writeLabels(labels(), labelBytes);

        HostImages read = readValid();

        assertTrue(Arrays.equals(pixels, read.pixels()));
        assertArrayEquals(labelBytes, read.labels());
    }

    @Test
    void rejectsWrongImageMagicNamingBothNumbers() {
        writeIdx(images(), Idx.LABELS_MAGIC, new int[] {3, 2, 4}, positionalPixels());
        writeLabels(labels(), new byte[] {7, 0, 9});

        DataFormatException e = assertFormatError(images(), "magic number 0x00000803 expected for images, found 0x00000801");
        assertTrue(e.getMessage().contains("swapped"), e.getMessage());
    }

    @Test
    void rejectsWrongLabelMagicNamingBothNumbers() {
        writeImages(images(), 3, 2, 4, positionalPixels());
        writeIdx(labels(), 0x00000901, new int[] {3}, new byte[] {7, 0, 9});

        assertFormatError(labels(), "magic number 0x00000801 expected for labels, found 0x00000901");
    }

    @Test
    void rejectsTruncatedPixelsSayingDeclaredAndActualSize() {
        writeImages(images(), 3, 2, 4, Arrays.copyOf(positionalPixels(), 20));
        writeLabels(labels(), new byte[] {7, 0, 9});

        assertFormatError(images(),
                "truncated: header says 3 images of 2x4 (24 bytes), file has 20 bytes of pixel data");
    }

    @Test
    void rejectsTruncatedLabels() {
        writeImages(images(), 3, 2, 4, positionalPixels());
        writeIdx(labels(), Idx.LABELS_MAGIC, new int[] {3}, new byte[] {7, 0});

        assertFormatError(labels(), "truncated: header says 3 labels (3 bytes), file has 2 bytes of label data");
    }

    @Test
    void rejectsTruncatedHeader() {
        // Magic and count only: the rows and columns are missing.
        writeIdx(images(), Idx.IMAGES_MAGIC, new int[] {3}, new byte[0]);
        writeLabels(labels(), new byte[] {7, 0, 9});

        assertFormatError(images(), "truncated header: an IDX images header has 16 bytes, file has 8");
    }

    @Test
    void rejectsImageAndLabelCountMismatchNamingBothFilesAndCounts() {
        writeImages(images(), 3, 2, 4, positionalPixels());
        writeLabels(labels(), new byte[] {7, 0});

        DataFormatException e = assertFormatError(images(), "header says 3 images but ");
        assertTrue(e.getMessage().contains(labels() + " says 2 labels"), e.getMessage());
    }

    @Test
    void rejectsTrailingBytesAfterDeclaredPixels() {
        byte[] pixels = DataFixtures.concat(positionalPixels(), new byte[5]);
        writeImages(images(), 3, 2, 4, pixels);
        writeLabels(labels(), new byte[] {7, 0, 9});

        assertFormatError(images(), "header says 3 images of 2x4 (24 bytes), but 5 more bytes follow");
    }

    @Test
    void rejectsTrailingBytesAfterDeclaredLabels() {
        writeImages(images(), 3, 2, 4, positionalPixels());
        writeIdx(labels(), Idx.LABELS_MAGIC, new int[] {3}, new byte[] {7, 0, 9, 1});

        assertFormatError(labels(), "header says 3 labels (3 bytes), but 1 more bytes follow");
    }

    @Test
    void rejectsUncompressedFileAsNotGzipRatherThanRawZipException() {
        write(images(), idx(Idx.IMAGES_MAGIC, new int[] {3, 2, 4}, positionalPixels()));
        writeLabels(labels(), new byte[] {7, 0, 9});

        assertFormatError(images(), "not a valid gzip file");
    }

    @Test
    void rejectsEmptyFileAsNotGzip() {
        writeImages(images(), 3, 2, 4, positionalPixels());
        write(labels(), new byte[0]);

        assertFormatError(labels(), "not a valid gzip file");
    }

    @Test
    void rejectsCutOffGzipDownload() {
        byte[] whole = gzip(idx(Idx.IMAGES_MAGIC, new int[] {3, 2, 4}, ramp(24, 0)));
        write(images(), Arrays.copyOf(whole, whole.length - 12));
        writeLabels(labels(), new byte[] {7, 0, 9});

        assertFormatError(images(), "truncated");
    }

    @Test
    void rejectsLabelNotBelowClassesNamingTheIndex() {
        writeImages(images(), 3, 2, 4, positionalPixels());
        writeLabels(labels(), new byte[] {7, 10, 9});

        assertFormatError(labels(), "label 10 at index 1 is not below the 10 classes");
    }

    @Test
    void readsLabelsAbove127AsUnsigned() {
        writeImages(images(), 3, 2, 4, positionalPixels());
        writeLabels(labels(), new byte[] {(byte) 200, 0, (byte) 255});

        HostImages read = Idx.readGzipped(images(), labels(), 256);

        assertEquals(200, read.label(0));
        assertEquals(255, read.label(2));
    }

    @Test
    void rejectsImpossibleDimensions() {
        writeLabels(labels(), new byte[] {7, 0, 9});

        writeImages(images(), 3, 0, 4, new byte[0]);
        assertFormatError(images(), "header says 0 rows; expected 1 to 4096");

        writeImages(images(), 3, 2, 5000, new byte[0]);
        assertFormatError(images(), "header says 5000 columns; expected 1 to 4096");

        writeImages(images(), -1, 2, 4, new byte[0]);
        assertFormatError(images(), "header says -1 images; expected at least 1");
    }

    @Test
    void missingFileIsAUserErrorNamingIt() {
        writeImages(images(), 3, 2, 4, positionalPixels());

        UserInputException e = assertThrows(UserInputException.class, this::readValid);

        assertFalse(e instanceof DataFormatException, "a missing file is not a format problem");
        assertEquals(labels() + ": file not found", e.getMessage());
    }
}
