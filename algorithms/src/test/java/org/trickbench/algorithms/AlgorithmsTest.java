package org.trickbench.algorithms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.trickbench.core.UserInputException;
import org.trickbench.core.search.SearchAlgorithm;

/** The built-in algorithms come through META-INF/services, in the order bench list prints them. */
class AlgorithmsTest {
    @Test
    void builtInsAreFoundThroughTheServicesFileInOrder() {
        assertEquals(List.of("random", "random-search", "rea", "local-search", "darts-v1", "darts-v2", "gdas", "spos",
                "rsws", "fixed"), Algorithms.all().stream().map(SearchAlgorithm::id).toList());
        for (SearchAlgorithm a : Algorithms.all()) {
            assertEquals(a, Algorithms.byId(a.id()));
            assertEquals(a.id(), a.info().id());
            assertEquals(a.parameters(), a.info().parameters());
        }
        UserInputException e = assertThrows(UserInputException.class, () -> Algorithms.byId("rae"));
        assertTrue(e.getMessage().startsWith("unknown algorithm 'rae'; known: random, "), e.getMessage());
    }
}
