package org.trickbench.core.param;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.trickbench.core.UserInputException;
import org.trickbench.core.run.AlgorithmSetting;
import org.trickbench.core.run.RunSpec;
import org.trickbench.core.run.TrickSetting;
import org.trickbench.core.train.Fidelity;
import org.trickbench.core.train.Protocol;

/**
 * The part of the trick and search-algorithm contracts that concerns parameters, from the
 * {@link ParameterSpec}s alone: every declared default and every bound resolves, survives the trip
 * through a run spec's canonical JSON (written to the store, read back by {@code bench run --only})
 * meaning the same value, and every value out of range or of the wrong kind is refused, before any
 * run, with one line naming the owner, the parameter and what is allowed.
 */
public final class ParameterContracts {
    /** A name no declaration uses. */
    static final String UNKNOWN = "no-such-parameter";

    private ParameterContracts() {}

    /**
     * The parameter tests of the trick {@code id}.
     *
     * @param check what a matrix's values pass through before a run: the trick's hook built from them
     */
    public static Stream<DynamicTest> trick(String id, List<ParameterSpec> specs, Consumer<Map<String, Object>> check) {
        return tests(id, specs, Map.of(), check,
                params -> spec(new AlgorithmSetting("random", Map.of()), List.of(new TrickSetting(id, params))),
                spec -> spec.tricks().get(0).params());
    }

    /**
     * The parameter tests of the search algorithm {@code id}.
     *
     * @param required values for the parameters that have no default but must be set (a cell to train), given
     *     beside every value checked
     * @param check what a matrix's values pass through before a run: the algorithm's validation
     */
    public static Stream<DynamicTest> algorithm(String id, List<ParameterSpec> specs, Map<String, Object> required,
            Consumer<Map<String, Object>> check) {
        return tests("algorithm '" + id + "'", specs, required, check,
                params -> spec(new AlgorithmSetting(id, params), List.of()), spec -> spec.algorithm().params());
    }

    private static Stream<DynamicTest> tests(String owner, List<ParameterSpec> specs, Map<String, Object> required,
            Consumer<Map<String, Object>> check, Function<Map<String, Object>, RunSpec> record,
            Function<RunSpec, Map<String, Object>> read) {
        List<DynamicTest> tests = new ArrayList<>();
        tests.add(dynamicTest("defaults resolve, pass its checks and round-trip", () -> {
            Map<String, Object> defaults = new LinkedHashMap<>(required);
            specs.stream().filter(s -> s.defaultValue() != null).forEach(s -> defaults.put(s.name(), s.defaultValue()));
            assertRoundTrip(owner, specs, defaults, record, read);
            check.accept(with(required, Map.of()));
        }));
        for (ParameterSpec s : specs) {
            tests.add(dynamicTest(s.name() + ": default and bounds " + accepted(s) + " resolve and round-trip", () -> {
                for (Object value : accepted(s)) {
                    assertRoundTrip(owner, specs, with(required, Map.of(s.name(), value)), record, read);
                }
            }));
            tests.add(dynamicTest(s.name() + ": " + outOfRange(s) + " and " + wrongKind(s) + " are refused naming "
                    + owner + ", " + s.name() + " and " + s.allowed(), () -> {
                for (Object value : outOfRange(s)) {
                    assertEquals(owner + ": " + s.name() + "=" + ParameterSpec.format(((Number) value).doubleValue())
                            + " is out of range; allowed: " + s.allowed(), refused(check, required, s.name(), value));
                }
                String message = refused(check, required, s.name(), wrongKind(s));
                assertTrue(message.startsWith(owner + ": " + s.name()) && message.endsWith("; allowed: " + s.allowed()),
                        message);
            }));
        }
        tests.add(dynamicTest("an unknown parameter is refused naming the known ones", () -> {
            String message = refused(check, required, UNKNOWN, 1);
            assertTrue(message.startsWith(owner + ": unknown parameter '" + UNKNOWN + "'; known: "), message);
        }));
        return tests.stream();
    }

