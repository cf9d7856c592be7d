package org.trickbench.core.search;

import java.util.ArrayList;
import java.util.List;
import org.trickbench.core.space.Architecture;

/**
 * Scores an architecture of any space for a black-box search; higher is better. The default trains the
 * standalone network at the search fidelity on the training half and returns its validation accuracy
 * ({@link ProxyTrainingEvaluator}); tests plug in a synthetic fitness, and a tabular benchmark can
 * plug in later.
 */
@FunctionalInterface
public interface Evaluator {
    double score(Architecture architecture);

    /**
     * The scores of {@code architectures}, in their order, each as {@link #score} gives it up to rounding.
     * By default one by one; an evaluator that can score several at once ({@link #batchSize} above 1)
     * overrides it.
     */
    default List<Double> scoreAll(List<? extends Architecture> architectures) {
        List<Double> scores = new ArrayList<>();
        for (Architecture architecture : architectures) {
            scores.add(score(architecture));
        }
        return scores;
    }

    /** How many architectures {@link #scoreAll} scores together at most: a search's chunk size (1: one by one). */
    default int batchSize() {
        return 1;
    }
}
