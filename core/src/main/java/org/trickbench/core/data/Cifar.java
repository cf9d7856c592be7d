package org.trickbench.core.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.trickbench.core.UserInputException;

/**
 * CIFAR-10 and CIFAR-100 (Krizhevsky 2009, "Learning Multiple Layers of Features from Tiny
 * Images"; https://www.cs.toronto.edu/~kriz/cifar.html), read from the binary version. Each
 * record is its label byte(s) followed by 3072 pixel bytes: the 1024 red values of the 32×32
 * image row by row, then green, then blue, which is already the CHW layout of {@link HostImages}.
 * CIFAR-10 records have one label byte; CIFAR-100 records have a coarse (superclass) byte, then
 * a fine (class) byte. The benchmarks classify the 100 fine classes, as NAS-Bench-201 does
 * (Dong and Yang 2020, arXiv:2001.00326).
 */
public final class Cifar {
    public static final String CIFAR10_ID = "cifar10";
    public static final String CIFAR100_ID = "cifar100";

    public static final List<String> CIFAR10_TRAIN_FILES = List.of(
            "data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin");
    public static final String CIFAR10_TEST_FILE = "test_batch.bin";
    public static final String CIFAR100_TRAIN_FILE = "train.bin";
    public static final String CIFAR100_TEST_FILE = "test.bin";
    /** Shipped in the CIFAR-100 binary tarball, one fine class name per line in label order. */
    public static final String CIFAR100_NAMES_FILE = "fine_label_names.txt";

    /** In label order, as in the tarball's {@code batches.meta.txt}. */
    public static final List<String> CIFAR10_CLASS_NAMES = List.of(
            "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck");

    public static final int CHANNELS = 3;
    public static final int SIDE = 32;
    public static final int IMAGE_BYTES = CHANNELS * SIDE * SIDE;

    static final String CIFAR10_ARCHIVE = "cifar-10-binary.tar.gz";
    static final String CIFAR10_UNPACKED = "cifar-10-batches-bin";
    static final String CIFAR100_ARCHIVE = "cifar-100-binary.tar.gz";
    static final String CIFAR100_UNPACKED = "cifar-100-binary";
    static final String DOWNLOAD_PAGE = "https://www.cs.toronto.edu/~kriz/cifar.html";

    private static final int CIFAR100_COARSE_CLASSES = 20;
    private static final int IO_BUFFER = 1 << 16;

    /** How one variant lays out its records. */
    private enum Layout {
        CIFAR10(1, 10, "1 label byte + 3072 pixel bytes"),
        CIFAR100(2, 100, "1 coarse label byte + 1 fine label byte + 3072 pixel bytes");

        final int labelBytes;
        final int classes;
        final String description;

        Layout(int labelBytes, int classes, String description) {
            this.labelBytes = labelBytes;
            this.classes = classes;
            this.description = description;
        }

        int recordBytes() {
            return labelBytes + IMAGE_BYTES;
        }
    }

    private Cifar() {}

    /**
     * Loads CIFAR-10 from a directory holding {@code data_batch_1.bin} to {@code data_batch_5.bin}
     * (concatenated in that order as the train set) and {@code test_batch.bin}.
     */
    public static RawDataset load10(Path dir) {
        requireFiles(dir, CIFAR10_ID);
        HostImages train = read(CIFAR10_TRAIN_FILES.stream().map(dir::resolve).toList(), Layout.CIFAR10);
        HostImages test = read(List.of(dir.resolve(CIFAR10_TEST_FILE)), Layout.CIFAR10);
        return new RawDataset(CIFAR10_ID, train, test, CIFAR10_CLASS_NAMES);
    }

    /**
     * Loads CIFAR-100 from a directory holding {@code train.bin} and {@code test.bin}, labelled by
     * the fine class. Class names come from {@code fine_label_names.txt} when it is present, and
     * are {@code class-0} to {@code class-99} otherwise.
     */
    public static RawDataset load100(Path dir) {
        requireFiles(dir, CIFAR100_ID);
        HostImages train = read(List.of(dir.resolve(CIFAR100_TRAIN_FILE)), Layout.CIFAR100);
        HostImages test = read(List.of(dir.resolve(CIFAR100_TEST_FILE)), Layout.CIFAR100);
        return new RawDataset(CIFAR100_ID, train, test, cifar100Names(dir));
    }

    /** The required file names missing from {@code dir} for {@code cifar10} or {@code cifar100}. */
    static List<String> missingFiles(Path dir, String id) {
        return DataFiles.missing(dir, requiredFiles(id));
    }

    static List<String> requiredFiles(String id) {
        return switch (id) {
            case CIFAR10_ID -> {
                List<String> files = new ArrayList<>(CIFAR10_TRAIN_FILES);
                files.add(CIFAR10_TEST_FILE);
                yield List.copyOf(files);
            }
            case CIFAR100_ID -> List.of(CIFAR100_TRAIN_FILE, CIFAR100_TEST_FILE);
            default -> throw new IllegalArgumentException("not a CIFAR id: " + id);
        };
    }

