package org.trickbench.harness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trickbench.core.run.RunSpec;
import org.trickbench.core.space.darts.DartsConfig;
import org.trickbench.core.space.darts.DartsCost;
import org.trickbench.core.space.darts.DartsGenotype;
import org.trickbench.harness.store.EvaluationRow;
import org.trickbench.harness.store.RunRow;
import org.trickbench.harness.store.Store;

/**
 * A matrix on the DARTS space through `bench run` into a fresh database: the random baseline, random search
 * and a published cell all finish, store DARTS genotypes in their canonical form with the evaluation
 * network's parameter count, and a second `bench run` trains nothing.
 */
class DartsRunTest {
    @Test
    void aDartsMatrixRunsEndToEndAndStoresCanonicalDartsGenotypes(@TempDir Path tmp) {
        Path db = tmp.resolve("r.db");
        List<RunRow> runs = AlgorithmsEndToEndTest.runAllDone("darts", db);
        assertEquals(3, runs.size());
        try (Store s = Store.open(db)) {
            for (RunRow run : runs) {
                RunSpec spec = RunSpec.fromJson(run.spec());
                assertEquals("darts", spec.space());
                String stored = run.search().genotype();
                DartsGenotype genotype = DartsGenotype.parse(stored);
                assertEquals(genotype.canonical(), stored, "stored in canonical form");
                EvaluationRow evaluation = s.evaluations().find(run.evaluationId()).orElseThrow();
                assertEquals(stored, evaluation.genotype());
                // Fashion-MNIST at 8 px: one channel, ten classes; C=4 and one normal cell per stage, L=5.
                assertEquals(DartsCost.parameters(genotype, new DartsConfig(1, 8, 8, 10, 4, 5, false)),
                        evaluation.params(), stored);
                assertTrue(evaluation.testAccuracy() >= 0 && evaluation.testAccuracy() <= 1);
                switch (spec.algorithm().id()) {
                    case "fixed" -> assertEquals(DartsGenotype.PDARTS, genotype);
                    case "random-search" -> {
                        assertEquals(2, run.search().evaluations());
                        assertTrue(run.search().proxyScore() >= 0 && run.search().proxyScore() <= 1);
                    }
                    case "random" -> assertEquals(0, run.search().evaluations());
                    default -> throw new AssertionError(spec.algorithm().id());
                }
            }
        }
        BenchCliTest.Result again = BenchCliTest.bench("run", "--matrix", AlgorithmsEndToEndTest.matrix("darts"),
                "--device", "cpu", "--db", db.toString());
        assertEquals(0, again.code(), again.err());
        assertTrue(again.out().contains("nothing to train"), again.out());
        BenchCliTest.Result export = BenchCliTest.bench("export", "--db", db.toString(), "--matrix", "darts");
        assertEquals(0, export.code(), export.err());
        assertTrue(export.out().contains("Genotype(normal=["), export.out());
    }
}
