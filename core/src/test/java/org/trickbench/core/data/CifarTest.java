package org.trickbench.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.trickbench.core.data.DataFixtures.cifarPixels;
import static org.trickbench.core.data.DataFixtures.cifarRecord;
import static org.trickbench.core.data.DataFixtures.concat;
import static org.trickbench.core.data.DataFixtures.write;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trickbench.core.UserInputException;

class CifarTest {
    @TempDir
    Path dir;

    private static void assertContains(String expected, String message) {
        assertTrue(message.contains(expected), () -> "expected '" + expected + "' in: " + message);
    }

    @Test
    void cifar10ConcatenatesTheFiveBatchesInOrder() {
        DataFixtures.writeCifar10(dir);

        RawDataset data = Cifar.load10(dir);

        assertEquals("cifar10", data.id());
        assertEquals(Cifar.CIFAR10_CLASS_NAMES, data.classNames());
        assertEquals(10, data.train().count());
        assertEquals(1, data.test().count());
        for (int k = 0; k < 10; k++) {
            assertEquals(k, data.train().label(k), "label of train image " + k);
            assertEquals(k, data.train().pixel(k, 0, 0, 0), "marker of train image " + k);
        }
        assertEquals(3, data.test().label(0));
        assertEquals(200, data.test().pixel(0, 0, 0, 0));
    }

    @Test
    void cifar10KeepsTheRedGreenBluePlanesAsChannels() {
        DataFixtures.writeCifar10(dir);

        HostImages train = Cifar.load10(dir).train();

        assertEquals(3, train.channels());
        assertEquals(32, train.height());
        assertEquals(32, train.width());
        assertEquals(3 + 5, train.pixel(7, 0, 3, 5), "red plane comes first");
        assertEquals(80 + 3 + 5, train.pixel(7, 1, 3, 5), "then green");
        assertEquals(160 + 31, train.pixel(7, 2, 0, 31), "then blue");
        assertEquals(160 + 31 + 31, train.pixel(9, 2, 31, 31), "the last byte of the last record");
    }

    @Test
    void cifar10RejectsAFileThatIsNotAWholeNumberOfRecords() {
        DataFixtures.writeCifar10(dir);
        Path test = write(dir.resolve(Cifar.CIFAR10_TEST_FILE), new byte[2 * 3073 + 5]);

        DataFormatException e = assertThrows(DataFormatException.class, () -> Cifar.load10(dir));

        assertEquals(test, e.file());
        assertContains(test + ": size 6151 bytes is not a whole number (at least 1) of 3073-byte records", e.getMessage());
    }

    @Test
    void cifar10RejectsAnEmptyBatch() {
        DataFixtures.writeCifar10(dir);
        write(dir.resolve("data_batch_3.bin"), new byte[0]);

        DataFormatException e = assertThrows(DataFormatException.class, () -> Cifar.load10(dir));

        assertEquals(dir.resolve("data_batch_3.bin"), e.file());
        assertContains("size 0 bytes", e.getMessage());
    }

    @Test
    void cifar10RejectsALabelAboveNineNamingTheRecord() {
        DataFixtures.writeCifar10(dir);
        Path batch = write(dir.resolve("data_batch_2.bin"),
                concat(cifarRecord(cifarPixels(0), 9), cifarRecord(cifarPixels(0), 10)));

        DataFormatException e = assertThrows(DataFormatException.class, () -> Cifar.load10(dir));

        assertEquals(batch + ": record 1: label 10 is not below the 10 classes", e.getMessage());
    }

    @Test
    void cifar100ClassifiesByTheFineLabelNotTheCoarseOne() {
        DataFixtures.writeCifar100(dir);

        RawDataset data = Cifar.load100(dir);

        assertEquals("cifar100", data.id());
        assertEquals(100, data.train().classes());
        assertEquals(42, data.train().label(0), "record holds coarse 3, fine 42");
        assertEquals(99, data.train().label(1), "record holds coarse 19, fine 99");
        assertEquals(7, data.test().label(0));
        assertEquals(1, data.train().pixel(0, 0, 0, 0), "pixels start after both label bytes");
        assertEquals(80 + 1, data.train().pixel(0, 1, 0, 1));
    }

