package org.trickbench.harness.analysis;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.apache.commons.math3.exception.MathIllegalArgumentException;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.QRDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.RealVector;
import org.apache.commons.math3.stat.regression.OLSMultipleLinearRegression;

/**
 * The linear model that {@link TrickEffects} and {@link VarianceDecomposition} fit: an intercept
 * plus columns grouped into named terms. Tricks are coded −1 (off) and +1 (on), so that in a
 * balanced two-level design every trick column is orthogonal to the intercept and to the others;
 * categorical factors (algorithm, seed) are dummy-coded against their first level in sorted order.
 */
final class LinearModel {
    private LinearModel() {}

    /**
     * A column whose squared norm left after projecting out the earlier columns is below this share of
     * its squared norm is aliased. The check works on XᵀX, whose rounding is about 1e-16 of its entries,
     * so the share sits well above that; an identified ±1 or 0/1 column keeps at least about 1/n.
     */
    private static final double ALIAS_TOLERANCE = 1e-10;

    enum Kind { ALGORITHM, TRICK, INTERACTION, SEED }

    /** One term of the model and its columns, one value per observation. */
    record Term(String name, Kind kind, List<String> columnNames, List<double[]> columns) {
        Term {
            columnNames = List.copyOf(columnNames);
            columns = List.copyOf(columns);
        }
    }

    /**
     * The tricks every observation names, sorted. Observations must come from one data set (their
     * accuracies are not on one scale otherwise) and name the same tricks (a trick missing from a row
     * leaves its column undefined).
     */
    static List<String> trickNames(List<Observation> observations) {
        if (observations.isEmpty()) {
            throw new IllegalArgumentException("no observations to fit");
        }
        Set<String> datasets = new TreeSet<>();
        observations.forEach(o -> datasets.add(o.dataset()));
        if (datasets.size() > 1) {
            throw new IllegalArgumentException("observations come from data sets " + datasets
                    + "; fit one data set at a time, since accuracies on different data sets are not on one scale");
        }
        Set<String> names = observations.get(0).tricks().keySet();
        for (Observation o : observations) {
            if (!o.tricks().keySet().equals(names)) {
                throw new IllegalArgumentException("every observation must name the same tricks, but a " + o.algorithm()
                        + " run (seed " + o.seed() + ") names " + o.tricks().keySet() + " and the first names " + names);
            }
        }
        return List.copyOf(new TreeSet<>(names));
    }

    /**
     * The tricks that are factors of these observations: those {@link #trickNames} lists that take both
     * levels. A trick on (or off) in every run is part of the protocol; its column would be the
     * intercept's.
     */
    static List<String> factorNames(List<Observation> observations) {
        List<String> names = new ArrayList<>(trickNames(observations));
        names.removeAll(ProtocolTricks.constant(observations).keySet());
        return List.copyOf(names);
    }

    /** The distinct values of a factor, sorted; the first is the reference level. */
    static <T extends Comparable<T>> List<T> levels(List<Observation> observations, Function<Observation, T> factor) {
        return List.copyOf(new TreeSet<>(observations.stream().map(factor).toList()));
    }

    static Term algorithmTerm(List<Observation> observations, List<String> levels) {
        return dummies("algorithm", Kind.ALGORITHM, observations, levels, Observation::algorithm);
    }

    static Term seedTerm(List<Observation> observations, List<Long> levels) {
        return dummies("seed", Kind.SEED, observations, levels, Observation::seed);
    }

    private static <T> Term dummies(String name, Kind kind, List<Observation> observations, List<T> levels,
            Function<Observation, T> factor) {
        List<String> names = new ArrayList<>();
        List<double[]> columns = new ArrayList<>();
        for (T level : levels.subList(Math.min(1, levels.size()), levels.size())) {
            double[] column = new double[observations.size()];
            for (int i = 0; i < column.length; i++) {
                column[i] = factor.apply(observations.get(i)).equals(level) ? 1 : 0;
            }
            names.add(name + "=" + level);
            columns.add(column);
        }
        return new Term(name, kind, names, columns);
    }

