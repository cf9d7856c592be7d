package org.trickbench.harness.imports;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.trickbench.algorithms.RandomBaseline;
import org.trickbench.core.UserInputException;
import org.trickbench.harness.analysis.SpaceGenotypes;

/**
 * The results format {@code bench import} reads (docs/import.md): UTF-8 CSV (RFC 4180), a header row,
 * then one row per finished run. Every error names the file, the line, the column and what is allowed.
 */
public final class ResultsCsv {
    private ResultsCsv() {}

    public static final String ALGORITHM = "algorithm";
    public static final String DATASET = "dataset";
    public static final String SEED = "seed";
    public static final String ACCURACY = "accuracy";
    public static final String ACCURACY_PERCENT = "accuracy-percent";
    public static final String PROXY_SCORE = "proxy-score";
    public static final String SEARCH_SECONDS = "search-seconds";
    public static final String GENOTYPE = "genotype";
    /** The search space the genotype is of: {@code nb201} (the default) or {@code darts}. */
    public static final String SPACE = "space";
    /** A column named {@code trick:<id>} says whether that trick was on. */
    public static final String TRICK_PREFIX = "trick:";
    public static final List<String> COLUMNS = List.of(ALGORITHM, DATASET, SEED, ACCURACY, ACCURACY_PERCENT, PROXY_SCORE,
            SEARCH_SECONDS, GENOTYPE, SPACE, TRICK_PREFIX + "<id>");
    static final List<String> ON = List.of("1", "on", "true");
    static final List<String> OFF = List.of("0", "off", "false");
    /** Ids of algorithms, data sets and tricks: they become report labels and file-safe keys. */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final String ID_RULE = "a letter or digit, then letters, digits, '.', '_' or '-'";

