package org.trickbench.core.param;

import java.util.List;
import java.util.Objects;

/**
 * One parameter a trick or search algorithm accepts, as matrix files name it: its kind, default, allowed
 * range or values, unit and meaning. {@link Parameters#resolve} checks a matrix's values against these,
 * {@code bench list} prints them and docs/tricks.md's parameter tables are generated from them, so the
 * range a run enforces and the one a reader sees are the same declaration.
 *
 * @param kind what values are allowed
 * @param defaultValue the value a run uses when its matrix does not set one, written into the run's id as
 *     given here (an {@code Integer} stays one); null only for a parameter that is off unless set (an
 *     algorithm's {@code seconds} budget) or must be set ({@code fixed}'s genotype)
 * @param min lower bound of an {@link Kind#INT} or {@link Kind#NUMBER}; {@code -Infinity} for none
 * @param minInclusive whether {@code min} itself is allowed
 * @param max upper bound; {@code +Infinity} for none
 * @param maxInclusive whether {@code max} itself is allowed
 * @param values the allowed values of a {@link Kind#CHOICE} or {@link Kind#CHOICES}; empty otherwise
 * @param unit what a number counts (e.g. {@code epochs}, {@code s}); empty when it has none
 * @param help one line on what the parameter means
 */
public record ParameterSpec(String name, Kind kind, Object defaultValue, double min, boolean minInclusive,
        double max, boolean maxInclusive, List<String> values, String unit, String help) {

    /** What values a parameter takes. */
    public enum Kind {
        /** A whole number in a range. */
        INT("int"),
        /** A finite real number in a range. */
        NUMBER("double"),
        /** {@code true} or {@code false}. */
        BOOL("boolean"),
        /** Any text; its owner parses it. */
        STRING("string"),
        /** One of a fixed list of words. */
        CHOICE("string"),
        /** A non-empty list of distinct words from a fixed list, as a list or one comma-separated string. */
        CHOICES("list");

        private final String word;

        Kind(String word) {
            this.word = word;
        }

        /** The type as {@code bench list} prints it. */
        public String word() {
            return word;
        }
    }

    public ParameterSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        values = List.copyOf(values);
        unit = unit == null ? "" : unit;
        help = help == null ? "" : help;
    }

    /** An integer parameter in [min, max]; {@link Integer#MAX_VALUE} as max means no upper bound. */
    public static ParameterSpec integer(String name, Integer defaultValue, int min, int max, String help) {
        return new ParameterSpec(name, Kind.INT, defaultValue, min, true,
                max == Integer.MAX_VALUE ? Double.POSITIVE_INFINITY : max, true, List.of(), "", help);
    }

    /**
     * A real parameter in a range; an infinite bound means none. E.g. {@code number("prob", 0.2, 0, true, 1,
     * false, ...)} accepts 0 &lt;= prob &lt; 1.
     */
    public static ParameterSpec number(String name, Number defaultValue, double min, boolean minInclusive, double max,
            boolean maxInclusive, String help) {
        return new ParameterSpec(name, Kind.NUMBER, defaultValue, min, minInclusive, max, maxInclusive, List.of(), "",
                help);
    }

    /** {@code true} or {@code false}. */
    public static ParameterSpec bool(String name, boolean defaultValue, String help) {
        return new ParameterSpec(name, Kind.BOOL, defaultValue, Double.NaN, true, Double.NaN, true, List.of(), "",
                help);
    }

    /** Free text, parsed by its owner (e.g. a genotype string). */
    public static ParameterSpec string(String name, String defaultValue, String help) {
        return new ParameterSpec(name, Kind.STRING, defaultValue, Double.NaN, true, Double.NaN, true, List.of(), "",
                help);
    }

    /** One of {@code values}. */
    public static ParameterSpec choice(String name, String defaultValue, List<String> values, String help) {
        return new ParameterSpec(name, Kind.CHOICE, defaultValue, Double.NaN, true, Double.NaN, true, values, "",
                help);
    }

    /** A non-empty list of distinct values from {@code values}. */
    public static ParameterSpec choices(String name, Object defaultValue, List<String> values, String help) {
        return new ParameterSpec(name, Kind.CHOICES, defaultValue, Double.NaN, true, Double.NaN, true, values, "",
                help);
    }

    /**
     * This integer parameter with its upper bound lowered to {@code bound} (a budget bounded by the size
     * of a search space); itself when {@code bound} does not lower it or exceeds what an int holds.
     */
    public ParameterSpec atMost(long bound) {
        if (kind != Kind.INT || bound >= Integer.MAX_VALUE || bound >= max) {
            return this;
        }
        return new ParameterSpec(name, kind, defaultValue, min, minInclusive, bound, true, values, unit, help);
    }

    /** This parameter with a unit, e.g. {@code epochs}. */
    public ParameterSpec withUnit(String unit) {
        return new ParameterSpec(name, kind, defaultValue, min, minInclusive, max, maxInclusive, values, unit, help);
    }

    /** The type word {@code bench list} prints: {@code int}, {@code double}, {@code boolean}, {@code string} or {@code list}. */
    public String type() {
        return kind.word();
    }

    /** What is allowed, as error messages and {@code bench list} say it, e.g. {@code 0 <= prob < 1}. */
    public String allowed() {
        return switch (kind) {
            case INT -> "integer " + range();
            case NUMBER -> range();
            case BOOL -> "true or false";
            case STRING -> "text";
            case CHOICE -> String.join(", ", values);
            case CHOICES -> "a non-empty list of distinct values from " + String.join(", ", values);
        };
    }

    /** The allowed values without the type, for tables: {@code 0 <= prob < 1}, {@code one of cifar10}. */
    public String constraint() {
        return switch (kind) {
            case INT, NUMBER -> range();
            case CHOICE -> "one of " + String.join(", ", values);
            default -> allowed();
        };
    }

    /** The default as {@code bench list} and the docs print it; {@code unset} when there is none. */
    public String defaultText() {
        if (defaultValue == null) {
            return "unset";
        }
        return defaultValue instanceof List<?> l ? String.join(",", l.stream().map(String::valueOf).toList())
                : String.valueOf(defaultValue);
    }

    /** One line for {@code bench list}: name, type, range, default, unit and meaning. */
    public String summary() {
        return name + " (" + type() + ", " + constraint() + ", default " + defaultText()
                + (unit.isEmpty() ? "" : ", in " + unit) + "): " + help;
    }

    private String range() {
        boolean hasMin = min != Double.NEGATIVE_INFINITY;
        boolean hasMax = max != Double.POSITIVE_INFINITY;
        if (hasMin && hasMax) {
            return format(min) + (minInclusive ? " <= " : " < ") + name + (maxInclusive ? " <= " : " < ") + format(max);
        } else if (hasMin) {
            return name + (minInclusive ? " >= " : " > ") + format(min);
        } else if (hasMax) {
            return name + (maxInclusive ? " <= " : " < ") + format(max);
        }
        return kind == Kind.INT ? "any" : "any finite number";
    }

    /** Whether {@code x} lies in the range. */
    boolean inRange(double x) {
        boolean below = minInclusive ? !(x >= min) : !(x > min);
        boolean above = maxInclusive ? !(x <= max) : !(x < max);
        return Double.isFinite(x) && !below && !above;
    }

    static String format(double x) {
        return x == Math.rint(x) && Math.abs(x) < 1e15 ? Long.toString((long) x) : Double.toString(x);
    }
}
