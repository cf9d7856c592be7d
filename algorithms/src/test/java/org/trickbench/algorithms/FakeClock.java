package org.trickbench.algorithms;

import org.trickbench.core.search.Ticker;

/** A clock that moves only when a test moves it, so time budgets are tested without sleeping. */
final class FakeClock implements Ticker {
    private long nanos;

    @Override
    public long nanos() {
        return nanos;
    }

    void advanceSeconds(double seconds) {
        nanos += Math.round(seconds * 1e9);
    }

    /** A clock that moves one second each time it is read: time passes whenever a search looks. */
    static Ticker ticking() {
        long[] now = {0};
        return () -> now[0] += 1_000_000_000L;
    }
}
