package org.trickbench.harness.store;

import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Where a run stands, as {@code runs.status} stores it; an evaluation ({@code evaluations.status}) is done
 * or diverged. The stored words are the database's format: every file written so far holds them, and the
 * schema's CHECK constraint on runs admits exactly these.
 */
public enum RunStatus {
    PENDING("pending"),
    RUNNING("running"),
    DONE("done"),
    DIVERGED("diverged"),
    OUT_OF_MEMORY("out-of-memory"),
    ERROR("error"),
    INTERRUPTED("interrupted"),
    SKIPPED("skipped");

    /** The failures: a retry ({@code --retry-failed}) puts them back to pending. */
    public static final Set<RunStatus> FAILED = EnumSet.of(DIVERGED, OUT_OF_MEMORY, ERROR);

    private final String stored;

    RunStatus(String stored) {
        this.stored = stored;
    }

    /** The word the database stores. */
    public String stored() {
        return stored;
    }

    /** The status a stored word names. */
    public static RunStatus of(String stored) {
        for (RunStatus s : values()) {
            if (s.stored.equals(stored)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown run status '" + stored + "'");
    }

    /** Whether the stored word names this status. */
    public boolean is(String stored) {
        return this.stored.equals(stored);
    }

    /** The stored words as an SQL list, {@code ('diverged','out-of-memory','error')}. */
    static String sqlList(Set<RunStatus> statuses) {
        return statuses.stream().map(s -> "'" + s.stored + "'").collect(Collectors.joining(",", "(", ")"));
    }

    @Override
    public String toString() {
        return stored;
    }
}
