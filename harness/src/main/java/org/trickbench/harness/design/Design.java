package org.trickbench.harness.design;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A two-level experimental design over k factors (tricks): each row switches every factor on (+1) or
 * off (−1). Besides its rows, a design knows its resolution and, for a fractional factorial, its
 * defining relation and alias structure, which the report needs to say what it can attribute.
 *
 * @param type design name, e.g. {@code one-at-a-time} or {@code fractional-factorial}
 * @param factors factor names, in column order
 * @param rows each row has one ±1 entry per factor
 * @param resolution the design's resolution (Box & Hunter 1961): 0 when main effects are not all
 *     estimable free of one another (one-at-a-time, leave-one-out), {@link Integer#MAX_VALUE} for a full
 *     factorial
 * @param definingRelation words of the defining relation (e.g. {@code I = ABCD}), empty if none
 * @param aliases for each main effect and two-factor interaction, what it is aliased with (up to
 *     two-factor interactions); empty for full and one-factor designs
 */
public record Design(String type, List<String> factors, List<int[]> rows, int resolution,
        List<String> definingRelation, List<String> aliases) {

    public Design {
        Objects.requireNonNull(type, "type");
        factors = List.copyOf(factors);
        List<int[]> copy = new ArrayList<>();
        for (int[] row : rows) {
            if (row.length != factors.size()) {
                throw new IllegalArgumentException("row of " + row.length + " entries for " + factors.size() + " factors");
            }
            for (int v : row) {
                if (v != 1 && v != -1) {
                    throw new IllegalArgumentException("design entries are ±1, got " + v);
                }
            }
            copy.add(row.clone());
        }
        rows = List.copyOf(copy);
        definingRelation = List.copyOf(definingRelation);
        aliases = List.copyOf(aliases);
    }

    public int runs() {
        return rows.size();
    }

    /** Whether factor {@code f} is on in row {@code r}. */
    public boolean on(int r, int f) {
        return rows.get(r)[f] == 1;
    }

    /** Resolution as a Roman numeral (III, IV, V, …), "full" or "none", as designs are usually quoted. */
    public String resolutionName() {
        if (resolution == Integer.MAX_VALUE) {
            return "full";
        }
        if (resolution == 0) {
            return "none (main effects only, not orthogonal)";
        }
        String[] roman = {"", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"};
        return resolution < roman.length ? roman[resolution] : Integer.toString(resolution);
    }
}