    /**
     * Resolves {@code params}, records them in a run spec, reads the spec back from its canonical JSON and
     * checks that the JSON is the same and that the parameters read back resolve to the same values.
     */
    private static void assertRoundTrip(String owner, List<ParameterSpec> specs, Map<String, Object> params,
            Function<Map<String, Object>, RunSpec> record, Function<RunSpec, Map<String, Object>> read) {
        Parameters resolved = Parameters.resolve(owner, specs, params);
        String json = record.apply(params).canonicalJson();
        RunSpec back = RunSpec.fromJson(json);
        assertEquals(json, back.canonicalJson(), "the canonical JSON of " + params + " read back");
        Parameters again = Parameters.resolve(owner, specs, read.apply(back));
        for (ParameterSpec s : specs) {
            assertEquals(value(resolved, s), value(again, s),
                    owner + ": " + s.name() + " means something else after the run spec's JSON of " + params);
        }
    }

    private static String refused(Consumer<Map<String, Object>> check, Map<String, Object> required, String name,
            Object value) {
        return assertThrows(UserInputException.class, () -> check.accept(with(required, Map.of(name, value))),
                name + "=" + value).getMessage();
    }

    /** The values a declaration promises to accept: its default, its bounds (just inside an open one), its choices. */
    static List<Object> accepted(ParameterSpec s) {
        LinkedHashSet<Object> values = new LinkedHashSet<>();
        if (s.defaultValue() != null) {
            values.add(s.defaultValue());
        }
        switch (s.kind()) {
            case INT -> {
                if (Double.isFinite(s.min())) {
                    values.add(whole(s.minInclusive() ? s.min() : s.min() + 1));
                }
                if (Double.isFinite(s.max())) {
                    values.add(whole(s.maxInclusive() ? s.max() : s.max() - 1));
                }
            }
            case NUMBER -> {
                if (Double.isFinite(s.min())) {
                    values.add(s.minInclusive() ? s.min() : Math.nextUp(s.min()));
                }
                if (Double.isFinite(s.max())) {
                    values.add(s.maxInclusive() ? s.max() : Math.nextDown(s.max()));
                }
            }
            case BOOL -> values.addAll(List.of(true, false));
            case CHOICE -> values.addAll(s.values());
            case CHOICES -> values.add(s.values());
            case STRING -> { }
            default -> throw new IllegalStateException(s.kind().toString());
        }
        return List.copyOf(values);
    }

    /** Numbers just outside each finite bound, and infinity and NaN for a real number. */
    static List<Object> outOfRange(ParameterSpec s) {
        List<Object> values = new ArrayList<>();
        boolean integer = s.kind() == ParameterSpec.Kind.INT;
        if (!integer && s.kind() != ParameterSpec.Kind.NUMBER) {
            return values;
        }
        if (Double.isFinite(s.min())) {
            double below = s.minInclusive() ? s.min() - 1 : s.min();
            values.add(integer ? whole(below) : (Object) below);
        }
        if (Double.isFinite(s.max())) {
            double above = s.maxInclusive() ? s.max() + 1 : s.max();
            values.add(integer ? whole(above) : (Object) above);
        }
        if (!integer) {
            values.add(Double.POSITIVE_INFINITY);
            values.add(Double.NaN);
        }
        return values;
    }

    /** A value of another kind than the declaration's. */
    static Object wrongKind(ParameterSpec s) {
        return switch (s.kind()) {
            case INT, NUMBER -> "8";
            case BOOL -> "yes";
            case STRING -> 3;
            case CHOICE -> "no-such-value";
            case CHOICES -> List.of("no-such-value");
        };
    }

    /** A run spec with this algorithm and these tricks, at a small fidelity. */
    private static RunSpec spec(AlgorithmSetting algorithm, List<TrickSetting> tricks) {
        Fidelity f = new Fidelity(4, 1, 1, 0, 0);
        return new RunSpec("fashion-mnist", "nb201", algorithm, tricks, f, f, Protocol.nasBench201(), 1);
    }

    private static Object whole(double x) {
        return x == (int) x ? (Object) (int) x : (Object) (long) x;
    }

    private static Map<String, Object> with(Map<String, Object> base, Map<String, Object> more) {
        Map<String, Object> all = new HashMap<>(base);
        all.putAll(more);
        return all;
    }

    /** The resolved value of {@code s}, or null when it is unset. */
    private static Object value(Parameters p, ParameterSpec s) {
        if (!p.isSet(s.name())) {
            return null;
        }
        return switch (s.kind()) {
            case INT -> p.integer(s.name());
            case NUMBER -> p.number(s.name());
            case BOOL -> p.bool(s.name());
            case STRING, CHOICE -> p.string(s.name());
            case CHOICES -> p.choices(s.name());
        };
    }
}
