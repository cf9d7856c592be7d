package org.trickbench.harness.analysis;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.stat.regression.OLSMultipleLinearRegression;
import org.trickbench.harness.analysis.LinearModel.Term;

/**
 * Trick effects from a two-level design: the OLS fit accuracy ~ algorithm + Σ tricks (+ Σ two-way
 * trick interactions), one data set at a time.
 *
 * <p>Coding and what each estimate means:
 * <ul>
 * <li>A trick column is −1 when the trick is off and +1 when it is on, so its coefficient β is half
 *     the change from off to on. The reported effect is <b>on − off = 2β</b>, in accuracy points,
 *     averaged over the other tricks' levels and over algorithms; its standard error and interval
 *     are those of β doubled.
 * <li>An interaction column a:b is the product of the two ±1 columns and is reported the same way,
 *     2β: half the difference between a's effect with b on and a's effect with b off (the classical
 *     factorial interaction effect, Box, Hunter & Hunter 2005, ch. 5).
 * <li>The algorithm is a categorical factor, dummy-coded with the first algorithm in sorted order as
 *     the reference; each other algorithm's effect is its coefficient β itself: its accuracy minus the
 *     reference's, at equal trick settings. This is the architecture's part of a gain.
 * </ul>
 *
 * <p>Intervals are 95% t intervals with the residual degrees of freedom n − p. p-values are
 * two-sided and Holm-adjusted within each family: the trick main effects (the family the design asks
 * about), the interactions, and the algorithm contrasts. The bootstrap resamples seeds with
 * replacement (see {@link SeedBootstrap}), refits, and reports the 2.5th and 97.5th percentiles of
 * each effect; a resample whose design is rank-deficient (a seed lacking some cell drawn alone) is
 * skipped and {@link Fit#bootstrapResamples()} counts the refits used. The bootstrap makes no
 * normal-error assumption but knows only as many independent units as there are seeds, so with few
 * seeds its intervals are too narrow (with one seed, zero width). See {@link #MIN_BOOTSTRAP_SEEDS}.
 */
public final class TrickEffects {
    private TrickEffects() {}

    /**
     * The fewest seeds with which a seed-bootstrap interval may be read as a 95% interval. Measured on
     * the planted-effects data (PlantedEffectsTest's 2^4 design × 2 algorithms, 11 terms, noise sd 0.5;
     * 600 repeated experiments per row, 1000 resamples each; SeedBootstrapCoverageTest repeats the check):
     * <pre>
     * seeds                     2     3     5    10    15    20    30    50
     * bootstrap 95% coverage  51%   76%   84%   90%   92%   92%   93%   94%
     * t interval coverage     95%   95%   96%   95%   95%   95%   95%   95%
     * </pre>
     * The percentile bootstrap's variance over n seeds is the plug-in one, too small by about (n − 1)/n,
     * and its quantiles are the normal's where the t's apply, so it undercovers at every n and only
     * approaches the nominal rate slowly. From 20 seeds on its miss rate is within about half again of
     * the promised 5%; below that the report shows the t interval alone.
     */
    public static final int MIN_BOOTSTRAP_SEEDS = 20;

    private static final double LEVEL = 0.95;
    /** Relative size below which a residual or a coefficient is rounding error. */
    private static final double ROUNDING = 1e-10;

    /**
     * The fit.
     *
     * @param tricks one estimate per trick, in sorted trick order
     * @param interactions one estimate per trick pair, in sorted pair order; empty without interactions
     * @param algorithms one estimate per non-reference algorithm, in sorted order
     * @param referenceAlgorithm the algorithm the others are compared with
     * @param residualDegreesOfFreedom n − p, the t intervals' degrees of freedom
     * @param residualStandardError the estimate of the run-to-run noise σ
     * @param bootstrapResamples the refits the bootstrap intervals come from
     * @param constantTricks the tricks that take one setting in every observation, with that setting: part
     *     of the protocol (on) or absent (off), not factors, so they have no estimate
     */
    public record Fit(List<EffectEstimate> tricks, List<EffectEstimate> interactions, List<EffectEstimate> algorithms,
            String referenceAlgorithm, int observations, int residualDegreesOfFreedom, double residualStandardError,
            double rSquared, int bootstrapResamples, Map<String, Boolean> constantTricks) {
        public Fit {
            constantTricks = Collections.unmodifiableMap(new TreeMap<>(constantTricks));
            tricks = List.copyOf(tricks);
            interactions = List.copyOf(interactions);
            algorithms = List.copyOf(algorithms);
        }

        /** The estimate of a trick's main effect, an interaction "a:b" or an algorithm contrast, by term. */
        public EffectEstimate effect(String term) {
            for (List<EffectEstimate> family : List.of(tricks, interactions, algorithms)) {
                for (EffectEstimate e : family) {
                    if (e.term().equals(term)) {
                        return e;
                    }
                }
            }
            throw new NoSuchElementException("no term '" + term + "' in this fit");
        }
    }

