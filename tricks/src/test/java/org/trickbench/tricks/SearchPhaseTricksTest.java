package org.trickbench.tricks;

import java.util.stream.Collectors;
import org.trickbench.core.search.Family;
import org.trickbench.core.trick.Phase;
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
        assertEquals(Set.of(Phase.SEARCH), t.phases(), id);
        assertEquals(CATALOGUE_FAMILIES.get(id), t.families().stream().map(Family::word).collect(Collectors.toSet()), id);
        for (Family family : Family.ALL) {
            Optional<String> inSearch = t.inapplicableReason(family, Phase.SEARCH);
            assertEquals(!t.families().contains(family), inSearch.isPresent(), id + " in " + family);
            inSearch.ifPresent(why -> assertTrue(why.contains(id) && why.contains(family.word()), why));
            Optional<String> inTraining = t.inapplicableReason(family, Phase.TRAIN);
            assertTrue(inTraining.isPresent(), id + " must not act in the train phase");
        }
        String blackBox = t.inapplicableReason(Family.BLACK_BOX, Phase.SEARCH).orElseThrow();
        assertTrue(blackBox.startsWith(id + " acts on a supernet"), blackBox);
    }
}
