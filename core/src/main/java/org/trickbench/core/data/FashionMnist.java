package org.trickbench.core.data;

import java.nio.file.Path;
import java.util.List;
import org.trickbench.core.UserInputException;

/**
 * Fashion-MNIST (Xiao, Rasul and Vollgraf 2017, arXiv:1708.07747): 60000 train and 10000 test
 * grey 28×28 images of 10 clothing classes, shipped as four gzipped IDX files with MNIST's names.
 */
public final class FashionMnist {
    public static final String ID = "fashion-mnist";
    public static final String TRAIN_IMAGES = "train-images-idx3-ubyte.gz";
    public static final String TRAIN_LABELS = "train-labels-idx1-ubyte.gz";
    public static final String TEST_IMAGES = "t10k-images-idx3-ubyte.gz";
    public static final String TEST_LABELS = "t10k-labels-idx1-ubyte.gz";
    public static final List<String> FILES = List.of(TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS);

    /** In label order, as listed in the data set's README (github.com/zalandoresearch/fashion-mnist). */
    public static final List<String> CLASS_NAMES = List.of(
            "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    private FashionMnist() {}

    /**
     * Loads the four files from {@code dir}.
     *
     * @throws UserInputException naming the directory and every missing file
     * @throws DataFormatException if a file is corrupt
     */
    public static RawDataset load(Path dir) {
        List<String> missing = missingFiles(dir);
        if (!missing.isEmpty()) {
            throw new UserInputException("Fashion-MNIST directory " + dir + " lacks "
                    + String.join(", ", missing) + "; it must hold " + String.join(", ", FILES));
        }
        HostImages train = Idx.readGzipped(dir.resolve(TRAIN_IMAGES), dir.resolve(TRAIN_LABELS), CLASS_NAMES.size());
        HostImages test = Idx.readGzipped(dir.resolve(TEST_IMAGES), dir.resolve(TEST_LABELS), CLASS_NAMES.size());
        if (test.height() != train.height() || test.width() != train.width()) {
            throw new DataFormatException(dir.resolve(TEST_IMAGES), "images are " + test.height() + "x"
                    + test.width() + " but " + TRAIN_IMAGES + " has " + train.height() + "x" + train.width());
        }
        return new RawDataset(ID, train, test, CLASS_NAMES);
    }

    /** Whether {@code dir} holds all four files (it does not check their contents). */
    public static boolean isComplete(Path dir) {
        return missingFiles(dir).isEmpty();
    }

    /** The file names of {@link #FILES} that are not regular files in {@code dir}, in that order. */
    static List<String> missingFiles(Path dir) {
        return DataFiles.missing(dir, FILES);
    }
}
