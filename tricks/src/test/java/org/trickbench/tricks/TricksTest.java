package org.trickbench.tricks;

import java.util.stream.Collectors;
import org.trickbench.core.search.Family;
import org.trickbench.core.trick.Phase;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.trickbench.core.UserInputException;
import org.trickbench.core.param.ParameterSpec;
import org.trickbench.core.trick.Trick;

class TricksTest {
    /** The catalogue's training-protocol tricks, which this module implements. */
    private static final List<String> EXPECTED = List.of("label-smoothing", "cutout", "mixup", "longer-training",
            "sgdr", "swish", "wider", "sam", "group-norm", "ghost-bn", "drop-path", "aux-tower", "autoaugment");

    /** The phases docs/tricks.md gives each of them; all apply to every search family. */
    private static final Map<String, Set<String>> CATALOGUE_PHASES = Map.ofEntries(
            Map.entry("label-smoothing", Set.of("train")), Map.entry("cutout", Set.of("train", "search")),
            Map.entry("mixup", Set.of("train")), Map.entry("longer-training", Set.of("train")),
            Map.entry("sgdr", Set.of("train")), Map.entry("swish", Set.of("train")),
            Map.entry("wider", Set.of("train")), Map.entry("sam", Set.of("train", "search")),
            Map.entry("group-norm", Set.of("train", "search")), Map.entry("ghost-bn", Set.of("train", "search")),
            Map.entry("drop-path", Set.of("train", "search")), Map.entry("aux-tower", Set.of("train")),
            Map.entry("autoaugment", Set.of("train")));

    @Test
    void everyRegisteredTrickDeclaresIdPhaseFamiliesReferenceAndDefaults() {
        Set<String> ids = new HashSet<>();
        for (Trick t : Tricks.all()) {
            assertTrue(t.id().matches("[a-z0-9]+(-[a-z0-9]+)*"), "id " + t.id());
            assertTrue(ids.add(t.id()), "duplicate id " + t.id());
            assertFalse(t.phases().isEmpty(), t.id());
            assertTrue(Phase.ALL.containsAll(t.phases()), t.id() + " phases " + t.phases());
            assertFalse(t.families().isEmpty(), t.id());
            assertTrue(Family.ALL.containsAll(t.families()), t.id() + " families " + t.families());
            assertTrue(t.reference().matches(".*(19|20)\\d\\d.*"), t.id() + " reference needs a year: " + t.reference());
            assertFalse(t.description().isBlank(), t.id());
            for (ParameterSpec p : t.parameters()) {
                assertNotNull(p.defaultValue(), t.id() + "." + p.name());
                assertFalse(p.help().isBlank(), t.id() + "." + p.name());
            }
            assertNotNull(t.hook(Map.of()), t.id() + " builds a hook from its defaults");
            assertSame(t, Tricks.byId(t.id()));
        }
        assertTrue(ids.containsAll(EXPECTED), "missing: " + EXPECTED.stream().filter(i -> !ids.contains(i)).toList());
    }

    @Test
    void phasesAndFamiliesAreTheCatalogues() {
        for (Map.Entry<String, Set<String>> e : CATALOGUE_PHASES.entrySet()) {
            Trick t = Tricks.byId(e.getKey());
            assertEquals(e.getValue(), t.phases().stream().map(Phase::word).collect(Collectors.toSet()), t.id());
            assertEquals(Family.ALL, t.families(), t.id());
            for (Phase phase : Phase.ALL) {
                assertEquals(!e.getValue().contains(phase.word()), t.inapplicableReason(Family.GRADIENT, phase).isPresent(),
                        t.id() + " in " + phase);
            }
            // Only the tricks the catalogue calls final-training ones stay out of proxy trainings.
            assertEquals(!Set.of("longer-training", "wider").contains(t.id()), t.inProxyTraining(), t.id());
        }
    }

    @Test
    void invalidParametersAreRejectedNamingTrickAndParameter() {
        for (Trick t : Tricks.all()) {
            UserInputException unknown = assertThrows(UserInputException.class,
                    () -> t.hook(Map.of("no-such-parameter", 1)), t.id());
            assertTrue(unknown.getMessage().startsWith(t.id() + ": unknown parameter"), unknown.getMessage());
            for (ParameterSpec p : t.parameters()) {
                if (!List.of("int", "double").contains(p.type())) {
                    continue;
                }
                for (Object bad : List.of(-1e9, "not-a-number")) {
                    UserInputException e = assertThrows(UserInputException.class,
                            () -> t.hook(Map.of(p.name(), bad)), t.id() + "." + p.name() + "=" + bad);
                    assertTrue(e.getMessage().startsWith(t.id() + ": " + p.name() + "="), e.getMessage());
                    assertTrue(e.getMessage().contains("allowed: "), e.getMessage());
                }
            }
        }
    }

    @Test
    void unknownIdListsTheKnownOnes() {
        UserInputException e = assertThrows(UserInputException.class, () -> Tricks.byId("label-smoothin"));
        assertTrue(e.getMessage().contains("'label-smoothin'") && e.getMessage().contains("label-smoothing"),
                e.getMessage());
    }

    @Test
    void markdownTableHasOneRowPerTrick() {
        String table = Tricks.markdownTable();
        assertEquals(Tricks.all().size() + 2, table.lines().count());
        for (Trick t : Tricks.all()) {
            assertTrue(table.contains("| `" + t.id() + "` |"), t.id());
        }
    }

}
