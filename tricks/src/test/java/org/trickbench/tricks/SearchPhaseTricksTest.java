package org.trickbench.tricks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.trickbench.core.search.Family;
import org.trickbench.core.trick.Phase;
import org.trickbench.core.trick.Trick;

/**
 * The tricks that act only while a supernet search trains ({@link SearchPhaseTrick}): a search phase alone,
 * no black-box family, and a reason that says why a black-box search, which has no supernet, cannot use them.
 */
class SearchPhaseTricksTest {
    static Stream<Trick> supernetOnly() {
        List<Trick> tricks = Tricks.all().stream().filter(t -> t instanceof SearchPhaseTrick).toList();
        assertFalse(tricks.isEmpty(), "the registry has supernet-only tricks");
        return tricks.stream();
    }

    @ParameterizedTest
    @MethodSource("supernetOnly")
    void actsOnlyInTheSearchOfASupernetAndSaysWhyABlackBoxSearchCannotUseIt(Trick t) {
        assertEquals(Set.of(Phase.SEARCH), t.phases(), t.id());
        assertFalse(t.families().contains(Family.BLACK_BOX), t.id());
        String blackBox = t.inapplicableReason(Family.BLACK_BOX, Phase.SEARCH).orElseThrow();
        assertTrue(blackBox.startsWith(t.id() + " acts on a supernet, and a black-box search trains each candidate on"
                + " its own; it applies to "), blackBox);
    }
}
