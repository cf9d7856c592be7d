package org.trickbench.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trickbench.core.UserInputException;

class DataSetsTest {
    @TempDir
    Path root;

    @Test
    void idsAreTheThreeBenchmarkSets() {
        assertEquals(List.of("fashion-mnist", "cifar10", "cifar100"), DataSets.ids());
    }

    @Test
    void eachIdLoadsItsOwnFormat() {
        Path fashion = DataFixtures.writeFashionMnist(root.resolve("fm"), 2, 1);
        Path cifar10 = DataFixtures.writeCifar10(root.resolve("c10"));
        DataFixtures.writeCifar100(root.resolve("cifar-100-binary"));

        RawDataset fm = DataSets.load("fashion-mnist", fashion, Map.of());
        RawDataset c10 = DataSets.load("cifar10", cifar10, Map.of());
        RawDataset c100 = DataSets.load("cifar100", null, Map.of(DataLocator.ENV_VAR, root.toString()));

        assertEquals("fashion-mnist", fm.id());
        assertEquals(1, fm.train().channels());
        assertEquals("cifar10", c10.id());
        assertEquals(10, c10.train().count());
        assertEquals("cifar100", c100.id());
        assertEquals(100, c100.classNames().size());
    }

    @Test
    void unknownIdListsTheKnownOnes() {
        UserInputException e = assertThrows(UserInputException.class, () -> DataSets.load("mnist", null, Map.of()));

        assertEquals("Unknown data set 'mnist'; known: fashion-mnist, cifar10, cifar100", e.getMessage());
    }
}
