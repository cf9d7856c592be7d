package org.trickbench.algorithms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.trickbench.core.UserInputException;
import org.trickbench.core.search.SearchAlgorithm;

/** The built-in algorithms come through META-INF/services, in the order bench list prints them. */
class AlgorithmsTest {
    @Test
    void builtInsAreFoundThroughTheServicesFileInOrder() throws IOException {
        String listed = new String(Algorithms.class.getResourceAsStream("/META-INF/services/"
                + SearchAlgorithm.class.getName()).readAllBytes());
        assertEquals(listed.lines().toList(), Algorithms.all().stream().map(a -> a.getClass().getName()).toList());
        UserInputException e = assertThrows(UserInputException.class, () -> Algorithms.byId("rae"));
        assertTrue(e.getMessage().startsWith("unknown algorithm 'rae'; known: random, "), e.getMessage());
    }
}
