package org.trickbench.harness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trickbench.harness.store.EpochRow;
import org.trickbench.harness.store.RunRow;
import org.trickbench.harness.store.Store;

/** Runs trained two at a time in one process compute exactly what they compute one at a time. */
class ParallelRunTest {
    private static String matrix() {
        return ShardMergeTest.testMatrix("parallel");
    }

    /** Everything a run computed, as exact text: genotype, proxy score, final metrics, every epoch's values but time. */
    private static Map<String, String> results(Path db) {
        Map<String, String> byId = new TreeMap<>();
        try (Store s = Store.open(db)) {
            for (RunRow r : s.runs().list("parallel")) {
                StringBuilder sb = new StringBuilder(r.status().stored()).append(' ').append(r.search().genotype()).append(" proxy ")
                        .append(r.search().proxyScore());
                s.evaluations().find(r.evaluationId()).ifPresent(e -> sb.append(" test ").append(e.testAccuracy())
                        .append(" train ").append(e.trainAccuracy()).append(" loss ").append(e.trainLoss()));
                for (String owner : new String[] {r.id(), r.evaluationId()}) {
                    for (EpochRow epoch : owner == null ? java.util.List.<EpochRow>of() : s.epochs().of(owner)) {
                        if (!epoch.metric().equals("seconds")) {
                            sb.append(' ').append(epoch.phase()).append(epoch.epoch()).append(':').append(epoch.metric())
                                    .append('=').append(epoch.value());
                        }
                    }
                }
                byId.put(r.id(), sb.toString());
            }
        }
        return byId;
    }

    @Test
    void twoRunsAtOnceGiveBitIdenticalResultsToOneAtATime(@TempDir Path tmp) {
        Path serial = tmp.resolve("serial.db");
        Path parallel = tmp.resolve("parallel.db");
        BenchCliTest.Result one = BenchCliTest.bench("run", "--matrix", matrix(), "--device", "cpu", "--db", serial.toString());
        assertEquals(0, one.code(), one.out() + one.err());
        BenchCliTest.Result two = BenchCliTest.bench("run", "--matrix", matrix(), "--device", "cpu", "--parallel", "2",
                "--db", parallel.toString());
        assertEquals(0, two.code(), two.out() + two.err());

        Map<String, String> expected = results(serial);
        assertEquals(6, expected.size());
        expected.values().forEach(v -> assertTrue(v.startsWith("done "), v));
        assertEquals(expected, results(parallel));

        // Interleaved lines stay attributable: each of a run's lines starts with its id.
        try (Store s = Store.open(parallel)) {
            for (RunRow r : s.runs().list("parallel")) {
                String prefix = r.id().substring(0, 10) + "   genotype ";
                assertTrue(two.out().lines().anyMatch(l -> l.startsWith(prefix)), two.out());
                Map<String, String> env = s.environment().of(r.id());
                assertEquals("2", env.get("parallel_runs"));
                assertEquals("on", env.get("deterministic_requested"));
                assertEquals("true (warn only)", env.get("deterministic_algorithms"), env.toString());
            }
        }
    }

    @Test
    void parallelOutsideOneToSixtyFourIsAUsageError(@TempDir Path tmp) {
        for (String n : new String[] {"0", "65"}) {
            BenchCliTest.Result r = BenchCliTest.bench("run", "--matrix", matrix(), "--device", "cpu", "--parallel", n,
                    "--db", tmp.resolve("x.db").toString());
            assertEquals(2, r.code(), r.out() + r.err());
            assertTrue(r.err().contains("--parallel " + n) && r.err().contains("1 to 64"), r.err());
        }
    }
}
