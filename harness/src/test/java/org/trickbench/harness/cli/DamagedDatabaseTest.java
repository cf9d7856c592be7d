package org.trickbench.harness.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.trickbench.harness.store.EpochRow;
import org.trickbench.harness.store.Store;

/**
 * Every command that opens a results database refuses a damaged one with exit 2 and one line naming the
 * file, SQLite's reason and how to recover, leaves the file as it was, and prints no stack trace.
 */
class DamagedDatabaseTest {
    private static final int RUNS = 40;

    @TempDir
    Path tmp;

    /** Three ways a results file gets damaged, and what SQLite says about each. */
    enum Damage {
        /** The first 10 KB of a real database: a copy or download cut short. */
        TRUNCATED("database disk image is malformed"),
        /** Bytes that never were an SQLite file. */
        GARBAGE("file is not a database"),
        /** A valid file whose middle page was overwritten (bad disk block, a stray write). */
        MIDDLE_PAGE("database disk image is malformed");

        final String reason;

        Damage(String reason) {
            this.reason = reason;
        }

        Path apply(Path intact, Path target) throws IOException {
            byte[] bytes = Files.readAllBytes(intact);
            Random random = new Random(ordinal() + 11);
            switch (this) {
                case TRUNCATED -> bytes = Arrays.copyOf(bytes, 10 * 1024);
                case GARBAGE -> random.nextBytes(bytes = new byte[20_000]);
                case MIDDLE_PAGE -> {
                    // The header stores the page size big-endian at offset 16 (sqlite.org/fileformat.html).
                    int pageSize = Short.toUnsignedInt(ByteBuffer.wrap(bytes, 16, 2).getShort());
                    int pages = bytes.length / pageSize;
                    byte[] junk = new byte[pageSize];
                    random.nextBytes(junk);
                    System.arraycopy(junk, 0, bytes, pages / 2 * pageSize, pageSize);
                }
            }
            return Files.write(target, bytes);
        }
    }

    /** A small database written through the store's own API: one matrix, runs and their epochs. */
    static Path intactDatabase(Path file, String matrix) {
        try (Store s = Store.open(file)) {
            s.matrices().upsert(matrix, "{}");
            for (int i = 0; i < RUNS; i++) {
                String id = String.format("%s-%04d", matrix, i);
                s.runs().insertIfAbsent(id, matrix, "{\"seed\":" + i + ",\"note\":\"" + "x".repeat(100) + "\"}");
                List<EpochRow> rows = new ArrayList<>();
                for (int e = 0; e < 20; e++) {
                    rows.add(new EpochRow(id, "final", e, "train_loss", 1.0 / (e + 1)));
                }
                s.epochs().appendAll(rows);
            }
        }
        return file;
    }

    private Path damaged(Damage damage) throws IOException {
        Path intact = intactDatabase(tmp.resolve("intact.db"), "m");
        assertTrue(Files.size(intact) > 40 * 1024, "the fixture must span many pages: " + Files.size(intact));
        return damage.apply(intact, tmp.resolve("damaged.db"));
    }

    /** Runs the command on the damaged file and checks the one-line refusal and that the file is untouched. */
    private static BenchCliTest.Result assertRefused(Damage damage, Path file, String... args) throws IOException {
        byte[] before = Files.readAllBytes(file);
        BenchCliTest.Result r = BenchCliTest.bench(args);
        String err = r.err().strip();
        assertEquals(2, r.code(), r.out() + r.err());
        assertEquals(1, err.lines().count(), err);
        assertTrue(err.contains(file.toString()), err);
        assertTrue(err.contains(damage.reason), err);
        assertTrue(err.contains("sqlite3 " + file + " .dump | sed '$s/^ROLLBACK.*/COMMIT;/' | sqlite3 "
                + file.resolveSibling("damaged-recovered.db")), err);
        assertTrue(err.contains("merged again from its shard files"), err);
        assertFalse(err.contains("Exception") || err.contains("\tat ") || r.out().contains("\tat "), r.out() + err);
        assertArrayEquals(before, Files.readAllBytes(file), "a refused database must be left as it was");
        return r;
    }

