package org.trickbench.harness.design;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.trickbench.core.UserInputException;

/**
 * The two-level designs a matrix can cross its tricks with. Factor letters A, B, C, … stand for the
 * tricks in the order the matrix lists them.
 *
 * <p>Fractional factorials use the standard generators of the NIST/SEMATECH e-Handbook of Statistical
 * Methods, §5.3.3.4.7 (after Box, Hunter &amp; Hunter, Statistics for Experimenters, 2005, table 6.22):
 * the first k−p factors form a full factorial and each further factor is the product of the base
 * columns its generator names. The resolution and the aliases are computed from the defining relation,
 * not copied, so a wrong generator would show as a wrong resolution in the tests.
 */
public final class Designs {
    public static final List<String> TYPES =
            List.of("baseline", "one-at-a-time", "leave-one-out", "ablation", "full-factorial", "fractional-factorial",
                    "explicit");

    /** Generators by (k, p): the added factors' words over the base letters. */
    private static final Map<String, String[]> GENERATORS = new LinkedHashMap<>();

    static {
        gen(3, 1, "AB");
        gen(4, 1, "ABC");
        gen(5, 1, "ABCD");
        gen(5, 2, "AB", "AC");
        gen(6, 1, "ABCDE");
        gen(6, 2, "ABC", "BCD");
        gen(6, 3, "AB", "AC", "BC");
        gen(7, 1, "ABCDEF");
        gen(7, 2, "ABCD", "ABDE");
        gen(7, 3, "ABC", "BCD", "ACD");
        gen(7, 4, "AB", "AC", "BC", "ABC");
        gen(8, 2, "ABCD", "ABEF");
        gen(8, 3, "ABC", "ABD", "BCDE");
        gen(8, 4, "BCD", "ACD", "ABC", "ABD");
        gen(9, 2, "ACDFG", "BCEFG");
        gen(9, 3, "ABCD", "ACEF", "CDEF");
        gen(9, 4, "BCDE", "ACDE", "ABDE", "ABCE");
        gen(9, 5, "ABC", "ABD", "ACD", "BCD", "ABCD");
        gen(10, 3, "ABCG", "BCDE", "ACDF");
        gen(10, 4, "BCDF", "ACDF", "ABDE", "ABCE");
        gen(10, 5, "ABCD", "ABCE", "ABDE", "ACDE", "BCDE");
        gen(10, 6, "ABC", "BCD", "ACD", "ABD", "ABCD", "AB");
        gen(11, 4, "ABCG", "BCDE", "ACDF", "ABCDEFG");
        gen(11, 5, "CDE", "ABCD", "ABF", "BDEF", "ADEF");
        gen(11, 6, "ABC", "BCD", "CDE", "ACD", "ADE", "BDE");
        gen(11, 7, "ABC", "BCD", "ACD", "ABD", "ABCD", "AB", "AC");
    }

    private Designs() {}

    private static void gen(int k, int p, String... words) {
        GENERATORS.put(k + "/" + p, words);
    }

    /** The single untricked configuration. */
    public static Design baseline(List<String> factors) {
        int[] off = new int[factors.size()];
        Arrays.fill(off, -1);
        return new Design("baseline", factors, List.of(off), 0, List.of(), List.of());
    }

    /** The base (all off) and each factor alone on top of it: k + 1 rows. */
    public static Design oneAtATime(List<String> factors) {
        List<int[]> rows = new ArrayList<>();
        rows.add(baseline(factors).rows().get(0));
        for (int f = 0; f < factors.size(); f++) {
            int[] row = baseline(factors).rows().get(0);
            row[f] = 1;
            rows.add(row);
        }
        return new Design("one-at-a-time", factors, rows, 0, List.of(), List.of());
    }

    /** All factors on, and each removed in turn: k + 1 rows. */
    public static Design leaveOneOut(List<String> factors) {
        List<int[]> rows = new ArrayList<>();
        int[] all = new int[factors.size()];
        Arrays.fill(all, 1);
        rows.add(all);
        for (int f = 0; f < factors.size(); f++) {
            int[] row = all.clone();
            row[f] = -1;
            rows.add(row);
        }
        return new Design("leave-one-out", factors, rows, 0, List.of(), List.of());
    }

    /**
     * The ablation of DESIGN.md: each trick alone over the base (one-at-a-time) and each removed from
     * all-on (leave-one-out), 2k + 2 rows. Gains measured both ways show interactions a single
     * direction hides.
     */
    public static Design ablation(List<String> factors) {
        List<int[]> rows = new ArrayList<>(oneAtATime(factors).rows());
        rows.addAll(leaveOneOut(factors).rows());
        return new Design("ablation", factors, rows, 0, List.of(), List.of());
    }

    /** Every combination: 2^k rows in standard (Yates) order, factor A changing fastest. */
    public static Design fullFactorial(List<String> factors) {
        requireFactors(factors, 1, 12, "full-factorial");
        return new Design("full-factorial", factors, yates(factors.size()), Integer.MAX_VALUE, List.of(), List.of());
    }

