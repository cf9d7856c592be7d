package org.trickbench.harness.imports;

import java.util.ArrayList;
import java.util.List;
import org.trickbench.core.UserInputException;

/**
 * Comma-separated records as RFC 4180 defines them: a field may be quoted, a quoted field may hold
 * commas, line breaks and doubled quotes. Each record keeps the line it starts on, so an error can
 * name it. Lines may end in CRLF, LF or CR; a leading byte-order mark and blank lines are ignored.
 * Written here because a few dozen lines do not justify a dependency.
 */
final class Csv {
    private Csv() {}

    /** One record: the 1-based line it starts on and its fields, unquoted. */
    record Record(int line, List<String> fields) {
        Record {
            fields = List.copyOf(fields);
        }
    }

    /**
     * The records of the text.
     *
     * @param source the file name errors start with
     * @throws UserInputException on a quote that is not closed, or text after a closing quote
     */
    static List<Record> parse(String text, String source) {
        String s = text.startsWith("\uFEFF") ? text.substring(1) : text;
        List<Record> records = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        int line = 1;
        int recordLine = 1;
        int i = 0;
        boolean quoted = false;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < s.length() && s.charAt(i + 1) == '"') {
                        field.append('"');
                        i += 2;
                        continue;
                    }
                    quoted = false;
                    i++;
                    if (i < s.length() && ",\r\n".indexOf(s.charAt(i)) < 0) {
                        throw new UserInputException(source + " line " + line + ": text after the closing quote of a"
                                + " field; a quoted field ends at its quote (write a quote inside it as \"\")");
                    }
                    continue;
                }
                if (c == '\n' || c == '\r' && !(i + 1 < s.length() && s.charAt(i + 1) == '\n')) {
                    line++;
                }
                field.append(c);
                i++;
                continue;
            }
            if (c == '"' && field.isEmpty()) {
                quoted = true;
                i++;
            } else if (c == '"') {
                throw new UserInputException(source + " line " + line + ": a quote inside an unquoted field; quote the"
                        + " whole field and double the quote, as RFC 4180 does (\"a \"\"b\"\"\")");
            } else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
                i++;
            } else if (c == '\r' || c == '\n') {
                fields.add(field.toString());
                field.setLength(0);
                add(records, recordLine, fields);
                fields = new ArrayList<>();
                i += c == '\r' && i + 1 < s.length() && s.charAt(i + 1) == '\n' ? 2 : 1;
                line++;
                recordLine = line;
            } else {
                field.append(c);
                i++;
            }
        }
        if (quoted) {
            throw new UserInputException(source + " line " + recordLine + ": a quoted field is not closed before the end"
                    + " of the file");
        }
        if (!field.isEmpty() || !fields.isEmpty()) {
            fields.add(field.toString());
            add(records, recordLine, fields);
        }
        return records;
    }

    private static void add(List<Record> records, int line, List<String> fields) {
        boolean blank = fields.size() == 1 && fields.get(0).isBlank();
        if (!blank) {
            records.add(new Record(line, fields));
        }
    }
}
