package org.trickbench.harness.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Columns of text, each as wide as its widest cell: the tables of {@code bench show} and {@code bench diff}. */
final class TextTable {
    private final List<List<String>> rows = new ArrayList<>();

    /** Adds a row; numbers are formatted as {@link #cell} does, null as {@code -}. */
    TextTable row(Object... cells) {
        List<String> row = new ArrayList<>(cells.length);
        for (Object c : cells) {
            row.add(cell(c));
        }
        rows.add(row);
        return this;
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }

    /** Prints every row after {@code indent}, columns two spaces apart, without trailing blanks. */
    void print(PrintWriter w, String indent) {
        List<Integer> widths = new ArrayList<>();
        for (List<String> row : rows) {
            for (int i = 0; i < row.size(); i++) {
                if (i == widths.size()) {
                    widths.add(0);
                }
                widths.set(i, Math.max(widths.get(i), row.get(i).length()));
            }
        }
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder(indent);
            for (int i = 0; i < row.size(); i++) {
                line.append(row.get(i));
                if (i + 1 < row.size()) {
                    line.append(" ".repeat(widths.get(i) - row.get(i).length() + 2));
                }
            }
            w.println(line.toString().stripTrailing());
        }
    }

    /** A double with 4 decimals ({@code -} if NaN), a whole number with thousands separators, else its text. */
    static String cell(Object value) {
        if (value == null) {
            return "-";
        }
        if (value instanceof Double d) {
            return Double.isFinite(d) ? String.format(Locale.ROOT, "%.4f", d) : "-";
        }
        if (value instanceof Long || value instanceof Integer) {
            return String.format(Locale.ROOT, "%,d", value);
        }
        return value.toString();
    }
}
