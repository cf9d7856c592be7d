package org.trickbench.algorithms;

import java.math.BigDecimal;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.trickbench.core.UserInputException;
import org.trickbench.core.run.AlgorithmSetting;
import org.trickbench.core.search.AlgorithmParameter;
import org.trickbench.core.search.SearchAlgorithm;

/**
 * Reads an algorithm's integer parameters from its setting. Defaults come from the algorithm's own
 * {@link SearchAlgorithm#parameters()}, so {@code bench list} and the search cannot disagree. A
 * misspelt name or a non-integer value is an error rather than a silent fall-back to the default:
 * a run that quietly used the default budget would be recorded as if it had used the one asked for.
 */
final class IntParameters {
    private IntParameters() {}

    static void rejectUnknown(SearchAlgorithm algorithm, AlgorithmSetting setting) {
        Set<String> known = new TreeSet<>();
        for (AlgorithmParameter p : algorithm.parameters()) {
            known.add(p.name());
        }
        for (String name : setting.params().keySet()) {
            if (!known.contains(name)) {
                throw new UserInputException("algorithm '" + algorithm.id() + "' has no parameter '" + name
                        + "'; known: " + String.join(", ", known));
            }
        }
    }

    /** The parameter's value, or its declared default, checked to lie in {@code min..max}. */
    static int read(SearchAlgorithm algorithm, AlgorithmSetting setting, String name, int min, int max,
            String rangeNote) {
        Object raw = setting.params().get(name);
        if (raw == null) {
            raw = declaredDefault(algorithm, name);
        }
        long value = integral(algorithm, name, raw);
        if (value < min || value > max) {
            throw new UserInputException("algorithm '" + algorithm.id() + "': parameter '" + name + "' = " + raw
                    + " is out of range; allowed: " + min + ".." + max + (rangeNote.isEmpty() ? "" : " " + rangeNote));
        }
        return (int) value;
    }

    private static Object declaredDefault(SearchAlgorithm algorithm, String name) {
        List<AlgorithmParameter> declared = algorithm.parameters();
        for (AlgorithmParameter p : declared) {
            if (p.name().equals(name)) {
                return p.defaultValue();
            }
        }
        throw new IllegalStateException("algorithm '" + algorithm.id() + "' reads undeclared parameter '" + name + "'");
    }

    private static long integral(SearchAlgorithm algorithm, String name, Object raw) {
        if (raw instanceof Number n) {
            try {
                return new BigDecimal(n.toString()).longValueExact();
            } catch (ArithmeticException | NumberFormatException e) {
                // falls through to the message below: 2.5, NaN or a value beyond long
            }
        }
        throw new UserInputException("algorithm '" + algorithm.id() + "': parameter '" + name + "' must be an integer, got '"
                + raw + "'");
    }
}
