package org.trickbench.core.search;

import java.util.LinkedHashMap;
import java.util.Map;
import org.trickbench.core.space.nb201.Genotype;

/** Evaluates each distinct genotype once per search and counts the real evaluations (the budget's unit). */
public final class CachingEvaluator implements Evaluator {
    private final Evaluator inner;
    private final Map<Genotype, Double> scores = new LinkedHashMap<>();

    public CachingEvaluator(Evaluator inner) {
        this.inner = inner;
    }

    @Override
    public double score(Genotype genotype) {
        Double known = scores.get(genotype);
        if (known != null) {
            return known;
        }
        double s = inner.score(genotype);
        scores.put(genotype, s);
        return s;
    }

    /** Number of distinct genotypes actually evaluated. */
    public int evaluations() {
        return scores.size();
    }
}