    /**
     * A 2^(k−p) fraction with the standard generators. Throws a user error naming the (k, p) pairs on
     * offer when the table has none for this one.
     */
    public static Design fractionalFactorial(List<String> factors, int p) {
        int k = factors.size();
        if (p == 0) {
            return fullFactorial(factors);
        }
        String[] words = GENERATORS.get(k + "/" + p);
        if (words == null) {
            throw new UserInputException("design fractional-factorial: no standard 2^(k-p) generators for k=" + k
                    + " tricks and fraction p=" + p + "; available (k/p): " + String.join(", ", GENERATORS.keySet()));
        }
        int base = k - p;
        List<int[]> baseRows = yates(base);
        List<int[]> rows = new ArrayList<>();
        for (int[] b : baseRows) {
            int[] row = Arrays.copyOf(b, k);
            for (int g = 0; g < p; g++) {
                int v = 1;
                for (char c : words[g].toCharArray()) {
                    v *= b[c - 'A'];
                }
                row[base + g] = v;
            }
            rows.add(row);
        }
        List<Integer> generatorMasks = new ArrayList<>();
        for (int g = 0; g < p; g++) {
            generatorMasks.add(mask(words[g]) | 1 << (base + g));
        }
        List<Integer> relation = definingRelation(generatorMasks);
        int resolution = relation.stream().mapToInt(Integer::bitCount).min().orElse(Integer.MAX_VALUE);
        List<String> relationWords = relation.stream().map(m -> word(m)).toList();
        return new Design("fractional-factorial", factors, rows, resolution, relationWords, aliases(k, relation));
    }

    /** The table's (k, p) pairs, for help and errors. */
    public static List<String> availableFractions() {
        return List.copyOf(GENERATORS.keySet());
    }

    /** The smallest standard fraction with at least the given resolution for k factors, or p=0. */
    public static int smallestFractionWithResolution(int k, int resolution) {
        int best = 0;
        for (int p = 1; p < k; p++) {
            if (GENERATORS.containsKey(k + "/" + p)
                    && fractionalFactorial(placeholders(k), p).resolution() >= resolution) {
                best = p;
            }
        }
        return best;
    }

    /** Rows listed by hand, each a set of factors that are on. */
    public static Design explicit(List<String> factors, List<List<String>> onSets) {
        List<int[]> rows = new ArrayList<>();
        for (List<String> on : onSets) {
            int[] row = new int[factors.size()];
            Arrays.fill(row, -1);
            for (String name : on) {
                int f = factors.indexOf(name);
                if (f < 0) {
                    throw new UserInputException("design explicit: row names trick '" + name
                            + "' which the matrix does not list; listed: " + String.join(", ", factors));
                }
                row[f] = 1;
            }
            rows.add(row);
        }
        if (rows.isEmpty()) {
            throw new UserInputException("design explicit: needs at least one row (a list of trick ids, [] for the base)");
        }
        return new Design("explicit", factors, rows, 0, List.of(), List.of());
    }

    private static List<String> placeholders(int k) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            names.add(String.valueOf((char) ('A' + i)));
        }
        return names;
    }

    private static void requireFactors(List<String> factors, int min, int max, String type) {
        if (factors.size() < min || factors.size() > max) {
            throw new UserInputException("design " + type + ": needs " + min + " to " + max + " tricks, got " + factors.size());
        }
    }

    /** 2^n rows of ±1, the first column alternating fastest. */
    static List<int[]> yates(int n) {
        List<int[]> rows = new ArrayList<>();
        for (int i = 0; i < 1 << n; i++) {
            int[] row = new int[n];
            for (int j = 0; j < n; j++) {
                row[j] = (i >> j & 1) == 1 ? 1 : -1;
            }
            rows.add(row);
        }
        return rows;
    }

    private static int mask(String word) {
        int m = 0;
        for (char c : word.toCharArray()) {
            m |= 1 << (c - 'A');
        }
        return m;
    }

    private static String word(int mask) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 31; i++) {
            if ((mask >> i & 1) == 1) {
                sb.append((char) ('A' + i));
            }
        }
        return sb.toString();
    }

    /** All non-empty products of the generator words (multiplication of words is XOR of letter sets). */
    private static List<Integer> definingRelation(List<Integer> generators) {
        TreeSet<Integer> words = new TreeSet<>((a, b) -> a.equals(b) ? 0
                : Integer.bitCount(a) != Integer.bitCount(b) ? Integer.compare(Integer.bitCount(a), Integer.bitCount(b))
                : Integer.compare(a, b));
        for (int subset = 1; subset < 1 << generators.size(); subset++) {
            int m = 0;
            for (int g = 0; g < generators.size(); g++) {
                if ((subset >> g & 1) == 1) {
                    m ^= generators.get(g);
                }
            }
            words.add(m);
        }
        return new ArrayList<>(words);
    }

    /** Each alias group of main effects and two-factor interactions, once, to order 2 ("A = BCD" left out). */
    private static List<String> aliases(int k, List<Integer> relation) {
        List<String> out = new ArrayList<>();
        List<Integer> effects = new ArrayList<>();
        for (int a = 0; a < k; a++) {
            effects.add(1 << a);
        }
        for (int a = 0; a < k; a++) {
            for (int b = a + 1; b < k; b++) {
                effects.add(1 << a | 1 << b);
            }
        }
        java.util.Set<Integer> listed = new java.util.HashSet<>();
        for (int e : effects) {
            if (listed.contains(e)) {
                continue; // already shown in the group of an earlier effect
            }
            List<String> with = new ArrayList<>();
            for (int w : relation) {
                int alias = e ^ w;
                if (Integer.bitCount(alias) <= 2) {
                    with.add(word(alias));
                    listed.add(alias);
                }
            }
            if (!with.isEmpty()) {
                out.add(word(e) + " = " + String.join(" = ", with));
            }
        }
        return out;
    }
}