    /** "the binary version (cifar-10-binary.tar.gz from ..., which unpacks to cifar-10-batches-bin/)". */
    static String binaryVersionHint(String id) {
        boolean ten = CIFAR10_ID.equals(id);
        return "the binary version (" + (ten ? CIFAR10_ARCHIVE : CIFAR100_ARCHIVE) + " from " + DOWNLOAD_PAGE
                + ", which unpacks to " + (ten ? CIFAR10_UNPACKED : CIFAR100_UNPACKED) + "/)";
    }

    private static void requireFiles(Path dir, String id) {
        List<String> missing = missingFiles(dir, id);
        if (!missing.isEmpty()) {
            throw new UserInputException((CIFAR10_ID.equals(id) ? "CIFAR-10" : "CIFAR-100") + " directory " + dir
                    + " lacks " + String.join(", ", missing) + "; expected " + binaryVersionHint(id)
                    + pythonVersionHint(dir));
        }
    }

    /** The Python and MATLAB versions unpack to the same batch names without {@code .bin}. */
    private static String pythonVersionHint(Path dir) {
        if (Files.exists(dir.resolve("data_batch_1")) || Files.exists(dir.resolve("train"))) {
            return "; this directory looks like the Python version, which cannot be read";
        }
        return "";
    }

    private static HostImages read(List<Path> files, Layout layout) {
        int recordBytes = layout.recordBytes();
        int[] records = new int[files.size()];
        long total = 0;
        for (int f = 0; f < files.size(); f++) {
            Path file = files.get(f);
            long size = size(file);
            if (size == 0 || size % recordBytes != 0) {
                throw new DataFormatException(file, "size " + size + " bytes is not a whole number (at least 1) of "
                        + recordBytes + "-byte records (" + layout.description + ")");
            }
            total += size / recordBytes;
            if (total * IMAGE_BYTES > Integer.MAX_VALUE - 8) {
                throw new DataFormatException(file, "holds more images than one array can hold");
            }
            records[f] = (int) (size / recordBytes);
        }
        int count = (int) total;
        byte[] pixels = new byte[count * IMAGE_BYTES];
        byte[] labels = new byte[count];
        byte[] label = new byte[layout.labelBytes];
        int image = 0;
        for (int f = 0; f < files.size(); f++) {
            Path file = files.get(f);
            try (InputStream in = new BufferedInputStream(Files.newInputStream(file), IO_BUFFER)) {
                for (int r = 0; r < records[f]; r++, image++) {
                    if (in.readNBytes(label, 0, label.length) != label.length
                            || in.readNBytes(pixels, image * IMAGE_BYTES, IMAGE_BYTES) != IMAGE_BYTES) {
                        throw new DataFormatException(file, "ends inside record " + r + " of " + records[f]
                                + "; it shrank while being read");
                    }
                    if (layout == Layout.CIFAR100 && Byte.toUnsignedInt(label[0]) >= CIFAR100_COARSE_CLASSES) {
                        throw new DataFormatException(file, "record " + r + ": coarse label "
                                + Byte.toUnsignedInt(label[0]) + " is not below " + CIFAR100_COARSE_CLASSES);
                    }
                    // For CIFAR-100 the last label byte is the fine label, the one we classify.
                    byte used = label[layout.labelBytes - 1];
                    if (Byte.toUnsignedInt(used) >= layout.classes) {
                        throw new DataFormatException(file, "record " + r + ": label " + Byte.toUnsignedInt(used)
                                + " is not below the " + layout.classes + " classes");
                    }
                    labels[image] = used;
                }
            } catch (IOException e) {
                throw DataFiles.unreadable(file, e);
            }
        }
        return new HostImages(count, CHANNELS, SIDE, SIDE, pixels, labels, layout.classes);
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw DataFiles.unreadable(file, e);
        }
    }

    private static List<String> cifar100Names(Path dir) {
        Path file = dir.resolve(CIFAR100_NAMES_FILE);
        if (!Files.exists(file)) {
            return IntStream.range(0, Layout.CIFAR100.classes).mapToObj(i -> "class-" + i).toList();
        }
        List<String> names;
        try {
            // Tolerates the blank trailing lines and stray whitespace of hand-edited copies; names use underscores, never spaces.
            names = Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                    .map(String::strip)
                    .filter(line -> !line.isEmpty())
                    .toList();
        } catch (IOException e) {
            throw DataFiles.unreadable(file, e);
        }
        if (names.size() != Layout.CIFAR100.classes) {
            throw new DataFormatException(file, names.size() + " class names, expected "
                    + Layout.CIFAR100.classes + " (one per line)");
        }
        return names;
    }
}