    static Term trickTerm(List<Observation> observations, String trick) {
        double[] column = new double[observations.size()];
        for (int i = 0; i < column.length; i++) {
            column[i] = code(observations.get(i), trick);
        }
        return new Term(trick, Kind.TRICK, List.of(trick), List.of(column));
    }

    static Term interactionTerm(List<Observation> observations, String a, String b) {
        double[] column = new double[observations.size()];
        for (int i = 0; i < column.length; i++) {
            column[i] = code(observations.get(i), a) * code(observations.get(i), b);
        }
        String name = interactionName(a, b);
        return new Term(name, Kind.INTERACTION, List.of(name), List.of(column));
    }

    static String interactionName(String a, String b) {
        return a + ":" + b;
    }

    /** Every two-way interaction of the tricks, in sorted pair order. */
    static List<Term> interactionTerms(List<Observation> observations, List<String> tricks) {
        List<Term> terms = new ArrayList<>();
        for (int a = 0; a < tricks.size(); a++) {
            for (int b = a + 1; b < tricks.size(); b++) {
                terms.add(interactionTerm(observations, tricks.get(a), tricks.get(b)));
            }
        }
        return terms;
    }

    private static double code(Observation o, String trick) {
        return o.on(trick) ? 1 : -1;
    }

    static int columnCount(List<Term> terms) {
        return terms.stream().mapToInt(t -> t.columns().size()).sum();
    }

    /** The regressors, one row per observation, without the intercept (the regression adds it). */
    static double[][] matrix(List<Term> terms, int n) {
        double[][] x = new double[n][columnCount(terms)];
        int c = 0;
        for (Term term : terms) {
            for (double[] column : term.columns()) {
                for (int i = 0; i < n; i++) {
                    x[i][c] = column[i];
                }
                c++;
            }
        }
        return x;
    }

    /**
     * Adds the rows' share of the normal equations of a model with an intercept: with z = (1, x),
     * {@code xtx += Σ z zᵀ} and {@code xty += Σ z y}. Both are p×p and p with p = columns + 1.
     */
    static void accumulateNormalEquations(double[][] x, double[] y, double[][] xtx, double[] xty) {
        int p = xty.length;
        double[] z = new double[p];
        z[0] = 1;
        for (int r = 0; r < y.length; r++) {
            System.arraycopy(x[r], 0, z, 1, p - 1);
            for (int i = 0; i < p; i++) {
                xty[i] += z[i] * y[r];
                for (int j = i; j < p; j++) {
                    xtx[i][j] += z[i] * z[j];
                }
            }
        }
        for (int i = 0; i < p; i++) {
            for (int j = 0; j < i; j++) {
                xtx[i][j] = xtx[j][i];
            }
        }
    }

    /**
     * The OLS coefficients from the normal equations (XᵀX) β = Xᵀy, by Cholesky; null when XᵀX is not
     * positive definite, that is when some coefficient is not identified. A pivot below 1e-10 of the
     * largest diagonal entry counts as zero: exact ±1 and 0/1 columns give pivots of at least about 1
     * when identified, and of rounding size when aliased.
     */
    static double[] solveNormalEquations(double[][] xtx, double[] xty) {
        double largest = 0;
        for (int i = 0; i < xty.length; i++) {
            largest = Math.max(largest, xtx[i][i]);
        }
        try {
            return new CholeskyDecomposition(new Array2DRowRealMatrix(xtx, false), 1e-10, 1e-10 * largest)
                    .getSolver().solve(new ArrayRealVector(xty, false)).toArray();
        } catch (MathIllegalArgumentException e) {
            return null;
        }
    }

    static double[] accuracies(List<Observation> observations) {
        return observations.stream().mapToDouble(Observation::accuracy).toArray();
    }