    /**
     * Fits the model.
     *
     * @param observations finished runs of one data set, all naming the same tricks; a trick that takes one
     *     setting in every run is not a factor and is left out (see {@link Fit#constantTricks()})
     * @param interactions whether to add every two-way trick interaction
     * @param resamples bootstrap resamples B (a few thousand for reporting; 0 leaves the bootstrap
     *     bounds NaN)
     * @param random the bootstrap's only source of randomness
     * @throws IllegalArgumentException when the design is rank-deficient (the message names the aliased
     *     terms), leaves no residual degrees of freedom, or the observations are not one data set with
     *     one set of tricks
     */
    public static Fit fit(List<Observation> observations, boolean interactions, int resamples, SplittableRandom random) {
        Objects.requireNonNull(observations, "observations");
        Objects.requireNonNull(random, "random");
        if (resamples < 0) {
            throw new IllegalArgumentException("bootstrap resamples must be 0 or more, got " + resamples);
        }
        List<String> tricks = LinearModel.factorNames(observations);
        Map<String, Boolean> constant = ProtocolTricks.constant(observations);
        if (tricks.isEmpty()) {
            throw new IllegalArgumentException(constant.isEmpty()
                    ? "the observations name no tricks, so there is no trick effect to fit"
                    : "no trick varies among the observations (" + String.join(", ", constant.keySet())
                            + " take one setting in every run), so there is no trick effect to fit");
        }
        List<String> algorithms = LinearModel.levels(observations, Observation::algorithm);
        List<Term> terms = terms(observations, algorithms, tricks, interactions);
        int n = observations.size();
        int p = 1 + LinearModel.columnCount(terms);
        if (n <= p) {
            throw new IllegalArgumentException(n + " observations cannot estimate " + p
                    + " coefficients with residual degrees of freedom left for intervals; add seeds"
                    + (interactions ? " or fit without interactions" : ""));
        }
        LinearModel.requireFullRank(terms, n);
        OLSMultipleLinearRegression ols = LinearModel.fit(LinearModel.accuracies(observations),
                LinearModel.matrix(terms, n));
        double[] beta = ols.estimateRegressionParameters();
        double[] se = ols.estimateRegressionParametersStandardErrors();
        double scaleOfY = observations.stream().mapToDouble(o -> Math.abs(o.accuracy())).max().orElseThrow();
        boolean exact = ols.estimateRegressionStandardError() <= ROUNDING * scaleOfY;
        if (exact) {
            se = new double[se.length];
        }
        int df = n - p;
        double[][] boot = bootstrap(observations, algorithms, tricks, interactions, resamples, random);

        // Null generator: the distribution is only evaluated, never sampled.
        TDistribution t = new TDistribution(null, df);
        double critical = t.inverseCumulativeProbability(1 - (1 - LEVEL) / 2);
        List<List<EffectEstimate>> families = new ArrayList<>();
        for (LinearModel.Kind kind : List.of(LinearModel.Kind.ALGORITHM, LinearModel.Kind.TRICK,
                LinearModel.Kind.INTERACTION)) {
            List<String> names = new ArrayList<>();
            List<Integer> columns = new ArrayList<>();
            int column = 1; // 0 is the intercept
            for (Term term : terms) {
                for (int k = 0; k < term.columns().size(); k++, column++) {
                    if (term.kind() == kind) {
                        names.add(kind == LinearModel.Kind.ALGORITHM ? algorithms.get(k + 1) : term.name());
                        columns.add(column);
                    }
                }
            }
            // A ±1 column's coefficient is half the on − off change; a dummy's is the whole contrast.
            double scale = kind == LinearModel.Kind.ALGORITHM ? 1 : 2;
            double[] pValues = new double[names.size()];
            for (int i = 0; i < pValues.length; i++) {
                int c = columns.get(i);
                // Data the model fits exactly leave no noise to test against (the t ratio would be rounding
                // error over rounding error): any effect above rounding is certain, the rest certainly absent.
                pValues[i] = exact ? (Math.abs(beta[c]) > ROUNDING * scaleOfY ? 0 : 1)
                        : 2 * t.cumulativeProbability(-Math.abs(beta[c] / se[c]));
            }
            double[] holm = Holm.adjust(pValues);
            List<EffectEstimate> family = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) {
                int c = columns.get(i);
                double effect = scale * beta[c];
                double error = scale * se[c];
                double[] draws = new double[boot.length];
                for (int b = 0; b < boot.length; b++) {
                    draws[b] = scale * boot[b][c];
                }
                double[] percentiles = SeedBootstrap.percentileInterval(draws, LEVEL);
                family.add(new EffectEstimate(names.get(i), effect, error, effect - critical * error,
                        effect + critical * error, pValues[i], holm[i], percentiles[0], percentiles[1]));
            }
            families.add(family);
        }
        return new Fit(families.get(1), families.get(2), families.get(0), algorithms.get(0), n, df,
                ols.estimateRegressionStandardError(), ols.calculateRSquared(), boot.length, constant);
    }

    /** Algorithm dummies, then tricks, then (optionally) interactions: the order of the columns. */
    private static List<Term> terms(List<Observation> observations, List<String> algorithms, List<String> tricks,
            boolean interactions) {
        List<Term> terms = new ArrayList<>();
        terms.add(LinearModel.algorithmTerm(observations, algorithms));
        tricks.forEach(trick -> terms.add(LinearModel.trickTerm(observations, trick)));
        if (interactions) {
            terms.addAll(LinearModel.interactionTerms(observations, tricks));
        }
        return terms;
    }

    /**
     * Coefficients of each usable refit, one row per resample, columns as in the full fit.
     *
     * <p>OLS needs only X'X and X'y, and both are sums over rows; a resample is a multiset of seeds. So
     * each seed's share of both is computed once, and a refit adds the shares of the seeds it drew,
     * with their multiplicities, and solves one p×p system: the cost of a resample no longer grows with
     * the number of runs. Seeds are drawn as {@link SeedBootstrap#resample} draws them, so a generator
     * gives the same resamples. A drawn design that cannot identify every coefficient (its X'X is not
     * positive definite: a level or trick setting missing from every drawn seed) is skipped.
     */
    private static double[][] bootstrap(List<Observation> observations, List<String> algorithms, List<String> tricks,
            boolean interactions, int resamples, SplittableRandom random) {
        if (resamples == 0) {
            return new double[0][];
        }
        List<List<Observation>> seeds = new ArrayList<>(SeedBootstrap.bySeed(observations).values());
        int groups = seeds.size();
        double[][][] gram = new double[groups][][];
        double[][] moment = new double[groups][];
        int p = 0;
        for (int g = 0; g < groups; g++) {
            List<Observation> group = seeds.get(g);
            List<Term> terms = terms(group, algorithms, tricks, interactions);
            p = 1 + LinearModel.columnCount(terms);
            double[][] x = LinearModel.matrix(terms, group.size());
            gram[g] = new double[p][p];
            moment[g] = new double[p];
            LinearModel.accumulateNormalEquations(x, LinearModel.accuracies(group), gram[g], moment[g]);
        }
        List<double[]> coefficients = new ArrayList<>();
        int[] draws = new int[groups];
        for (int b = 0; b < resamples; b++) {
            Arrays.fill(draws, 0);
            for (int i = 0; i < groups; i++) {
                draws[random.nextInt(groups)]++;
            }
            double[][] xtx = new double[p][p];
            double[] xty = new double[p];
            long rows = 0;
            for (int g = 0; g < groups; g++) {
                int k = draws[g];
                if (k == 0) {
                    continue;
                }
                rows += (long) k * seeds.get(g).size();
                for (int i = 0; i < p; i++) {
                    xty[i] += k * moment[g][i];
                    for (int j = 0; j < p; j++) {
                        xtx[i][j] += k * gram[g][i][j];
                    }
                }
            }
            if (rows < p) {
                continue; // too few rows to refit: skipped, and counted in Fit.bootstrapResamples()
            }
            double[] beta = LinearModel.solveNormalEquations(xtx, xty);
            if (beta != null) {
                coefficients.add(beta);
            }
        }
        return coefficients.toArray(new double[0][]);
    }
}
