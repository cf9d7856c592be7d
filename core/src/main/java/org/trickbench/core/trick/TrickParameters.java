package org.trickbench.core.trick;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.trickbench.core.UserInputException;
import org.trickbench.core.search.AlgorithmParameter;

/**
 * A trick's parameters as given in a matrix file, resolved against the trick's declared parameters:
 * unknown names are rejected at once, missing ones take their defaults, and every read checks type
 * and range with a message that names the trick, the parameter and what is allowed.
 */
public final class TrickParameters {
    private final String trick;
    private final Map<String, Object> values = new HashMap<>();

    private TrickParameters(String trick) {
        this.trick = trick;
    }

    public static TrickParameters of(Trick trick, Map<String, Object> given) {
        TrickParameters p = new TrickParameters(trick.id());
        List<AlgorithmParameter> declared = trick.parameters();
        for (AlgorithmParameter d : declared) {
            p.values.put(d.name(), d.defaultValue());
        }
        if (given != null) {
            for (Map.Entry<String, Object> e : given.entrySet()) {
                if (!p.values.containsKey(e.getKey())) {
                    throw new UserInputException(trick.id() + ": unknown parameter '" + e.getKey() + "'; known: "
                            + (declared.isEmpty() ? "none" : String.join(", ",
                                    declared.stream().map(AlgorithmParameter::name).toList())));
                }
                p.values.put(e.getKey(), e.getValue());
            }
        }
        return p;
    }

    /**
     * A real parameter in a range; an infinite bound means none. E.g. {@code real("prob", 0, true, 1,
     * false)} accepts 0 &lt;= prob &lt; 1.
     */
    public double real(String name, double min, boolean minInclusive, double max, boolean maxInclusive) {
        Object v = raw(name);
        double x;
        if (v instanceof Number n) {
            x = n.doubleValue();
        } else {
            try {
                x = Double.parseDouble(String.valueOf(v).trim());
            } catch (NumberFormatException e) {
                throw new UserInputException(trick + ": " + name + "='" + v + "' is not a number; allowed: "
                        + range(name, min, minInclusive, max, maxInclusive));
            }
        }
        boolean below = minInclusive ? !(x >= min) : !(x > min);
        boolean above = maxInclusive ? !(x <= max) : !(x < max);
        if (below || above) {
            throw new UserInputException(trick + ": " + name + "=" + format(x) + " is out of range; allowed: "
                    + range(name, min, minInclusive, max, maxInclusive));
        }
        return x;
    }

    /** An integer parameter in [min, max]; {@link Integer#MAX_VALUE} as max means no upper bound. */
    public int integer(String name, int min, int max) {
        Object v = raw(name);
        double x;
        if (v instanceof Number n) {
            x = n.doubleValue();
        } else {
            try {
                x = Double.parseDouble(String.valueOf(v).trim());
            } catch (NumberFormatException e) {
                x = Double.NaN;
            }
        }
        String allowed = max == Integer.MAX_VALUE ? "integer " + name + " >= " + min
                : "integer " + min + " <= " + name + " <= " + max;
        if (Double.isNaN(x) || x != Math.rint(x)) {
            throw new UserInputException(trick + ": " + name + "='" + v + "' is not an integer; allowed: " + allowed);
        }
        if (x < min || x > max) {
            throw new UserInputException(trick + ": " + name + "=" + format(x) + " is out of range; allowed: " + allowed);
        }
        return (int) x;
    }

    /** A string parameter that must be one of {@code allowed}. */
    public String choice(String name, List<String> allowed) {
        String v = String.valueOf(raw(name));
        if (!allowed.contains(v)) {
            throw new UserInputException(trick + ": " + name + "='" + v + "' is not known; allowed: "
                    + String.join(", ", allowed));
        }
        return v;
    }

    /**
     * A non-empty list of distinct values from {@code allowed}, given as a list or as one comma-separated
     * string, in the order given.
     */
    public List<String> choices(String name, List<String> allowed) {
        Object v = raw(name);
        List<String> given = new ArrayList<>();
        if (v instanceof Collection<?> c) {
            c.forEach(x -> given.add(String.valueOf(x).trim()));
        } else {
            for (String part : String.valueOf(v).split(",", -1)) {
                given.add(part.trim());
            }
        }
        String allowedText = "a non-empty list of distinct values from " + String.join(", ", allowed);
        if (given.isEmpty() || given.stream().allMatch(String::isEmpty)) {
            throw new UserInputException(trick + ": " + name + " is empty; allowed: " + allowedText);
        }
        for (String x : given) {
            if (!allowed.contains(x)) {
                throw new UserInputException(trick + ": " + name + " has '" + x + "', which is not known; allowed: "
                        + allowedText);
            }
        }
        if (new HashSet<>(given).size() != given.size()) {
            throw new UserInputException(trick + ": " + name + " repeats a value in " + given + "; allowed: "
                    + allowedText);
        }
        return List.copyOf(given);
    }

    private Object raw(String name) {
        if (!values.containsKey(name)) {
            throw new IllegalStateException(trick + " reads parameter '" + name + "' that it does not declare");
        }
        return values.get(name);
    }

    private static String range(String name, double min, boolean minInclusive, double max, boolean maxInclusive) {
        boolean hasMin = min != Double.NEGATIVE_INFINITY;
        boolean hasMax = max != Double.POSITIVE_INFINITY;
        StringBuilder s = new StringBuilder();
        if (hasMin && hasMax) {
            s.append(format(min)).append(minInclusive ? " <= " : " < ").append(name)
                    .append(maxInclusive ? " <= " : " < ").append(format(max));
        } else if (hasMin) {
            s.append(name).append(minInclusive ? " >= " : " > ").append(format(min));
        } else if (hasMax) {
            s.append(name).append(maxInclusive ? " <= " : " < ").append(format(max));
        } else {
            s.append("any finite number");
        }
        return s.toString();
    }

    private static String format(double x) {
        return x == Math.rint(x) && Math.abs(x) < 1e15 ? Long.toString((long) x) : Double.toString(x);
    }
}
