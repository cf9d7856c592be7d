package org.trickbench.core.search;

import java.util.Locale;
import java.util.Objects;

/**
 * What a search spent and why it ended, recorded with every run so that two searches are compared at
 * the cost they really had. The seconds spent are the result's {@link SearchResult#wallSeconds()}.
 *
 * @param epochs supernet epochs trained; 0 for a black-box search
 * @param evaluations distinct candidates scored to choose the result: standalone proxy trainings for a
 *     black-box search, shared-weight scores for a one-shot search; 0 for a gradient search, whose
 *     per-epoch scores of its argmax only monitor it and choose nothing
 * @param stop what ended the search
 */
public record BudgetUse(int epochs, int evaluations, Stop stop) {
    public BudgetUse {
        if (epochs < 0 || evaluations < 0) {
            throw new IllegalArgumentException("negative budget use: " + epochs + " epochs, " + evaluations + " evaluations");
        }
        Objects.requireNonNull(stop, "stop");
    }

    /** Why a search ended. */
    public enum Stop {
        /** It did all it planned: every epoch, every evaluation of its budget, every generation. */
        COMPLETE,
        /** Its wall-clock budget ({@code seconds}) was spent first: it returned the best it had. */
        SECONDS,
        /** It could find no unscored candidate to spend the rest of its evaluations on. */
        STALLED,
        /** A training loss became NaN or infinite. */
        DIVERGED;

        /** The lower-case name the store and exports use. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
