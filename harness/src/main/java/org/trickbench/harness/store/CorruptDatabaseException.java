package org.trickbench.harness.store;

import java.nio.file.Path;
import java.util.regex.Pattern;
import org.trickbench.core.UserInputException;

/**
 * A results database SQLite cannot read: truncated, overwritten, or not an SQLite file at all. The
 * message is one line naming the file, SQLite's own reason and how to get the results back, so the
 * CLI prints it alone and exits 2.
 *
 * <p>The recovery is {@code .dump} piped into a new file: {@code .recover} finds more, but Debian 12's
 * {@code sqlite3} is built without the {@code sqlite_dbpage} table it needs and fails ("SQL logic
 * error"). {@code .dump} skips what it cannot read and then ends with {@code ROLLBACK; -- due to
 * errors}, which would undo every row it did write; the {@code sed} makes that last line a commit.
 */
public final class CorruptDatabaseException extends UserInputException {
    private static final long serialVersionUID = 1L;
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9._/+-]+");

    private final Path file;
    private final String reason;

    CorruptDatabaseException(Path file, String reason, String detail) {
        super(file + ": " + reason + (detail == null ? "" : " (" + detail + ")") + "; recover what SQLite can still read"
                + " with: sqlite3 " + shell(file) + " .dump | sed '$s/^ROLLBACK.*/COMMIT;/' | sqlite3 "
                + shell(recovered(file)) + " (\".recover\" in place of \".dump\" finds more where sqlite3 supports it), then use that file;"
                + " a merged database can instead be merged again from its shard files");
        this.file = file;
        this.reason = reason;
    }

    /** The unreadable file. */
    public Path file() {
        return file;
    }

    /** SQLite's reason, e.g. {@code database disk image is malformed} or {@code file is not a database}. */
    public String reason() {
        return reason;
    }

    /** {@code results.db} → {@code results-recovered.db}, next to the damaged file. */
    static Path recovered(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String recovered = dot > 0 ? name.substring(0, dot) + "-recovered" + name.substring(dot) : name + "-recovered.db";
        return file.resolveSibling(recovered);
    }

    private static String shell(Path p) {
        String s = p.toString();
        return PLAIN.matcher(s).matches() ? s : "'" + s.replace("'", "'\\''") + "'";
    }
}
