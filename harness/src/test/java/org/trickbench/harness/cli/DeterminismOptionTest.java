package org.trickbench.harness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trickbench.harness.store.RunRow;
import org.trickbench.harness.store.Store;

/** Every run records libtorch's determinism switches as read back: on by default, off on request. */
class DeterminismOptionTest {
    private static List<Map<String, String>> environments(Path db) {
        try (Store s = Store.open(db)) {
            return s.runs().list("tiny").stream().map(RunRow::id).map(s.environment()::of).toList();
        }
    }

    @Test
    void runsRecordTheSwitchesAsSetAndAsUnsetWithNoDeterministic(@TempDir Path tmp) {
        Path on = tmp.resolve("on.db");
        Path off = tmp.resolve("off.db");
        BenchCliTest.Result r = BenchCliTest.bench("run", "--matrix", ShardMergeTest.tinyMatrix(), "--device", "cpu",
                "--db", on.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        r = BenchCliTest.bench("run", "--matrix", ShardMergeTest.tinyMatrix(), "--device", "cpu", "--no-deterministic",
                "--db", off.toString());
        assertEquals(0, r.code(), r.out() + r.err());

        for (Map<String, String> env : environments(on)) {
            assertEquals("on", env.get("deterministic_requested"), env.toString());
            assertEquals("true", env.get("cudnn_deterministic"));
            assertEquals("false", env.get("cudnn_benchmark"));
            assertEquals("true (warn only)", env.get("deterministic_algorithms"));
            assertTrue(env.containsKey("cublas_workspace_config"));
            assertEquals("yes (CPU, seeded; deterministic algorithms on)", env.get("deterministic"));
        }
        for (Map<String, String> env : environments(off)) {
            assertEquals("off", env.get("deterministic_requested"), env.toString());
            assertEquals("false", env.get("cudnn_deterministic"));
            assertEquals("false", env.get("deterministic_algorithms"));
            assertTrue(env.get("reproduce").contains(" --no-deterministic --only "), env.get("reproduce"));
        }
        assertEquals(4, environments(off).size());
    }
}
