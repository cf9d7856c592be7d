package org.trickbench.core.param;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.trickbench.core.UserInputException;

/**
 * A trick's or algorithm's parameters resolved against its {@link ParameterSpec}s: the one place a
 * matrix's parameter values are read. Unknown names, values of the wrong type and values out of range are
 * rejected at once with a message that names the owner, the parameter, the value and what is allowed;
 * missing parameters take their defaults.
 */
public final class Parameters {
    private final String owner;
    private final Map<String, Object> values;

    private Parameters(String owner, Map<String, Object> values) {
        this.owner = owner;
        this.values = values;
    }

    /**
     * Checks {@code given} against {@code specs} and fills in the defaults.
     *
     * @param owner how messages name the owner, e.g. {@code drop-path} or {@code algorithm 'rea'}
     * @throws UserInputException on an unknown name, a value of the wrong type or one out of range
     */
    public static Parameters resolve(String owner, List<ParameterSpec> specs, Map<String, ?> given) {
        Map<String, ParameterSpec> byName = new LinkedHashMap<>();
        specs.forEach(s -> byName.put(s.name(), s));
        if (given != null) {
            for (String name : given.keySet()) {
                if (!byName.containsKey(name)) {
                    throw new UserInputException(owner + ": unknown parameter '" + name + "'; known: "
                            + (byName.isEmpty() ? "none" : String.join(", ", byName.keySet())));
                }
            }
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (ParameterSpec s : specs) {
            Object v = given != null && given.get(s.name()) != null ? given.get(s.name()) : s.defaultValue();
            if (v != null) {
                values.put(s.name(), check(owner, s, v));
            }
        }
        return new Parameters(owner, values);
    }

    /** Whether the parameter has a value: given, or declared with a default. */
    public boolean isSet(String name) {
        return values.containsKey(name);
    }

    public int integer(String name) {
        return (Integer) get(name);
    }

    public double number(String name) {
        return (Double) get(name);
    }

    public boolean bool(String name) {
        return (Boolean) get(name);
    }

    /** A {@link ParameterSpec.Kind#STRING} or {@link ParameterSpec.Kind#CHOICE} value. */
    public String string(String name) {
        return (String) get(name);
    }

    /** A {@link ParameterSpec.Kind#CHOICES} value, in the order given. */
    @SuppressWarnings("unchecked")
    public List<String> choices(String name) {
        return (List<String>) get(name);
    }

    /** A cross-parameter constraint failed: a message in the same form as the resolver's own. */
    public UserInputException invalid(String name, String allowed) {
        return new UserInputException(owner + ": " + name + "=" + values.get(name) + " is out of range; allowed: "
                + allowed);
    }

    private Object get(String name) {
        if (!values.containsKey(name)) {
            throw new IllegalStateException(owner + " reads parameter '" + name + "' that it does not declare or set");
        }
        return values.get(name);
    }

    private static Object check(String owner, ParameterSpec s, Object v) {
        String prefix = owner + ": " + s.name();
        String allowed = "; allowed: " + s.allowed();
        switch (s.kind()) {
            case INT -> {
                double x = numeric(v);
                if (Double.isNaN(x) || !integral(v, x)) {
                    throw new UserInputException(prefix + "='" + v + "' is not an integer" + allowed);
                }
                if (!s.inRange(x)) {
                    throw new UserInputException(prefix + "=" + ParameterSpec.format(x) + " is out of range" + allowed);
                }
                return (int) x;
            }
            case NUMBER -> {
                double x = numeric(v);
                if (Double.isNaN(x) && !(v instanceof Number)) {
                    throw new UserInputException(prefix + "='" + v + "' is not a number" + allowed);
                }
                if (!s.inRange(x)) {
                    throw new UserInputException(prefix + "=" + ParameterSpec.format(x) + " is out of range" + allowed);
                }
                return x;
            }
            case BOOL -> {
                if (v instanceof Boolean b) {
                    return b;
                }
                throw new UserInputException(prefix + "='" + v + "' is not true or false" + allowed);
            }
            case STRING -> {
                if (v instanceof String text) {
                    return text;
                }
                throw new UserInputException(prefix + "='" + v + "' is not text" + allowed);
            }
            case CHOICE -> {
                String text = String.valueOf(v);
                if (!s.values().contains(text)) {
                    throw new UserInputException(prefix + "='" + text + "' is not known" + allowed);
                }
                return text;
            }
            case CHOICES -> {
                return choices(prefix, allowed, s, v);
            }
            default -> throw new IllegalStateException(s.kind().toString());
        }
    }

    private static List<String> choices(String prefix, String allowed, ParameterSpec s, Object v) {
        List<String> given = new ArrayList<>();
        if (v instanceof Collection<?> c) {
            c.forEach(x -> given.add(String.valueOf(x).trim()));
        } else {
            for (String part : String.valueOf(v).split(",", -1)) {
                given.add(part.trim());
            }
        }
        if (given.isEmpty() || given.stream().allMatch(String::isEmpty)) {
            throw new UserInputException(prefix + " is empty" + allowed);
        }
        for (String x : given) {
            if (!s.values().contains(x)) {
                throw new UserInputException(prefix + " has '" + x + "', which is not known" + allowed);
            }
        }
        if (new HashSet<>(given).size() != given.size()) {
            throw new UserInputException(prefix + " repeats a value in " + given + allowed);
        }
        return List.copyOf(given);
    }

    /**
     * The value as a double when it is a number; NaN otherwise. Text that looks like a number is not one:
     * run ids hash the values as given, so {@code "8"} and {@code 8} would name one setting twice.
     */
    private static double numeric(Object v) {
        return v instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    private static boolean integral(Object v, double x) {
        if (v instanceof Number n && !(v instanceof Double) && !(v instanceof Float)) {
            try {
                new BigDecimal(n.toString()).longValueExact();
                return true;
            } catch (ArithmeticException | NumberFormatException e) {
                return false;
            }
        }
        return Double.isFinite(x) && x == Math.rint(x);
    }
}
