package org.trickbench.harness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.trickbench.harness.cli.BenchCliTest.assertUsageError;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trickbench.core.run.Canonical;
import org.trickbench.core.run.RunSpec;
import org.trickbench.harness.matrix.Expansion;
import org.trickbench.harness.matrix.Matrices;
import org.trickbench.harness.matrix.MatrixDefinition;
import org.trickbench.harness.store.RunRow;
import org.trickbench.harness.store.RunStatus;
import org.trickbench.harness.store.Store;

/**
 * {@code bench run --only RUN_ID} without {@code --matrix}: the run is taken from the database, its
 * stored spec checked against its id, and trained (the test matrix {@code tiny}: one epoch on 500
 * images at 8×8), or reported as done.
 */
class RunOnlyStoredTest {
    @TempDir
    Path tmp;

    /** The tiny matrix's runs stored as a `bench run` that stopped before training would leave them. */
    private static List<RunSpec> storePending(Path db) {
        MatrixDefinition m = Matrices.load(ShardMergeTest.tinyMatrix());
        List<RunSpec> specs = Expansion.expand(m);
        try (Store s = Store.open(db)) {
            s.matrices().upsert(m.name(), Canonical.json(m));
            specs.forEach(spec -> s.runs().insertIfAbsent(spec.id(), m.name(), spec.canonicalJson()));
        }
        return specs;
    }

    private static RunStatus status(Path db, String id) {
        try (Store s = Store.open(db)) {
            return s.runs().find(id).orElseThrow().status();
        }
    }

    @Test
    void aStoredRunTrainsFromItsStoredSpecAloneAndOnceOnly() {
        Path db = tmp.resolve("results.db");
        List<RunSpec> specs = storePending(db);
        String definitionBefore;
        try (Store s = Store.open(db)) {
            definitionBefore = s.matrices().definition("tiny").orElseThrow();
        }
        String id = specs.get(1).id();

        BenchCliTest.Result r = BenchCliTest.bench("run", "--only", id.substring(0, 8), "--device", "cpu", "--db",
                db.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("matrix tiny (1 runs)"), r.out());
        assertTrue(r.out().contains("finished: 1 trained"), r.out());
        try (Store s = Store.open(db)) {
            RunRow row = s.runs().find(id).orElseThrow();
            assertEquals(RunStatus.DONE, row.status());
            assertTrue(s.evaluations().find(row.evaluationId()).orElseThrow().testAccuracy() > 0);
            for (RunSpec other : specs) {
                if (!other.id().equals(id)) {
                    assertEquals(RunStatus.PENDING, s.runs().find(other.id()).orElseThrow().status(), "only the named run trains");
                }
            }
            assertEquals("bench run --db " + db + " --only " + id, s.environment().of(id).get("reproduce"));
            assertEquals(definitionBefore, s.matrices().definition("tiny").orElseThrow(), "the stored matrix is read, not rewritten");
        }

        BenchCliTest.Result again = BenchCliTest.bench("run", "--only", id, "--device", "cpu", "--db", db.toString());
        assertEquals(0, again.code(), again.err());
        assertTrue(again.out().contains("run " + id + " is already done in " + db), again.out());
        assertFalse(again.out().contains("epoch 1/1"), again.out());
    }