    @Test
    void theIntactFixtureIsReadByEveryReadingCommand() {
        Path db = intactDatabase(tmp.resolve("intact.db"), "m");
        BenchCliTest.Result status = BenchCliTest.bench("status", "--db", db.toString());
        assertEquals(0, status.code(), status.err());
        assertTrue(status.out().contains("m: " + RUNS + " runs, " + RUNS + " pending"), status.out());
        assertEquals(0, BenchCliTest.bench("export", "--format", "json", "--db", db.toString()).code());
        Path into = tmp.resolve("merged.db");
        assertEquals(0, BenchCliTest.bench("merge", db.toString(), "--into", into.toString()).code());
    }

    @ParameterizedTest
    @EnumSource(Damage.class)
    void statusRefusesADamagedDatabase(Damage damage) throws IOException {
        Path db = damaged(damage);
        assertRefused(damage, db, "status", "--db", db.toString());
    }

    @ParameterizedTest
    @EnumSource(Damage.class)
    void reportRefusesADamagedDatabase(Damage damage) throws IOException {
        Path db = damaged(damage);
        assertRefused(damage, db, "report", "--db", db.toString(), "--out", tmp.resolve("reports").toString());
        assertFalse(Files.exists(tmp.resolve("reports")), "no report from a damaged database");
    }

    @ParameterizedTest
    @EnumSource(Damage.class)
    void exportRefusesADamagedDatabase(Damage damage) throws IOException {
        Path db = damaged(damage);
        assertRefused(damage, db, "export", "--format", "json", "--db", db.toString());
    }

    @ParameterizedTest
    @EnumSource(Damage.class)
    void runRefusesADamagedDatabaseBeforeTraining(Damage damage) throws IOException {
        Path db = damaged(damage);
        assertRefused(damage, db, "run", "--matrix", "smoke", "--device", "cpu", "--db", db.toString(),
                "--data-dir", tmp.resolve("no-data").toString());
    }

    @ParameterizedTest
    @EnumSource(Damage.class)
    void importRefusesADamagedDatabase(Damage damage) throws IOException {
        Path db = damaged(damage);
        Path csv = Files.writeString(tmp.resolve("other-tool.csv"), "algorithm,dataset,seed,accuracy\nrea,cifar10,0,0.93\n");
        assertRefused(damage, db, "import", csv.toString(), "--db", db.toString());
    }

    @ParameterizedTest
    @EnumSource(Damage.class)
    void checkRefusesADamagedDatabase(Damage damage) throws IOException {
        Path db = damaged(damage);
        Path baseline = tmp.resolve("baseline.json");
        assertRefused(damage, db, "check", "--matrix", "ci", "--baseline", baseline.toString(), "--update-baseline",
                "--device", "cpu", "--db", db.toString(), "--data-dir", tmp.resolve("no-data").toString());
        assertFalse(Files.exists(baseline), "no baseline from a damaged database");
    }

    @ParameterizedTest
    @EnumSource(Damage.class)
    void mergeNamesTheDamagedShardAmongGoodOnesAndMergesNothing(Damage damage) throws IOException {
        Path a = intactDatabase(tmp.resolve("shard-a.db"), "a");
        Path b = intactDatabase(tmp.resolve("shard-b.db"), "b");
        Path bad = damaged(damage);
        Path into = tmp.resolve("merged.db");
        BenchCliTest.Result r = assertRefused(damage, bad, "merge", a.toString(), bad.toString(), b.toString(), "--into",
                into.toString());
        assertFalse(r.err().contains(a.toString()) || r.err().contains(b.toString()), "only the damaged shard is named: "
                + r.err());
        assertFalse(Files.exists(into), "nothing is merged when one shard is damaged");
    }

    @ParameterizedTest
    @EnumSource(Damage.class)
    void mergeRefusesADamagedTarget(Damage damage) throws IOException {
        Path a = intactDatabase(tmp.resolve("shard-a.db"), "a");
        Path into = damaged(damage);
        assertRefused(damage, into, "merge", a.toString(), "--into", into.toString());
    }
}
