package org.trickbench.core.search;

/**
 * A monotonic clock in nanoseconds, as {@link System#nanoTime()}: what a search measures its cost and
 * its time budget with. It is part of the {@link SearchContext} so that a test can advance time by hand
 * (one second per evaluation, say) and check that a budget stops a search at the right point without
 * sleeping or depending on how fast the machine is.
 */
@FunctionalInterface
public interface Ticker {
    Ticker SYSTEM = System::nanoTime;

    long nanos();

    /** Seconds since {@code startNanos}, a reading of this ticker. */
    default double secondsSince(long startNanos) {
        return (nanos() - startNanos) / 1e9;
    }
}
