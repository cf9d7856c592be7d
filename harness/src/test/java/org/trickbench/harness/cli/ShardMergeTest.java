package org.trickbench.harness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trickbench.harness.store.RunRow;
import org.trickbench.harness.store.Store;

/** Shards of a matrix, run at once into their own databases and merged, hold exactly the unsharded runs. */
class ShardMergeTest {
    static String tinyMatrix() {
        return testMatrix("tiny");
    }

    /** The path of a test matrix under {@code matrices/}, by name. */
    static String testMatrix(String name) {
        try {
            return Path.of(ShardMergeTest.class.getResource("/matrices/" + name + ".yaml").toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> results(Path db) {
        Map<String, String> byId = new TreeMap<>();
        try (Store s = Store.open(db)) {
            for (RunRow r : s.runs().list("tiny")) {
                byId.put(r.id(), r.status() + " " + r.search().genotype() + " "
                        + s.evaluations().find(r.evaluationId()).map(e -> Double.toString(e.testAccuracy())).orElse("-"));
            }
        }
        return byId;
    }

    @Test
    void twoShardsMergedEqualTheUnshardedMatrixAndMergingAgainAddsNothing(@TempDir Path tmp) throws Exception {
        String m = tinyMatrix();
        Path whole = tmp.resolve("whole.db");
        Path a = tmp.resolve("a.db");
        Path b = tmp.resolve("b.db");
        Path merged = tmp.resolve("merged.db");
        assertEquals(0, BenchCliTest.bench("run", "--matrix", m, "--device", "cpu", "--db", whole.toString()).code());
        // The two shards run at once, as two processes, the way two array tasks would.
        Path log = tmp.resolve("shards.log");
        Process first = BenchProcess.start(log, "run", "--matrix", m, "--device", "cpu", "--shard", "1/2", "--db", a.toString());
        Process second = BenchProcess.start(log, "run", "--matrix", m, "--device", "cpu", "--shard", "2/2", "--db", b.toString());
        assertTrue(first.waitFor(10, TimeUnit.MINUTES) && second.waitFor(10, TimeUnit.MINUTES), "shards still running");
        assertEquals(0, first.exitValue(), Files.readString(log));
        assertEquals(0, second.exitValue(), Files.readString(log));
        int inA = results(a).size();
        int inB = results(b).size();
        assertEquals(4, inA + inB, "shards must partition the four runs");
        assertTrue(results(a).keySet().stream().noneMatch(results(b)::containsKey));

        BenchCliTest.Result r = BenchCliTest.bench("merge", a.toString(), b.toString(), "--into", merged.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        assertEquals(results(whole), results(merged));

        BenchCliTest.Result csv = BenchCliTest.bench("export", "--db", merged.toString());
        assertEquals(0, csv.code(), csv.err());
        List<String> lines = csv.out().strip().lines().toList();
        assertEquals(5, lines.size(), csv.out());
        assertTrue(lines.get(0).startsWith("run_id,matrix,algorithm,algorithm_params,dataset,seed,tricks,status,genotype"));
        assertTrue(lines.get(1).contains(",random,\"{\"\"index\"\":"), "JSON params are quoted as RFC 4180: " + lines.get(1));
        BenchCliTest.Result json = BenchCliTest.bench("export", "--format", "json", "--db", merged.toString());
        assertEquals(0, json.code(), json.err());
        assertTrue(json.out().contains("\"metric\" : \"test_acc\""), "per-epoch metrics are exported");
        assertEquals(2, BenchCliTest.bench("export", "--format", "xml", "--db", merged.toString()).code());

        BenchCliTest.Result again = BenchCliTest.bench("merge", a.toString(), b.toString(), "--into", merged.toString());
        assertEquals(0, again.code());
        assertTrue(again.out().contains("0 runs added, 0 completed, 0 evaluations added, 0 conflicts"), again.out());
        assertEquals(results(whole), results(merged));
    }

    @Test
    void aRunDoneTwiceWithDifferentGenotypesIsAConflictAndExitsOne(@TempDir Path tmp) {
        Path a = tmp.resolve("a.db");
        Path b = tmp.resolve("b.db");
        for (Path db : List.of(a, b)) {
            try (Store s = Store.open(db)) {
                s.runs().insertIfAbsent("r1", "tiny", "{}");
                s.runs().claim("r1", "1@h", "h");
                s.runs().complete("r1", "1@h", new org.trickbench.harness.store.RunCompletion(
                        db.equals(a) ? "|skip_connect~0|+|none~0|none~1|+|none~0|none~1|none~2|"
                                : "|none~0|+|none~0|none~1|+|none~0|none~1|none~2|", null, 0, 0, null));
            }
        }
        BenchCliTest.Result r = BenchCliTest.bench("merge", b.toString(), "--into", a.toString());
        assertEquals(1, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("conflict: run r1"), r.out());
        try (Store s = Store.open(a)) {
            assertTrue(s.runs().find("r1").orElseThrow().search().genotype().startsWith("|skip_connect~0|"), "the target's copy is kept");
        }
    }

    @Test
    void badShardAndUnknownOnlyAreUsageErrors(@TempDir Path tmp) {
        String m = tinyMatrix();
        BenchCliTest.Result shard = BenchCliTest.bench("run", "--matrix", m, "--shard", "3/2", "--db", tmp.resolve("x.db").toString());
        assertEquals(2, shard.code());
        assertTrue(shard.err().contains("1 <= i <= n"), shard.err());
        BenchCliTest.Result only = BenchCliTest.bench("run", "--matrix", m, "--only", "zzzz", "--db", tmp.resolve("x.db").toString());
        assertEquals(2, only.code());
        assertTrue(only.err().contains("--only zzzz"), only.err());
    }
}
