package org.trickbench.harness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `bench report` of one matrix, of several together (--matrix a,b), or of all of them (--all). */
class ReportCommandTest {
    private static Path imported(Path tmp, String name, String rows) throws Exception {
        Path db = tmp.resolve("results.db");
        Path csv = Files.writeString(tmp.resolve(name + ".csv"), "algorithm,dataset,seed,accuracy,trick:cutout\n" + rows);
        BenchCliTest.Result r = BenchCliTest.bench("import", csv.toString(), "--db", db.toString());
        assertEquals(0, r.code(), r.err());
        return db;
    }

    @Test
    void severalMatricesMakeOneReportWhoseAnalysesSitSideBySide(@TempDir Path tmp) throws Exception {
        imported(tmp, "a", "rea,cifar10,0,0.91,on\nrea,cifar10,0,0.90,off\nrea,cifar10,1,0.93,on\nrea,cifar10,1,0.90,off\n");
        Path db = imported(tmp, "b", "random,cifar10,0,0.85,on\nrandom,cifar10,1,0.84,off\n");
        Path out = tmp.resolve("reports");

        BenchCliTest.Result both = BenchCliTest.bench("report", "--db", db.toString(), "--out", out.toString(),
                "--matrix", "a,b");
        assertEquals(0, both.code(), both.err());
        assertEquals(1, both.out().lines().count(), both.out());
        String page = Files.readString(out.resolve("a+b").resolve("index.html"));
        assertTrue(page.contains("<h2>Attribution: cifar10 · imported into a</h2>"), "each import is its own group");
        assertTrue(page.contains("<h2>Attribution: cifar10 · imported into b</h2>"));
        assertTrue(page.contains("bench import FILE.csv --matrix a (imported runs"), "how to reproduce each part");
        assertTrue(Files.readString(out.resolve("a+b").resolve("analysis.json")).contains("\"protocol\" : \"imported into a\""));

        BenchCliTest.Result all = BenchCliTest.bench("report", "--db", db.toString(), "--out", out.toString(), "--all",
                "--name", "everything");
        assertEquals(0, all.code(), all.err());
        assertTrue(Files.isRegularFile(out.resolve("everything").resolve("index.html")));

        BenchCliTest.Result each = BenchCliTest.bench("report", "--db", db.toString(), "--out", out.toString());
        assertEquals(0, each.code(), each.err());
        assertEquals(2, each.out().lines().count(), "without options, one report per matrix: " + each.out());
        assertFalse(Files.readString(out.resolve("a").resolve("index.html")).contains(" · imported into"),
                "a report of one group needs no group label");
    }

    @Test
    void unknownMatricesAndConflictingOptionsExitTwo(@TempDir Path tmp) throws Exception {
        Path db = imported(tmp, "a", "rea,cifar10,0,0.91,on\n");
        BenchCliTest.Result unknown = BenchCliTest.bench("report", "--db", db.toString(), "--matrix", "a,zz");
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().contains("--matrix 'zz' is not in"), unknown.err());
        BenchCliTest.Result both = BenchCliTest.bench("report", "--db", db.toString(), "--matrix", "a", "--all");
        assertEquals(2, both.code());
        assertTrue(both.err().contains("give --matrix or --all, not both"), both.err());
    }
}
