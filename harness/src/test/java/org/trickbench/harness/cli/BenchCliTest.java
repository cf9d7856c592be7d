package org.trickbench.harness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class BenchCliTest {
    record Result(int code, String out, String err) {}

    static Result bench(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Bench.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    /** A user mistake: exit 2 and one line on stderr, without a stack trace, holding every fragment. */
    static void assertUsageError(Result r, String... fragments) {
        assertEquals(2, r.code(), r.out() + r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
        for (String f : fragments) {
            assertTrue(r.err().contains(f), "'" + f + "' in: " + r.err());
        }
    }

    @Test
    void genotypePrintsThePublishedParameterCount() {
        Result r = bench("genotype", "|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|none~0|nor_conv_3x3~1|avg_pool_3x3~2|");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("802,426"), r.out());
        assertTrue(r.out().contains("index"), r.out());
    }

    @Test
    void genotypePrintsThePublishedFlopsOfTheAll3x3Cell() {
        String all3x3 = "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|";
        Result cifar10 = bench("genotype", all3x3);
        assertEquals(0, cifar10.code(), cifar10.err());
        assertTrue(cifar10.out().contains("flops       220,119,690 multiply-accumulates (220.11969 M)"), cifar10.out());
        Result cifar100 = bench("genotype", all3x3, "--dataset", "cifar100");
        assertEquals(0, cifar100.code(), cifar100.err());
        assertTrue(cifar100.out().contains("flops       220,125,540 multiply-accumulates (220.12554 M)"), cifar100.out());
    }

    @Test
    void genotypeAcceptsAnIndexAndADataSetShape() {
        Result r = bench("genotype", "0", "--dataset", "fashion-mnist", "--channels", "8", "--cells", "1");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("|none~0|+|none~0|none~1|+|none~0|none~1|none~2|"), r.out());
        assertTrue(r.out().contains("1×28×28"), r.out());
    }

    @Test
    void malformedGenotypeExitsTwoWithOneLineAndNoStackTrace() {
        Result r = bench("genotype", "|conv~0|");
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("bench: malformed NAS-Bench-201 genotype"), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }

    @Test
    void usageErrorsExitTwo() {
        assertEquals(2, bench("run").code());
        assertEquals(2, bench("frobnicate").code());
        assertEquals(2, bench("list", "things").code());
        Result gpu = bench("run", "--matrix", "smoke", "--device", "tpu");
        assertEquals(2, gpu.code());
        assertTrue(gpu.err().contains("allowed: auto, cpu, gpu"), gpu.err());
    }

    @Test
    void gpuOnAMachineWithoutOneExitsTwoSayingSo(@TempDir Path tmp) {
        Result r = bench("run", "--matrix", "smoke", "--device", "gpu", "--db", tmp.resolve("r.db").toString());
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("no GPU"), r.err());
    }

    @Test
    void everyCommandHasHelp() {
        // picocli reports a help text it cannot format (a lone '%') on System.err, not through setErr.
        PrintStream systemErr = System.err;
        ByteArrayOutputStream warnings = new ByteArrayOutputStream();
        System.setErr(new PrintStream(warnings, true, StandardCharsets.UTF_8));
        try {
            for (String cmd : Bench.commandLine().getSubcommands().keySet()) {
                Result r = bench(cmd, "--help");
                assertEquals(0, r.code(), cmd);
                assertTrue(r.out().contains("Usage: bench " + cmd), r.out());
                assertFalse(r.out().contains("%n"), cmd + " help has an unformatted '%n': " + r.out());
            }
        } finally {
            System.setErr(systemErr);
        }
        assertEquals("", warnings.toString(StandardCharsets.UTF_8), "picocli's warnings while formatting help");
        assertTrue(bench("--version").out().startsWith("TrickBench "));
    }

    @Test
    void listShowsSpacesAlgorithmsAndMatrices() {
        assertTrue(bench("list", "spaces").out().contains("15,625"));
        assertTrue(bench("list", "algorithms").out().contains("random"));
        assertTrue(bench("list", "matrices").out().contains("smoke"));
        String tricks = bench("list", "tricks").out();
        for (org.trickbench.core.trick.Trick t : org.trickbench.tricks.Tricks.all()) {
            assertTrue(tricks.contains(t.id()), t.id());
            assertTrue(tricks.contains(t.reference()), t.id());
        }
    }
}
