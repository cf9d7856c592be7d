package org.trickbench.harness.runner;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.trickbench.core.run.RunSpec;
import org.trickbench.harness.matrix.Expansion;
import org.trickbench.harness.store.RunStatus;
import org.trickbench.harness.store.Store;

/**
 * Plans the extra evaluations of attribution: for every run with tricks on and its base run (same spec,
 * every trick off), both done, the run's genotype trained under the base's final protocol and the base's
 * genotype under the run's. Each is an ordinary evaluation, keyed and cached like a run's own (see
 * {@link EvaluationCache}): where the tricks did not change the genotype both are cache hits, and a
 * genotype two runs share is trained once. A pair whose runs are not both done in this database (another
 * shard's, not yet run) waits for a later {@code bench run}, for example on the merged database.
 */
final class AttributionPlanner {
    private final Store store;
    private final boolean retryFailed;

    /** {@code retryFailed}: a cross-evaluation recorded as diverged is planned again. */
    AttributionPlanner(Store store, boolean retryFailed) {
        this.store = store;
        this.retryFailed = retryFailed;
    }

    /** The genotype {@code genotypeRun} found, to be trained under {@code protocolRun}'s final training. */
    record CrossEvaluation(RunSpec genotypeRun, RunSpec protocolRun) {}

    /**
     * What attribution needs of a list of runs.
     *
     * @param needed every cross-evaluation of the pairs both done, each pair's two in a row
     * @param todo those of {@code needed} that the store does not have yet (or, retrying failed runs, has
     *     only as diverged), in the same order
     */
    record Plan(List<CrossEvaluation> needed, List<CrossEvaluation> todo) {
        public Plan {
            needed = List.copyOf(needed);
            todo = List.copyOf(todo);
        }

        /** The training epochs the cross-evaluations to do take at most. */
        long epochs() {
            return todo.stream().mapToLong(c -> c.protocolRun().protocol().epochs()).sum();
        }
    }

    Plan plan(List<RunSpec> specs) {
        List<CrossEvaluation> needed = new ArrayList<>();
        for (RunSpec spec : specs) {
            Optional<RunSpec> base = Expansion.attributionBase(spec);
            if (base.isPresent() && done(spec.id()) && done(base.get().id())) {
                needed.add(new CrossEvaluation(spec, base.get()));
                needed.add(new CrossEvaluation(base.get(), spec));
            }
        }
        List<CrossEvaluation> todo = needed.stream().filter(c -> store.evaluations().crossEvaluation(c.genotypeRun().id(),
                c.protocolRun().id()).flatMap(store.evaluations()::find)
                .filter(e -> e.status() == RunStatus.DONE || !retryFailed).isEmpty()).toList();
        return new Plan(needed, todo);
    }

    private boolean done(String runId) {
        return store.runs().find(runId).map(r -> r.status() == RunStatus.DONE).orElse(false);
    }
}
