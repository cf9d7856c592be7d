package org.trickbench.harness.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import org.trickbench.core.UserInputException;
import org.trickbench.harness.store.Store;
import picocli.CommandLine.Option;

/** {@code --db}: shared by every command that reads or writes results. */
public final class StoreOption {
    @Option(names = "--db", paramLabel = "FILE", defaultValue = "results.db",
            description = "SQLite database of runs (default: ${DEFAULT-VALUE}; created if missing).")
    Path db;

    /** Opens the database for reading what is stored; a missing file is a user error, not a new database. */
    Store openExisting() {
        if (!Files.isRegularFile(db)) {
            throw new UserInputException("--db " + db + ": no such database");
        }
        return Store.open(db);
    }
}
