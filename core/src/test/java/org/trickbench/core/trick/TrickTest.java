package org.trickbench.core.trick;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.trickbench.core.UserInputException;
import org.trickbench.core.param.ParameterSpec;
import org.trickbench.core.param.Parameters;
import org.trickbench.core.search.Family;
import org.trickbench.core.train.TrainingHook;

class TrickTest {
    /** A trick declared like the catalogue's drop-path, but restricted to show both kinds of reason. */
    private static final Trick PROBE = new Trick() {
        @Override
        public String id() {
            return "drop-path";
        }

        @Override
        public Set<Phase> phases() {
            return Set.of(Phase.TRAIN);
        }

        @Override
        public Set<Family> families() {
            return Set.of(Family.BLACK_BOX, Family.GRADIENT);
        }

        @Override
        public List<ParameterSpec> parameters() {
            return List.of(ParameterSpec.number("prob", 0.2, 0, true, 1, false, "drop probability"),
                    ParameterSpec.integer("batches", 20, 1, Integer.MAX_VALUE, "batches"));
        }

        @Override
        public String reference() {
            return "test";
        }

        @Override
        public String description() {
            return "test";
        }

        @Override
        public TrainingHook hook(Map<String, Object> params) {
            resolve(params);
            return new TrainingHook() {};
        }
    };

    @Test
    void applicabilityFollowsDeclaredFamiliesAndPhases() {
        assertTrue(PROBE.inapplicableReason(Family.GRADIENT, Phase.TRAIN).isEmpty());
        String family = PROBE.inapplicableReason(Family.ONE_SHOT, Phase.TRAIN).orElseThrow();
        assertTrue(family.contains("drop-path") && family.contains("one-shot"), family);
        String phase = PROBE.inapplicableReason(Family.GRADIENT, Phase.SEARCH).orElseThrow();
        assertTrue(phase.contains("drop-path") && phase.contains("search"), phase);
    }

    @Test
    void familiesAndPhasesKeepTheirWordsAndAnUnknownWordIsAUserError() {
        for (Family f : Family.values()) {
            assertEquals(f, Family.of(f.toString()));
        }
        assertEquals(List.of("black-box", "gradient", "one-shot"),
                Family.ALL.stream().map(Family::word).toList());
        assertEquals(List.of("search", "train"), Phase.ALL.stream().map(Phase::word).toList());
        UserInputException family = assertThrows(UserInputException.class, () -> Family.of("bayesian"));
        assertEquals("unknown search family 'bayesian'; known: black-box, gradient, one-shot", family.getMessage());
        UserInputException phase = assertThrows(UserInputException.class, () -> Phase.of("eval"));
        assertEquals("unknown phase 'eval'; known: search, train", phase.getMessage());
    }

    @Test
    void outOfRangeValueNamesTrickParameterAndRange() {
        UserInputException e = assertThrows(UserInputException.class, () -> PROBE.hook(Map.of("prob", 1.5)));
        assertEquals("drop-path: prob=1.5 is out of range; allowed: 0 <= prob < 1", e.getMessage());
        UserInputException f = assertThrows(UserInputException.class, () -> PROBE.hook(Map.of("batches", 0)));
        assertEquals("drop-path: batches=0 is out of range; allowed: integer batches >= 1", f.getMessage());
    }

    @Test
    void wrongTypesAndUnknownNamesAreRejected() {
        UserInputException e = assertThrows(UserInputException.class, () -> PROBE.hook(Map.of("prob", "high")));
        assertTrue(e.getMessage().startsWith("drop-path: prob='high' is not a number"), e.getMessage());
        UserInputException f = assertThrows(UserInputException.class, () -> PROBE.hook(Map.of("batches", 2.5)));
        assertTrue(f.getMessage().contains("not an integer"), f.getMessage());
        UserInputException g = assertThrows(UserInputException.class, () -> PROBE.hook(Map.of("probb", 0.1)));
        assertEquals("drop-path: unknown parameter 'probb'; known: prob, batches", g.getMessage());
    }

    @Test
    void defaultsAreFilledAndNumericTextIsRejected() {
        Parameters p = PROBE.resolve(Map.of("batches", 5));
        assertEquals(0.2, p.number("prob"));
        assertEquals(5, p.integer("batches"));
        // Run ids hash values as given: "5" and 5 would name one setting twice, so text is no number.
        UserInputException e = assertThrows(UserInputException.class, () -> PROBE.resolve(Map.of("batches", "5")));
        assertEquals("drop-path: batches='5' is not an integer; allowed: integer batches >= 1", e.getMessage());
    }
    @Test
    void choiceAcceptsOnlyTheListedValues() {
        Trick policy = new Trick() {
            @Override
            public String id() {
                return "autoaugment";
            }

            @Override
            public Set<Phase> phases() {
                return Set.of(Phase.TRAIN);
            }

            @Override
            public Set<Family> families() {
                return Family.ALL;
            }

            @Override
            public List<ParameterSpec> parameters() {
                return List.of(ParameterSpec.choice("policy", "cifar10", List.of("cifar10"), "policy"));
            }

            @Override
            public String reference() {
                return "test";
            }

            @Override
            public String description() {
                return "test";
            }

            @Override
            public TrainingHook hook(Map<String, Object> params) {
                resolve(params);
                return new TrainingHook() {};
            }
        };
        policy.hook(Map.of());
        UserInputException e = assertThrows(UserInputException.class, () -> policy.hook(Map.of("policy", "svhn")));
        assertEquals("autoaugment: policy='svhn' is not known; allowed: cifar10", e.getMessage());
    }
}
