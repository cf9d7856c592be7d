package org.trickbench.harness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trickbench.harness.store.RunRow;
import org.trickbench.harness.store.Store;

/** {@code --libtorch}: the option beats $TRICKBENCH_LIBTORCH, and a bad install stops a command before DJL starts. */
class LibtorchOptionTest {
    private static LibtorchOption option(String value) {
        LibtorchOption o = new LibtorchOption();
        o.libtorch = value;
        return o;
    }

    @Test
    void theOptionWinsOverTheEnvironmentWhichWinsOverBundled() {
        Map<String, String> env = Map.of("TRICKBENCH_LIBTORCH", "python");
        assertEquals("/opt/torch", option("/opt/torch").spec(env));
        assertEquals("python", option(null).spec(env));
        assertEquals("bundled", option(null).spec(Map.of()));
        assertEquals("bundled", option(null).spec(Map.of("TRICKBENCH_LIBTORCH", " ")));
    }

    @Test
    void aFolderThatIsNoTorchExitsTwoWithOneLineBeforeTheEngineStarts(@TempDir Path tmp) throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("not-torch"));
        for (String[] args : new String[][] {
            {"genotype", "0", "--libtorch", empty.toString()},
            {"run", "--matrix", "smoke", "--dry-run", "--db", tmp.resolve("r.db").toString(), "--libtorch", empty.toString()},
            {"perf", "--libtorch", empty.toString()},
            {"check", "--baseline", tmp.resolve("b.json").toString(), "--libtorch", empty.toString()}}) {
            BenchCliTest.Result r = BenchCliTest.bench(args);
            assertEquals(2, r.code(), args[0] + ": " + r.out() + r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertTrue(r.err().startsWith("bench: --libtorch " + empty + ": not a torch install"), r.err());
            assertTrue(r.err().contains("pip install torch"), r.err());
            assertEquals("", r.out());
        }
        assertTrue(Files.notExists(tmp.resolve("r.db")), "nothing ran");
        assertNull(System.getProperty("PYTORCH_LIBRARY_PATH"), "nothing was applied");
    }

    @Test
    void everyRunRecordsTheBundledLibtorchAndThePrintedLineNamesIt(@TempDir Path tmp) {
        Path db = tmp.resolve("runs.db");
        BenchCliTest.Result r = BenchCliTest.bench("run", "--matrix", ShardMergeTest.tinyMatrix(), "--device", "cpu",
                "--db", db.toString(), "--libtorch", "bundled");
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("libtorch: torch 2.7.1 bundled in the jar (JNI jar:jnilib/linux-x86_64/cpu/"
                + "libdjl_torch.so)"), r.out());
        try (Store s = Store.open(db)) {
            List<RunRow> runs = s.runs().list("tiny");
            assertTrue(!runs.isEmpty());
            for (RunRow run : runs) {
                Map<String, String> env = s.environment().of(run.id());
                assertEquals("bundled", env.get("libtorch_source"), env.toString());
                assertEquals("2.7.1", env.get("torch_version"));
                assertEquals("none", env.get("torch_cuda"));
                assertEquals("2.7.1", env.get("djl_told_version"));
                assertEquals("cpu", env.get("djl_flavor"));
                assertEquals("cpu", env.get("libtorch_flavor"));
            }
        }
    }

    @Test
    void theHelpTeachesTheValuesAndTheJniBuild() {
        BenchCliTest.Result r = BenchCliTest.bench("run", "--help");
        // picocli wraps long words after a dot; compare without white space.
        String help = r.out().replaceAll("\\s+", "");
        assertTrue(help.contains("--libtorch=bundled|python|DIR"), r.out());
        assertTrue(help.contains("scripts/gpu/build-jni.sh--torchDIR--djl-src<DJLcheckoutattagv0.36.0>"), r.out());
        assertTrue(help.contains("torch-<version>/pytorch/2.7.1-<cpu|cu128>-linux-x86_64/0.36.0-libdjl_torch.so"), r.out());
    }
}
