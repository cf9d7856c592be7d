package org.trickbench.harness.analysis;

import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.QRDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.RealVector;
import org.trickbench.harness.analysis.LinearModel.Term;

/**
 * How much of the spread of accuracies each source explains: algorithm (the architecture the search
 * found), each trick, optionally each two-way trick interaction, seed, and the residual.
 *
 * <p>The sums of squares are sequential (Type I): nested OLS fits add the terms one at a time in the
 * fixed order algorithm, tricks (sorted by id), interactions (sorted pairs), seed, and each term is
 * credited with the drop in residual sum of squares it brings. The shares therefore add up to 1
 * exactly. In a balanced design (a full or regular fractional factorial, every cell run on every
 * seed) the terms are orthogonal and the order does not matter: these are then the classical ANOVA
 * sums of squares. In an unbalanced design the order does matter: a term is credited only with what
 * the terms before it did not explain, so algorithm, first, also takes any part of a trick's effect
 * that is confounded with it.
 *
 * <p>Tricks are ±1-coded and algorithm and seed dummy-coded, as in {@link TrickEffects}; seed is a
 * categorical factor (the variation shared by all runs of one seed), and what no term explains is
 * the residual. Fit one data set at a time.
 */
public final class VarianceDecomposition {
    private VarianceDecomposition() {}

    public enum Source { ALGORITHM, TRICK, INTERACTION, SEED, RESIDUAL }

    /**
     * One source's part.
     *
     * @param term "algorithm", a trick id, an interaction "a:b", "seed" or "residual"
     * @param degreesOfFreedom the columns the term adds (for the residual, n − p)
     * @param sumOfSquares its sequential sum of squares
     * @param share sumOfSquares over the total sum of squares
     */
    public record Component(Source source, String term, int degreesOfFreedom, double sumOfSquares, double share) {
        public Component {
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(term, "term");
        }
    }

    /**
     * The decomposition, components in the order they were added, residual last.
     *
     * @param totalSumOfSquares Σ (accuracy − mean accuracy)²
     */
    public record Result(List<Component> components, double totalSumOfSquares) {
        public Result {
            components = List.copyOf(components);
        }

        public Component component(String term) {
            return components.stream().filter(c -> c.term().equals(term)).findFirst()
                    .orElseThrow(() -> new NoSuchElementException("no component '" + term + "'"));
        }
    }

    /**
     * Decomposes the total sum of squares.
     *
     * @param observations finished runs of one data set, all naming the same tricks
     * @param interactions whether two-way trick interactions get their own components (else they fall
     *     into the residual)
     * @throws IllegalArgumentException when the accuracies do not vary, when there are more
     *     coefficients than observations, or when the design is rank-deficient (the message names
     *     the aliased terms)
     */
    public static Result decompose(List<Observation> observations, boolean interactions) {
        Objects.requireNonNull(observations, "observations");
        // A trick with one setting in every run explains nothing and would be the intercept's column.
        List<String> tricks = LinearModel.factorNames(observations);
        List<Term> terms = new ArrayList<>();
        terms.add(LinearModel.algorithmTerm(observations, LinearModel.levels(observations, Observation::algorithm)));
        tricks.forEach(trick -> terms.add(LinearModel.trickTerm(observations, trick)));
        if (interactions) {
            terms.addAll(LinearModel.interactionTerms(observations, tricks));
        }
        terms.add(LinearModel.seedTerm(observations, LinearModel.levels(observations, Observation::seed)));
        int n = observations.size();
        int p = 1 + LinearModel.columnCount(terms);
        if (n < p) {
            throw new IllegalArgumentException(n + " observations cannot estimate " + p + " coefficients"
                    + (interactions ? "; fit without interactions or add runs" : "; add runs"));
        }

        double[] y = LinearModel.accuracies(observations);
        double mean = 0;
        for (double v : y) {
            mean += v / n;
        }
        // Every nested model's normal equations are a leading block of the full model's, so the
        // n rows are read once. With y centred, RSS = Σ(y − ȳ)² − bᵀβ, b = Xᵀ(y − ȳ), XᵀX β = b.
        double[] centred = new double[n];
        for (int i = 0; i < n; i++) {
            centred[i] = y[i] - mean;
        }
        double[][] xtx = new double[p][p];
        double[] xty = new double[p];
        LinearModel.accumulateNormalEquations(LinearModel.matrix(terms, n), centred, xtx, xty);
        LinearModel.requireFullRank(terms, n, xtx);
        double total = 0;
        for (double v : y) {
            total += (v - mean) * (v - mean);
        }
        if (total == 0) {
            throw new IllegalArgumentException("all " + n + " accuracies are equal; there is no variance to decompose");
        }
        List<Component> components = new ArrayList<>();
        double previousRss = total;
        int columns = 1;
        for (Term term : terms) {
            columns += term.columns().size();
            double rss = columns == 1 ? total : total - explained(xtx, xty, columns);
            double ss = previousRss - rss;
            components.add(new Component(source(term.kind()), term.name(), term.columns().size(), ss, ss / total));
            previousRss = rss;
        }
        components.add(new Component(Source.RESIDUAL, "residual", n - p, previousRss, previousRss / total));
        return new Result(components, total);
    }

    /** bᵀβ of the model made of the first {@code columns} columns (intercept included). */
    private static double explained(double[][] xtx, double[] xty, int columns) {
        RealMatrix g = new Array2DRowRealMatrix(columns, columns);
        RealVector b = new ArrayRealVector(columns);
        for (int i = 0; i < columns; i++) {
            b.setEntry(i, xty[i]);
            for (int j = 0; j < columns; j++) {
                g.setEntry(i, j, xtx[i][j]);
            }
        }
        return b.dotProduct(new QRDecomposition(g).getSolver().solve(b));
    }

    private static Source source(LinearModel.Kind kind) {
        return switch (kind) {
            case ALGORITHM -> Source.ALGORITHM;
            case TRICK -> Source.TRICK;
            case INTERACTION -> Source.INTERACTION;
            case SEED -> Source.SEED;
        };
    }
}