    @Test
    void cifar100RecordsAre3074Bytes() {
        DataFixtures.writeCifar100(dir);
        Path test = write(dir.resolve(Cifar.CIFAR100_TEST_FILE), cifarRecord(cifarPixels(0), 7));

        DataFormatException e = assertThrows(DataFormatException.class, () -> Cifar.load100(dir));

        assertEquals(test, e.file());
        assertContains("size 3073 bytes is not a whole number (at least 1) of 3074-byte records (1 coarse label byte"
                , e.getMessage());
    }

    @Test
    void cifar100RejectsAFineLabelAbove99AndACoarseLabelAbove19() {
        DataFixtures.writeCifar100(dir);
        Path train = write(dir.resolve(Cifar.CIFAR100_TRAIN_FILE), cifarRecord(cifarPixels(0), 3, 100));
        assertEquals(train + ": record 0: label 100 is not below the 100 classes",
                assertThrows(DataFormatException.class, () -> Cifar.load100(dir)).getMessage());

        write(train, cifarRecord(cifarPixels(0), 20, 5));
        assertEquals(train + ": record 0: coarse label 20 is not below 20",
                assertThrows(DataFormatException.class, () -> Cifar.load100(dir)).getMessage());
    }

    @Test
    void cifar100NamesClassesByNumberWithoutTheNamesFile() {
        DataFixtures.writeCifar100(dir);

        List<String> names = Cifar.load100(dir).classNames();

        assertEquals(100, names.size());
        assertEquals("class-0", names.get(0));
        assertEquals("class-99", names.get(99));
    }

    @Test
    void cifar100ReadsFineLabelNamesIgnoringBlankTrailingLines() throws IOException {
        DataFixtures.writeCifar100(dir);
        List<String> lines = new ArrayList<>(IntStream.range(0, 100).mapToObj(i -> "name_" + i).toList());
        lines.set(0, "apple");
        lines.set(99, "worm");
        lines.add("");
        lines.add("");
        Files.write(dir.resolve(Cifar.CIFAR100_NAMES_FILE), lines);

        List<String> names = Cifar.load100(dir).classNames();

        assertEquals(100, names.size());
        assertEquals("apple", names.get(0));
        assertEquals("name_42", names.get(42));
        assertEquals("worm", names.get(99));
    }

    @Test
    void cifar100RejectsANamesFileWithTheWrongNumberOfNames() throws IOException {
        DataFixtures.writeCifar100(dir);
        Path names = Files.write(dir.resolve(Cifar.CIFAR100_NAMES_FILE), List.of("apple", "aquarium_fish"));

        DataFormatException e = assertThrows(DataFormatException.class, () -> Cifar.load100(dir));

        assertEquals(names + ": 2 class names, expected 100 (one per line)", e.getMessage());
    }

    @Test
    void missingCifar10FilesAreNamedWithTheBinaryVersionToDownload() throws IOException {
        DataFixtures.writeCifar10(dir);
        Files.delete(dir.resolve("data_batch_4.bin"));
        Files.delete(dir.resolve(Cifar.CIFAR10_TEST_FILE));

        UserInputException e = assertThrows(UserInputException.class, () -> Cifar.load10(dir));

        assertContains(dir + " lacks data_batch_4.bin, test_batch.bin;", e.getMessage());
        assertContains("binary version (cifar-10-binary.tar.gz", e.getMessage());
        assertContains("unpacks to cifar-10-batches-bin/", e.getMessage());
    }

    @Test
    void missingCifar100FilesAreNamedWithTheBinaryVersionToDownload() {
        UserInputException e = assertThrows(UserInputException.class, () -> Cifar.load100(dir));

        assertContains(dir + " lacks train.bin, test.bin;", e.getMessage());
        assertContains("binary version (cifar-100-binary.tar.gz", e.getMessage());
        assertContains("unpacks to cifar-100-binary/", e.getMessage());
    }

    @Test
    void aDirectoryOfThePythonVersionIsRecognised() {
        write(dir.resolve("data_batch_1"), new byte[1]);

        UserInputException e = assertThrows(UserInputException.class, () -> Cifar.load10(dir));

        assertContains("looks like the Python version", e.getMessage());
    }
}
