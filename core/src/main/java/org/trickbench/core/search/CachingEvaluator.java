package org.trickbench.core.search;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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

    /** The architectures not scored yet go to the inner evaluator together, each distinct one once. */
    @Override
    public List<Double> scoreAll(List<? extends Architecture> architectures) {
        Map<String, Architecture> fresh = new LinkedHashMap<>();
        for (Architecture architecture : architectures) {
            if (!scores.containsKey(architecture.canonical())) {
                fresh.putIfAbsent(architecture.canonical(), architecture);
            }
        }
        if (!fresh.isEmpty()) {
            List<Architecture> todo = List.copyOf(fresh.values());
            List<Double> found = inner.scoreAll(todo);
            for (int i = 0; i < todo.size(); i++) {
                scores.put(todo.get(i).canonical(), found.get(i));
            }
        }
        List<Double> out = new ArrayList<>();
        for (Architecture architecture : architectures) {
            out.add(scores.get(architecture.canonical()));
        }
        return out;
    }

    @Override
    public int batchSize() {
        return inner.batchSize();
    }

    /** Number of distinct architectures actually evaluated. */
    public int evaluations() {
        return scores.size();
    }
}
