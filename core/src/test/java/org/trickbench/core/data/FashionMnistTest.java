package org.trickbench.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trickbench.core.UserInputException;

class FashionMnistTest {
    @TempDir
    Path dir;

    @Test
    void loadsTrainAndTestFromTheFourFiles() {
        DataFixtures.writeFashionMnist(dir, 5, 3);

        RawDataset data = FashionMnist.load(dir);

        assertEquals("fashion-mnist", data.id());
        assertEquals(FashionMnist.CLASS_NAMES, data.classNames());
        assertEquals(5, data.train().count());
        assertEquals(3, data.test().count());
        assertEquals(3, data.train().height());
        assertEquals(2, data.train().width());
        assertEquals(6 * 4 + 2 * 2 + 1, data.train().pixel(4, 0, 2, 1), "train bytes ramp from 0");
        assertEquals(100, data.test().pixel(0, 0, 0, 0), "test bytes ramp from 100, so the splits are not swapped");
        assertEquals(5, data.test().label(0));
        assertEquals(4, data.train().label(4));
    }

    @Test
    void missingFilesAreNamedWithTheDirectory() throws IOException {
        DataFixtures.writeFashionMnist(dir, 5, 3);
        Files.delete(dir.resolve(FashionMnist.TEST_IMAGES));
        Files.delete(dir.resolve(FashionMnist.TEST_LABELS));

        UserInputException e = assertThrows(UserInputException.class, () -> FashionMnist.load(dir));

        assertTrue(e.getMessage().contains(
                dir + " lacks t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz;"), e.getMessage());
    }

    @Test
    void isCompleteOnlyWithAllFourFiles() throws IOException {
        DataFixtures.writeFashionMnist(dir, 2, 2);
        assertTrue(FashionMnist.isComplete(dir));

        Files.delete(dir.resolve(FashionMnist.TRAIN_LABELS));
        assertFalse(FashionMnist.isComplete(dir));
        assertFalse(FashionMnist.isComplete(dir.resolve("absent")));
    }

    @Test
    void rejectsTestImagesOfAnotherSize() {
        DataFixtures.writeFashionMnist(dir, 2, 2);
        DataFixtures.writeImages(dir.resolve(FashionMnist.TEST_IMAGES), 2, 2, 3, new byte[12]);

        DataFormatException e = assertThrows(DataFormatException.class, () -> FashionMnist.load(dir));

        assertEquals(dir.resolve(FashionMnist.TEST_IMAGES), e.file());
        assertTrue(e.getMessage().contains("images are 2x3 but train-images-idx3-ubyte.gz has 3x2"), e.getMessage());
    }

    @Test
    void classNamesAreTheTenPublishedInLabelOrder() {
        assertEquals(10, FashionMnist.CLASS_NAMES.size());
        assertEquals("T-shirt/top", FashionMnist.CLASS_NAMES.get(0));
        assertEquals("Sandal", FashionMnist.CLASS_NAMES.get(5));
        assertEquals("Ankle boot", FashionMnist.CLASS_NAMES.get(9));
    }
}
