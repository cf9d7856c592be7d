package org.trickbench.harness.analysis;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One finished run, as the analysis sees it.
 *
 * @param algorithm the search algorithm's id; random-baseline runs carry the baseline's own id
 *     ({@code random}), so they form their own level wherever observations are grouped by algorithm
 * @param dataset the data set searched on and trained on
 * @param seed the run's seed
 * @param tricks every trick of the run's design, by id, with whether it was switched on; kept sorted
 *     by id so that equal settings are equal maps and print alike
 * @param accuracy the final test accuracy, in the unit the store keeps (percent)
 * @param proxyScore the zero-cost proxy's score of the found genotype, or null where none was
 *     computed; NaN is kept as given (a proxy that failed) and is skipped by the rank statistics
 * @param searchCost search cost in seconds, or null where unknown
 * @param genotype the found genotype's canonical string in its space's notation, or null where the run
 *     has none
 * @param randomBaseline whether the genotype was drawn uniformly at random instead of searched: the
 *     reference Acc_r of the relative improvement
 * @param space the id of the search space the run searched ({@code nb201}, {@code darts}): the notation
 *     {@code genotype} is written in
 */
public record Observation(String algorithm, String dataset, long seed, Map<String, Boolean> tricks,
        double accuracy, Double proxyScore, Double searchCost, String genotype, boolean randomBaseline, String space) {
    /** The space of runs that do not name one: NAS-Bench-201, the first space. */
    public static final String DEFAULT_SPACE = SpaceGenotypes.NB201;

    /** A run of the NAS-Bench-201 space. */
    public Observation(String algorithm, String dataset, long seed, Map<String, Boolean> tricks, double accuracy,
            Double proxyScore, Double searchCost, String genotype, boolean randomBaseline) {
        this(algorithm, dataset, seed, tricks, accuracy, proxyScore, searchCost, genotype, randomBaseline, DEFAULT_SPACE);
    }

    public Observation {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(space, "space");
        Objects.requireNonNull(tricks, "tricks");
        for (Map.Entry<String, Boolean> e : tricks.entrySet()) {
            if (e.getKey() == null || e.getValue() == null) {
                throw new IllegalArgumentException("trick setting " + tricks + " of a " + algorithm + " run on "
                        + dataset + " (seed " + seed + ") has a null id or value; every trick must be on or off");
            }
        }
        tricks = Collections.unmodifiableMap(new TreeMap<>(tricks));
        if (!Double.isFinite(accuracy)) {
            throw new IllegalArgumentException("accuracy of a finished " + algorithm + " run on " + dataset + " (seed "
                    + seed + ") must be a finite number, got " + accuracy);
        }
    }

    /** The configuration this run repeats over seeds: algorithm, data set and trick setting. */
    public Configuration configuration() {
        return new Configuration(algorithm, dataset, tricks);
    }

    /** This run with another trick setting (a trick left out of the analysis, say); everything else as it is. */
    public Observation withTricks(Map<String, Boolean> setting) {
        return new Observation(algorithm, dataset, seed, setting, accuracy, proxyScore, searchCost, genotype,
                randomBaseline, space);
    }

    /** Whether the trick is switched on in this run; a trick the run does not name is off. */
    public boolean on(String trick) {
        return tricks.getOrDefault(trick, false);
    }
}
