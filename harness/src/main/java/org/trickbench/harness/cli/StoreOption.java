package org.trickbench.harness.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --db}: shared by every command that reads or writes results. */
public final class StoreOption {
    @Option(names = "--db", paramLabel = "FILE", defaultValue = "results.db",
            description = "SQLite database of runs (default: ${DEFAULT-VALUE}; created if missing).")
    Path db;
}
