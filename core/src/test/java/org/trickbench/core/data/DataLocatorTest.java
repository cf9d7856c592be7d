package org.trickbench.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trickbench.core.UserInputException;

class DataLocatorTest {
    @TempDir
    Path root;

    private Path complete(String name) {
        return DataFixtures.touch(root.resolve(name), FashionMnist.FILES);
    }

    private static Map<String, String> env(Path dir) {
        return Map.of(DataLocator.ENV_VAR, dir.toString());
    }

    private static void assertContains(String expected, String message) {
        assertTrue(message.contains(expected), () -> "expected '" + expected + "' in: " + message);
    }

    @Test
    void explicitDirWinsOverEnvironmentAndSystemDir() {
        Path explicit = complete("explicit");
        Path fromEnv = complete("env");
        Path system = complete("system");

        assertEquals(explicit, DataLocator.locateFashionMnist(explicit, env(fromEnv), system));
    }

    @Test
    void environmentDirIsUsedWhenNoDirIsGiven() {
        Path fromEnv = complete("env");
        Path system = complete("system");

        assertEquals(fromEnv, DataLocator.locateFashionMnist(null, env(fromEnv), system));
    }

    @Test
    void environmentDirMayHoldTheFilesInAFashionMnistSubdir() {
        Path subdir = complete("env/fashion-mnist");
        Path system = complete("system");

        assertEquals(subdir, DataLocator.locateFashionMnist(null, env(root.resolve("env")), system));
    }

    @Test
    void systemDirIsTheLastResort() throws IOException {
        Path emptyEnv = Files.createDirectory(root.resolve("env"));
        Path system = complete("system");

        assertEquals(system, DataLocator.locateFashionMnist(null, env(emptyEnv), system));
        assertEquals(system, DataLocator.locateFashionMnist(null, Map.of(), system));
    }

    @Test
    void incompleteExplicitDirFailsInsteadOfFallingBack() throws IOException {
        Path explicit = complete("explicit");
        Files.delete(explicit.resolve(FashionMnist.TEST_LABELS));

        UserInputException e = assertThrows(UserInputException.class,
                () -> DataLocator.locateFashionMnist(explicit, env(complete("env")), complete("system")));

        assertContains("--data-dir " + explicit + " does not hold Fashion-MNIST: missing t10k-labels-idx1-ubyte.gz;",
                e.getMessage());
    }

    @Test
    void explicitDirThatDoesNotExistFails() {
        Path absent = root.resolve("absent");

        UserInputException e = assertThrows(UserInputException.class,
                () -> DataLocator.locateFashionMnist(absent, Map.of(), complete("system")));

        assertContains("--data-dir " + absent + " does not exist", e.getMessage());
    }

    @Test
    void nothingFoundListsEachPlaceSearchedAndTheFix() throws IOException {
        Path emptyEnv = Files.createDirectory(root.resolve("env"));
        DataFixtures.touch(emptyEnv.resolve("fashion-mnist"), List.of(FashionMnist.TRAIN_IMAGES));
        Path system = root.resolve("system");

        UserInputException e = assertThrows(UserInputException.class,
                () -> DataLocator.locateFashionMnist(null, env(emptyEnv), system));

        String message = e.getMessage();
        assertContains(emptyEnv + " (missing train-images-idx3-ubyte.gz, ", message);
        assertContains(emptyEnv.resolve("fashion-mnist") + " (missing train-labels-idx1-ubyte.gz, ", message);
        assertContains(system + " (does not exist)", message);
        assertContains("apt-get install dataset-fashion-mnist", message);
        assertContains("--data-dir DIR", message);
        assertFalse(message.contains("\n"), "the CLI prints one line");
    }

    @Test
    void unsetEnvironmentVariableIsReportedAsSearched() {
        UserInputException e = assertThrows(UserInputException.class,
                () -> DataLocator.locateFashionMnist(null, Map.of(DataLocator.ENV_VAR, " "), root.resolve("system")));

        assertContains("$TRICKBENCH_DATA (not set)", e.getMessage());
    }

    @Test
    void cifarExplicitDirWinsOverEnvironment() {
        Path explicit = DataFixtures.touch(root.resolve("mine"), Cifar.requiredFiles("cifar10"));
        DataFixtures.touch(root.resolve("env/cifar-10-batches-bin"), Cifar.requiredFiles("cifar10"));

        assertEquals(explicit, DataLocator.locateCifar("cifar10", explicit, env(root.resolve("env"))));
    }

    @Test
    void cifarEnvironmentDirHoldsTheUnpackedTarballs() {
        Path ten = DataFixtures.touch(root.resolve("cifar-10-batches-bin"), Cifar.requiredFiles("cifar10"));
        Path hundred = DataFixtures.touch(root.resolve("cifar-100-binary"), Cifar.requiredFiles("cifar100"));

        assertEquals(ten, DataLocator.locateCifar("cifar10", null, env(root)));
        assertEquals(hundred, DataLocator.locateCifar("cifar100", null, env(root)));
    }

    @Test
    void incompleteCifarExplicitDirFailsInsteadOfFallingBack() {
        Path explicit = DataFixtures.touch(root.resolve("mine"), List.of("train.bin"));
        DataFixtures.touch(root.resolve("cifar-100-binary"), Cifar.requiredFiles("cifar100"));

        UserInputException e = assertThrows(UserInputException.class,
                () -> DataLocator.locateCifar("cifar100", explicit, env(root)));

        assertContains("--data-dir " + explicit + " does not hold CIFAR-100: missing test.bin;", e.getMessage());
        assertContains("cifar-100-binary.tar.gz", e.getMessage());
    }

    @Test
    void cifarNotFoundSaysToDownloadTheBinaryVersionAndPassDataDir() {
        UserInputException e = assertThrows(UserInputException.class,
                () -> DataLocator.locateCifar("cifar10", null, env(root)));

        assertContains(root.resolve("cifar-10-batches-bin") + " (does not exist)", e.getMessage());
        assertContains("download the binary version (cifar-10-binary.tar.gz", e.getMessage());
        assertContains("--data-dir DIR/cifar-10-batches-bin", e.getMessage());
    }

    @Test
    void unknownCifarIdIsAUserError() {
        UserInputException e = assertThrows(UserInputException.class,
                () -> DataLocator.locateCifar("cifar20", null, Map.of()));

        assertContains("'cifar20'; known: cifar10, cifar100", e.getMessage());
    }
}
