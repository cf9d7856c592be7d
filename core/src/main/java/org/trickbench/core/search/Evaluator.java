package org.trickbench.core.search;

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
}