    /** Ordinary least squares with an intercept; the terms must have at least one column. */
    static OLSMultipleLinearRegression fit(double[] y, double[][] x) {
        OLSMultipleLinearRegression ols = new OLSMultipleLinearRegression();
        ols.newSampleData(y, x);
        return ols;
    }

    /**
     * Throws when some column is a linear combination of the intercept and the columns before it,
     * naming each such column and the combination, so that the user can see which effects the design
     * confounds (e.g. an interaction a:b aliased with a trick c in a 2^(3−1) fraction with c = ab).
     */
    static void requireFullRank(List<Term> terms, int n) {
        requireFullRank(terms, n, gram(terms, n));
    }

    /** As {@link #requireFullRank(List, int)}, with the terms' XᵀX ({@link #gram}) already computed. */
    static void requireFullRank(List<Term> terms, int n, double[][] g) {
        List<String> names = new ArrayList<>();
        List<Kind> kinds = new ArrayList<>();
        terms.forEach(t -> {
            names.addAll(t.columnNames());
            t.columnNames().forEach(c -> kinds.add(t.kind()));
        });
        boolean interactionAliased = false;
        // Gram–Schmidt in the metric of XᵀX: the squared residual of column c after projecting out the
        // kept columns K is g_cc − g_Kcᵀ g_KK⁻¹ g_Kc, with no pass over the n rows per column.
        List<Integer> kept = new ArrayList<>(List.of(0));
        List<String> keptNames = new ArrayList<>(List.of("intercept"));
        List<String> aliases = new ArrayList<>();
        for (int c = 1; c < g.length; c++) {
            String name = names.get(c - 1);
            int before = aliases.size();
            if (g[c][c] == 0) {
                aliases.add(name + " is zero in every observation");
                continue;
            }
            if (kept.size() >= n) {
                aliases.add(name + " (no observations left to estimate it)");
                continue;
            }
            RealMatrix keptGram = new Array2DRowRealMatrix(kept.size(), kept.size());
            RealVector cross = new ArrayRealVector(kept.size());
            for (int i = 0; i < kept.size(); i++) {
                cross.setEntry(i, g[kept.get(i)][c]);
                for (int j = 0; j < kept.size(); j++) {
                    keptGram.setEntry(i, j, g[kept.get(i)][kept.get(j)]);
                }
            }
            RealVector coefficients = new QRDecomposition(keptGram).getSolver().solve(cross);
            if (g[c][c] - cross.dotProduct(coefficients) > ALIAS_TOLERANCE * g[c][c]) {
                kept.add(c);
                keptNames.add(name);
            } else {
                aliases.add(name + " = " + combination(coefficients, keptNames));
            }
            interactionAliased |= aliases.size() > before && kinds.get(c - 1) == Kind.INTERACTION;
        }
        if (!aliases.isEmpty()) {
            // Leaving out interactions helps only when an interaction is among the aliased columns.
            throw new IllegalArgumentException("the design is rank-deficient, so these terms cannot be told apart: "
                    + String.join("; ", aliases) + (interactionAliased
                            ? ". Fit without interactions or run a design of higher resolution."
                            : ". Vary these factors independently of each other (a design with more rows)."));
        }
    }

    /** XᵀX of the intercept and the terms' columns: p×p, intercept first. */
    static double[][] gram(List<Term> terms, int n) {
        int p = 1 + columnCount(terms);
        double[][] g = new double[p][p];
        accumulateNormalEquations(matrix(terms, n), new double[n], g, new double[p]);
        return g;
    }

    private static String combination(RealVector coefficients, List<String> names) {
        List<String> parts = new ArrayList<>();
        for (int j = 0; j < names.size(); j++) {
            double c = coefficients.getEntry(j);
            if (Math.abs(c) > 1e-6) {
                parts.add(String.format(Locale.ROOT, "%+.3g·%s", c, names.get(j)));
            }
        }
        return parts.isEmpty() ? "0" : String.join(" ", parts);
    }
}