    @Test
    void onlyWithAMatrixStillSelectsFromTheExpandedMatrix() {
        Path db = tmp.resolve("results.db");
        List<RunSpec> specs = Expansion.expand(Matrices.load(ShardMergeTest.tinyMatrix()));
        String id = specs.get(2).id();
        BenchCliTest.Result r = BenchCliTest.bench("run", "--matrix", ShardMergeTest.tinyMatrix(), "--only",
                id.substring(0, 10), "--device", "cpu", "--db", db.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        try (Store s = Store.open(db)) {
            assertEquals(RunStatus.DONE, s.runs().find(id).orElseThrow().status());
            assertEquals(List.of(id), s.runs().list("tiny").stream().map(RunRow::id).toList(), "only the named run is taken");
            assertEquals("bench run --matrix " + ShardMergeTest.tinyMatrix() + " --db " + db + " --only " + id,
                    s.environment().of(id).get("reproduce"));
        }
    }

    @Test
    void aStoredSpecThatNoLongerHashesToItsIdIsRefusedAndNothingRuns() {
        Path db = tmp.resolve("results.db");
        List<RunSpec> specs = storePending(db);
        // A row whose spec text was changed after it was stored: another run's spec under this id.
        String id = "0badc0de" + specs.get(0).id().substring(8);
        try (Store s = Store.open(db)) {
            s.runs().insertIfAbsent(id, "tiny", specs.get(1).canonicalJson());
        }
        BenchCliTest.Result r = BenchCliTest.bench("run", "--only", "0badc0de", "--device", "cpu", "--db", db.toString());
        assertUsageError(r, "run " + id, "stored spec hashes to " + specs.get(1).id(), "not to its id", "nothing was run");
        assertEquals(RunStatus.PENDING, status(db, id));
        assertEquals(RunStatus.PENDING, status(db, specs.get(1).id()));
    }

    @Test
    void aStoredSpecThisVersionReadsAsAnotherRunIsRefused() {
        Path db = tmp.resolve("results.db");
        List<RunSpec> specs = storePending(db);
        // The same spec written with other whitespace: its text hashes to its id, its meaning to another run's.
        String text = specs.get(0).canonicalJson().replace(",", ", ");
        String id = Canonical.sha256(text);
        try (Store s = Store.open(db)) {
            s.runs().insertIfAbsent(id, "tiny", text);
        }
        BenchCliTest.Result r = BenchCliTest.bench("run", "--only", id.substring(0, 8), "--device", "cpu", "--db",
                db.toString());
        assertUsageError(r, "run " + id, "reads its stored spec as run " + specs.get(0).id(), "--matrix FILE --only");
        assertEquals(RunStatus.PENDING, status(db, id));
    }

    @Test
    void usageErrorsOfOnlyWithoutAMatrix() {
        Path db = tmp.resolve("results.db");
        List<RunSpec> specs = storePending(db);
        String prefix = specs.get(0).id().substring(0, 8);
        assertUsageError(BenchCliTest.bench("run", "--db", db.toString()), "--matrix is required", "--only RUN_ID");
        assertUsageError(BenchCliTest.bench("run", "--only", prefix, "--shard", "1/2", "--db", db.toString()),
                "--shard 1/2 needs --matrix");
        assertUsageError(BenchCliTest.bench("run", "--only", "fedcba98", "--db", db.toString()),
                "run fedcba98: no run in " + db);
        assertUsageError(BenchCliTest.bench("run", "--only", "abc", "--db", db.toString()), "too short");
        Path none = tmp.resolve("none.db");
        assertUsageError(BenchCliTest.bench("run", "--only", prefix, "--db", none.toString()),
                "--db " + none + ": no such database");
        assertFalse(none.toFile().exists(), "a missing database is not created");
        try (Store s = Store.open(db)) {
            s.matrices().upsert("tiny", "{\"name\":\"tiny\"}");
        }
        assertUsageError(BenchCliTest.bench("run", "--only", prefix, "--db", db.toString()),
                "matrix tiny in " + db + ": this TrickBench cannot read it");
    }

    @Test
    void helpTeachesOnlyWithoutAMatrix() {
        BenchCliTest.Result r = BenchCliTest.bench("run", "--help");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("bench run --only 3f9a0c1b --db results.db"), r.out());
        String text = r.out().replaceAll("\\s+", " ");
        assertTrue(text.contains("Required unless --only names a stored run"), r.out());
        assertTrue(text.contains("after checking that the stored spec still hashes to the run's id"), r.out());
    }

    @Test
    void everyPresetAndTestMatrixReadsBackFromItsStoredForm() {
        List<String> sources = new ArrayList<>(Matrices.PRESETS);
        for (String name : List.of("tiny", "tricks", "attribution", "fixed", "gradient", "blackbox", "darts")) {
            sources.add(ShardMergeTest.testMatrix(name));
        }
        for (String source : sources) {
            MatrixDefinition m = Matrices.load(source);
            MatrixDefinition back = Matrices.fromStored(Canonical.json(m), "stored " + source);
            assertEquals(Canonical.json(m), Canonical.json(back), source);
            assertEquals(Expansion.expand(m), Expansion.expand(back), source);
        }
    }
}
