package org.trickbench.algorithms;

import java.util.List;
import java.util.Map;
import org.trickbench.core.param.ParameterSpec;
import org.trickbench.core.param.Parameters;
import org.trickbench.core.run.AlgorithmSetting;
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
    static ParameterSpec parameter() {
        return ParameterSpec.number(PARAMETER, null, 0, true, Double.POSITIVE_INFINITY, false,
                "wall-clock budget of the search (unset or 0: none); when spent, no new evaluation,"
                        + " epoch or candidate starts and the best so far is returned").withUnit("s");
    }

    /** The budget a setting asks for, in seconds; 0 when it sets none. */
    static double read(AlgorithmSetting setting) {
        Parameters p = Parameters.resolve("algorithm '" + setting.id() + "'", List.of(parameter()),
                setting.params().get(PARAMETER) != null ? Map.of(PARAMETER, setting.params().get(PARAMETER)) : Map.of());
        return p.isSet(PARAMETER) ? p.number(PARAMETER) : 0;
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
