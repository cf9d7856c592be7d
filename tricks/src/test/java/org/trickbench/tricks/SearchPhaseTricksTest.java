package org.trickbench.tricks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.trickbench.core.trick.Trick;

/** The catalogue's search-phase tricks: where they act, and why a matrix drops the cells where they cannot. */
class SearchPhaseTricksTest {
    /** The families docs/tricks.md gives each of them. */
    private static final Map<String, Set<String>> CATALOGUE_FAMILIES = Map.of(
            "warmup-weights", Set.of("gradient"),
            "warmup-all-paths", Set.of("one-shot"),
            "heavy-weight-decay", Set.of("gradient", "one-shot"),
            "sdarts-rs", Set.of("gradient"),
            "aux-skip", Set.of("gradient"),
            "bn-affine-off", Set.of("gradient", "one-shot"));

    @ParameterizedTest
    @ValueSource(strings = {"warmup-weights", "warmup-all-paths", "heavy-weight-decay", "sdarts-rs", "aux-skip",
            "bn-affine-off"})
    void actsOnlyInTheSearchOfItsFamiliesAndSaysWhyElsewhere(String id) {
        Trick t = Tricks.byId(id);
        assertEquals(Set.of(Trick.SEARCH), t.phases(), id);
        assertEquals(CATALOGUE_FAMILIES.get(id), t.families(), id);
        for (String family : Trick.FAMILIES) {
            Optional<String> inSearch = t.inapplicableReason(family, Trick.SEARCH);
            assertEquals(!t.families().contains(family), inSearch.isPresent(), id + " in " + family);
            inSearch.ifPresent(why -> assertTrue(why.contains(id) && why.contains(family), why));
            Optional<String> inTraining = t.inapplicableReason(family, Trick.TRAIN);
            assertTrue(inTraining.isPresent(), id + " must not act in the train phase");
        }
        String blackBox = t.inapplicableReason("black-box", Trick.SEARCH).orElseThrow();
        assertTrue(blackBox.startsWith(id + " acts on a supernet"), blackBox);
    }
}
