package org.trickbench.harness.analysis;

import java.util.Objects;

/**
 * One term's estimated effect on accuracy, in accuracy points, with its uncertainty.
 *
 * @param term the trick's id, an interaction "a:b", or an algorithm's id
 * @param effect the estimate (see {@link TrickEffects} for what it measures for each kind of term)
 * @param standardError its OLS standard error
 * @param ciLow lower end of the 95% t interval, with the fit's residual degrees of freedom
 * @param ciHigh upper end of that interval
 * @param pValue two-sided t-test p-value of "no effect"
 * @param holmP the p-value Holm-adjusted across the term's family
 * @param bootstrapLow 2.5th percentile of the effect over seed-bootstrap refits; NaN without resamples
 * @param bootstrapHigh 97.5th percentile of the same
 */
public record EffectEstimate(String term, double effect, double standardError, double ciLow, double ciHigh,
        double pValue, double holmP, double bootstrapLow, double bootstrapHigh) {
    public EffectEstimate {
        Objects.requireNonNull(term, "term");
    }

    /** Whether the 95% t interval contains the value. */
    public boolean ciCovers(double value) {
        return ciLow <= value && value <= ciHigh;
    }

    /** Whether the seed-bootstrap interval contains the value. */
    public boolean bootstrapCovers(double value) {
        return bootstrapLow <= value && value <= bootstrapHigh;
    }
}
