package org.trickbench.algorithms;

import org.trickbench.core.UserInputException;
import org.trickbench.core.run.AlgorithmSetting;
import org.trickbench.core.search.AlgorithmParameter;
import org.trickbench.core.search.Ticker;

/**
 * The wall-clock budget of one search, its {@code seconds} parameter, on the search context's clock.
 * It is checked only between units of work: a black-box search starts no new evaluation once it is
 * spent, a supernet search starts no new epoch, and a one-shot search scores no new candidate. The unit
 * under way always finishes, so a search overruns by at most one evaluation or one epoch (plus the
 * scoring of its choice), and every search scores at least one candidate, so it always has an answer.
 * Unset or 0 means no time budget.
 */
final class TimeBudget {
    static final String PARAMETER = "seconds";

    private final Ticker clock;
    private final long startNanos;
    private final double limitSeconds;

    private TimeBudget(Ticker clock, double limitSeconds) {
        this.clock = clock;
        this.startNanos = clock.nanos();
        this.limitSeconds = limitSeconds;
    }

    /**
     * The parameter every algorithm declares. Its default is unset rather than 0 so that a run without a
     * time budget keeps the id it had before algorithms took one.
     */
    static AlgorithmParameter parameter() {
        return new AlgorithmParameter(PARAMETER, "double", null,
                "wall-clock budget of the search in seconds (unset or 0: none); when spent, no new evaluation,"
                        + " epoch or candidate starts and the best so far is returned");
    }

    /** The budget a setting asks for, in seconds; 0 when it sets none. */
    static double read(AlgorithmSetting setting) {
        Object raw = setting.params().get(PARAMETER);
        if (raw == null) {
            return 0;
        }
        if (raw instanceof Number n && Double.isFinite(n.doubleValue()) && n.doubleValue() >= 0) {
            return n.doubleValue();
        }
        throw new UserInputException("algorithm '" + setting.id() + "': parameter '" + PARAMETER
                + "' must be a number of seconds >= 0 (0: no time budget), got '" + raw + "'");
    }

    /** Starts the setting's budget on {@code clock} now. */
    static TimeBudget start(AlgorithmSetting setting, Ticker clock) {
        return new TimeBudget(clock, read(setting));
    }

    /** No time budget, on the system clock: for searches driven directly by tests. */
    static TimeBudget none() {
        return new TimeBudget(Ticker.SYSTEM, 0);
    }

    /** Whether the budget is set and spent: no new unit of work may start. */
    boolean spent() {
        return limitSeconds > 0 && seconds() >= limitSeconds;
    }

    /** Seconds since the start. */
    double seconds() {
        return clock.secondsSince(startNanos);
    }

    Ticker clock() {
        return clock;
    }
}
