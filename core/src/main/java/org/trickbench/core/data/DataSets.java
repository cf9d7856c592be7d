package org.trickbench.core.data;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.trickbench.core.UserInputException;

/** The data sets the benchmarks run on, found by id. */
public final class DataSets {
    private static final List<String> IDS = List.of(FashionMnist.ID, Cifar.CIFAR10_ID, Cifar.CIFAR100_ID);

    private DataSets() {}

    /** The known ids, in the order users see them: {@code fashion-mnist, cifar10, cifar100}. */
    public static List<String> ids() {
        return IDS;
    }

    /**
     * Locates (see {@link DataLocator}) and loads the data set {@code id}.
     *
     * @param dataDirOrNull the {@code --data-dir} argument, or null to search
     * @param env the process environment, consulted for {@code $TRICKBENCH_DATA}
     * @throws UserInputException for an unknown id, data that cannot be found, or a corrupt file
     */
    public static RawDataset load(String id, Path dataDirOrNull, Map<String, String> env) {
        if (id == null) {
            throw new UserInputException("No data set given; known: " + String.join(", ", IDS));
        }
        return switch (id) {
            case FashionMnist.ID -> FashionMnist.load(DataLocator.locateFashionMnist(dataDirOrNull, env));
            case Cifar.CIFAR10_ID -> Cifar.load10(DataLocator.locateCifar(id, dataDirOrNull, env));
            case Cifar.CIFAR100_ID -> Cifar.load100(DataLocator.locateCifar(id, dataDirOrNull, env));
            default -> throw new UserInputException("Unknown data set '" + id + "'; known: " + String.join(", ", IDS));
        };
    }
}