    /** Reads and validates a file; nothing is returned unless every row is valid. */
    public static List<ImportedResult> read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (CharacterCodingException e) {
            throw new UserInputException(file + ": not UTF-8 text; save the CSV as UTF-8");
        } catch (IOException e) {
            throw new UserInputException(file + ": cannot read: " + e.getMessage());
        }
        return parse(text, file.toString());
    }

    /** Parses CSV text; {@code source} names it in errors. */
    public static List<ImportedResult> parse(String text, String source) {
        List<Csv.Record> records = Csv.parse(text, source);
        if (records.isEmpty()) {
            throw new UserInputException(source + ": the file is empty; the first line must be a header naming the"
                    + " columns (" + String.join(", ", COLUMNS) + ")");
        }
        Csv.Record header = records.get(0);
        Map<String, Integer> columns = columns(header, source);
        if (records.size() == 1) {
            throw new UserInputException(source + ": the header has no rows under it; add one row per run");
        }
        List<ImportedResult> results = new ArrayList<>();
        for (Csv.Record r : records.subList(1, records.size())) {
            if (r.fields().size() != header.fields().size()) {
                throw new UserInputException(source + " line " + r.line() + ": " + r.fields().size() + " field(s), but the"
                        + " header has " + header.fields().size() + "; quote a field that holds a comma");
            }
            results.add(row(new Row(source, r, columns)));
        }
        return results;
    }

    /** Column name → index, checked: no unknown or repeated names, every required one present. */
    private static Map<String, Integer> columns(Csv.Record header, String source) {
        Map<String, Integer> columns = new LinkedHashMap<>();
        for (int i = 0; i < header.fields().size(); i++) {
            String name = header.fields().get(i).strip();
            String where = source + " line " + header.line() + ", column " + (i + 1);
            if (name.startsWith(TRICK_PREFIX)) {
                String id = name.substring(TRICK_PREFIX.length());
                if (!ID.matcher(id).matches()) {
                    throw new UserInputException(where + ": trick column '" + name + "' needs an id after 'trick:' of "
                            + ID_RULE + ", e.g. trick:cutout");
                }
            } else if (!COLUMNS.contains(name)) {
                throw new UserInputException(where + ": unknown column '" + name + "'; allowed: "
                        + String.join(", ", COLUMNS) + " (names are lower case)");
            }
            if (columns.putIfAbsent(name, i) != null) {
                throw new UserInputException(where + ": column '" + name + "' appears twice");
            }
        }
        String where = source + " line " + header.line() + ": ";
        for (String required : List.of(ALGORITHM, DATASET, SEED)) {
            if (!columns.containsKey(required)) {
                throw new UserInputException(where + "the header lacks the required column '" + required
                        + "'; required: algorithm, dataset, seed and one of accuracy, accuracy-percent");
            }
        }
        if (columns.containsKey(ACCURACY) == columns.containsKey(ACCURACY_PERCENT)) {
            throw new UserInputException(where + "give exactly one of the columns 'accuracy' (a fraction in [0, 1]) and"
                    + " 'accuracy-percent' (in [0, 100])");
        }
        return columns;
    }

    private static ImportedResult row(Row row) {
        String algorithm = row.id(ALGORITHM);
        String dataset = row.id(DATASET);
        long seed = row.seed();
        double accuracy = row.columns.containsKey(ACCURACY) ? row.number(ACCURACY, 0, 1, false)
                : row.number(ACCURACY_PERCENT, 0, 100, false) / 100;
        Double proxy = row.optionalNumber(PROXY_SCORE, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
        Double searchSeconds = row.optionalNumber(SEARCH_SECONDS, 0, Double.POSITIVE_INFINITY);
        String space = row.space();
        String genotype = row.genotype(space);
        Map<String, Boolean> tricks = new LinkedHashMap<>();
        row.columns.forEach((name, index) -> {
            if (name.startsWith(TRICK_PREFIX)) {
                tricks.put(name.substring(TRICK_PREFIX.length()), row.trick(name));
            }
        });
        return new ImportedResult(algorithm, dataset, seed, tricks, accuracy, proxy, searchSeconds, genotype,
                row.record.line(), space);
    }

    /** One data row with the helpers that read and check its cells. */
    private record Row(String source, Csv.Record record, Map<String, Integer> columns) {
        String cell(String column) {
            Integer i = columns.get(column);
            return i == null ? "" : record.fields().get(i).strip();
        }

        UserInputException bad(String column, String message) {
            return new UserInputException(source + " line " + record.line() + ", column '" + column + "': " + message);
        }

        String id(String column) {
            String v = cell(column);
            if (!ID.matcher(v).matches()) {
                throw bad(column, (v.isEmpty() ? "empty" : "'" + v + "' is not allowed") + "; an id is " + ID_RULE
                        + (column.equals(ALGORITHM) ? " ('" + RandomBaseline.ID + "' marks the random baseline)" : ""));
            }
            return v;
        }

        long seed() {
            String v = cell(SEED);
            try {
                return Long.parseLong(v);
            } catch (NumberFormatException e) {
                throw bad(SEED, "'" + v + "' is not an integer seed; allowed: whole numbers such as 0, 1, 42");
            }
        }

        double number(String column, double low, double high, boolean optional) {
            String v = cell(column);
            double d;
            try {
                d = Double.parseDouble(v);
            } catch (NumberFormatException e) {
                throw bad(column, (v.isEmpty() ? "empty" : "'" + v + "' is not a number") + "; allowed: "
                        + range(column, low, high) + (optional ? ", or empty for none" : ""));
            }
            if (!Double.isFinite(d) || d < low || d > high) {
                String hint = column.equals(ACCURACY) && d > 1 && d <= 100
                        ? " (a percentage? name the column accuracy-percent)" : "";
                throw bad(column, v + " is out of range; allowed: " + range(column, low, high) + hint);
            }
            return d;
        }

        Double optionalNumber(String column, double low, double high) {
            return cell(column).isEmpty() ? null : number(column, low, high, true);
        }

        private static String range(String column, double low, double high) {
            if (Double.isInfinite(low)) {
                return "a finite number";
            }
            return Double.isInfinite(high) ? "a finite number >= " + fmt(low)
                    : "a number from " + fmt(low) + " to " + fmt(high);
        }

        private static String fmt(double v) {
            return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
        }

        boolean trick(String column) {
            String v = cell(column).toLowerCase(Locale.ROOT);
            if (ON.contains(v)) {
                return true;
            }
            if (OFF.contains(v)) {
                return false;
            }
            throw bad(column, (v.isEmpty() ? "empty" : "'" + cell(column) + "' is not a trick setting") + "; allowed: "
                    + String.join(", ", ON) + " (on) or " + String.join(", ", OFF) + " (off), in any case");
        }

        String space() {
            String v = cell(SPACE);
            if (v.isEmpty()) {
                return SpaceGenotypes.NB201;
            }
            if (!SpaceGenotypes.SPACES.contains(v)) {
                throw bad(SPACE, "'" + v + "' is not a search space; allowed: " + String.join(", ", SpaceGenotypes.SPACES)
                        + ", or empty for " + SpaceGenotypes.NB201);
            }
            return v;
        }

        /** The genotype in canonical form, read in the row's space's notation; null when the cell is empty. */
        String genotype(String space) {
            String v = cell(GENOTYPE);
            if (v.isEmpty()) {
                return null;
            }
            try {
                return SpaceGenotypes.canonical(space, v);
            } catch (RuntimeException e) {
                String hint = space.equals(SpaceGenotypes.NB201) && v.startsWith("Genotype")
                        ? " (a DARTS genotype? say so in a column space: darts)" : "";
                throw bad(GENOTYPE, e.getMessage() + "; allowed: " + SpaceGenotypes.notation(space)
                        + ", or empty for none" + hint);
            }
        }
    }
}
