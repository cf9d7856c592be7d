package org.trickbench.harness.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trickbench.core.run.AlgorithmSetting;
import org.trickbench.core.run.RunSpec;
import org.trickbench.core.run.TrickSetting;
import org.trickbench.core.train.Fidelity;
import org.trickbench.core.train.Protocol;
import org.trickbench.harness.runner.AttributionPlanner.CrossEvaluation;
import org.trickbench.harness.runner.AttributionPlanner.Plan;
import org.trickbench.harness.store.EvaluationRow;
import org.trickbench.harness.store.RunCompletion;
import org.trickbench.harness.store.RunStatus;
import org.trickbench.harness.store.Store;

/** Which cross-evaluations attribution plans, from the runs done and the cross-evaluations stored. */
class AttributionPlannerTest {
    private static final Fidelity TINY = new Fidelity(4, 1, 2, 400, 8);

    @TempDir
    Path dir;

    private static RunSpec spec(String algorithm, String... tricks) {
        return new RunSpec("fashion-mnist", "nb201", new AlgorithmSetting(algorithm, Map.of()),
                List.of(tricks).stream().map(t -> new TrickSetting(t, Map.of())).toList(), TINY, TINY,
                Protocol.nasBench201(), 0);
    }

    private static void insert(Store store, RunSpec... specs) {
        for (RunSpec s : specs) {
            store.runs().insertIfAbsent(s.id(), "m", s.canonicalJson());
        }
    }

    private static void done(Store store, RunSpec... specs) {
        for (RunSpec s : specs) {
            store.runs().claim(s.id(), "owner", "host");
            store.runs().complete(s.id(), "owner", new RunCompletion("g", null, 1, 1, "eval-" + s.id()));
        }
    }

    private static void crossEvaluated(Store store, CrossEvaluation c, String status) {
        String id = "cross-" + c.genotypeRun().id();
        store.evaluations().save(new EvaluationRow(id, "g", "p", "fashion-mnist", 0, "f", RunStatus.of(status), 0.5, 0.5, 1.0, 1L, 1L, 2,
                status.equals("done") ? null : 0, 1.0, null));
        store.evaluations().saveCrossEvaluation(c.genotypeRun().id(), c.protocolRun().id(), id);
    }

    @Test
    void aRunWithTricksAndItsDoneBaseAreCrossedBothWays() {
        try (Store store = Store.open(dir.resolve("r.db"))) {
            RunSpec base = spec("darts-v1");
            RunSpec cutout = spec("darts-v1", "cutout");
            insert(store, base, cutout);
            done(store, base, cutout);

            Plan plan = new AttributionPlanner(store, false).plan(List.of(base, cutout));

            List<CrossEvaluation> both = List.of(new CrossEvaluation(cutout, base), new CrossEvaluation(base, cutout));
            assertEquals(both, plan.needed());
            assertEquals(both, plan.todo());
            assertEquals(2L * Protocol.nasBench201().epochs(), plan.epochs());
        }
    }

    @Test
    void nothingIsPlannedWithoutABaseOrBeforeBothRunsAreDone() {
        try (Store store = Store.open(dir.resolve("r.db"))) {
            RunSpec base = spec("darts-v1");
            RunSpec cutout = spec("darts-v1", "cutout");
            RunSpec randomBase = spec("random");
            RunSpec randomCutout = spec("random", "cutout");
            insert(store, base, cutout, randomBase, randomCutout);
            done(store, cutout, randomBase, randomCutout);

            Plan plan = new AttributionPlanner(store, false).plan(List.of(base, cutout, randomBase, randomCutout));

            assertEquals(List.of(), plan.needed(), "the base is not done; the random baseline searches nothing");
            assertEquals(List.of(), plan.todo());
            assertEquals(0, plan.epochs());
        }
    }

    @Test
    void storedCrossEvaluationsAreNotPlannedAgainAndDivergedOnesOnlyWhenRetryingFailures() {
        try (Store store = Store.open(dir.resolve("r.db"))) {
            RunSpec base = spec("darts-v1");
            RunSpec cutout = spec("darts-v1", "cutout");
            insert(store, base, cutout);
            done(store, base, cutout);
            CrossEvaluation forward = new CrossEvaluation(cutout, base);
            CrossEvaluation back = new CrossEvaluation(base, cutout);
            crossEvaluated(store, forward, "done");
            crossEvaluated(store, back, "diverged");

            Plan plan = new AttributionPlanner(store, false).plan(List.of(base, cutout));
            assertEquals(List.of(forward, back), plan.needed());
            assertEquals(List.of(), plan.todo());

            Plan retry = new AttributionPlanner(store, true).plan(List.of(base, cutout));
            assertEquals(List.of(back), retry.todo());
            assertEquals(Protocol.nasBench201().epochs(), retry.epochs());
        }
    }
}
