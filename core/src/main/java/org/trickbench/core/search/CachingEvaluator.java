package org.trickbench.core.search;

import java.util.LinkedHashMap;
import java.util.Map;
import org.trickbench.core.space.Architecture;

/**
 * Evaluates each distinct architecture once per search and counts the real evaluations (the budget's
 * unit). Architectures are the same when their canonical strings are.
 */
public final class CachingEvaluator implements Evaluator {
    private final Evaluator inner;
    private final Map<String, Double> scores = new LinkedHashMap<>();

    public CachingEvaluator(Evaluator inner) {
        this.inner = inner;
    }

    @Override
    public double score(Architecture architecture) {
        String key = architecture.canonical();
        Double known = scores.get(key);
        if (known != null) {
            return known;
        }
        double s = inner.score(architecture);
        scores.put(key, s);
        return s;
    }

    /** Number of distinct architectures actually evaluated. */
    public int evaluations() {
        return scores.size();
    }
}
