package org.trickbench.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.trickbench.harness.store.EpochRow;
import org.trickbench.harness.store.Epochs;
import org.trickbench.harness.store.Store;

/**
 * Ingest of per-epoch metric rows into the SQLite store, in rows per second: a whole curve in one
 * {@link Epochs#appendAll} call (one transaction), against one {@link Epochs#append} call per
 * epoch (a transaction, and a sync to disk, per epoch), which is how a training writes as it goes.
 * The database is a file in the temporary folder, in WAL mode as every store is.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class StoreBenchmark {
    /** Rows of one batched call: 2,000 epochs of five metrics. */
    static final int BATCH_ROWS = 10_000;
    /** Metrics of one epoch, as {@code EpochMetrics.asMap} writes them. */
    static final List<String> METRICS = List.of("train_loss", "train_acc", "test_acc", "lr", "seconds");
    static final int EPOCHS = 20;

    private Path dir;
    private Store store;
    private int owner;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("trickbench-store-bench");
        store = Store.open(dir.resolve("bench.db"));
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        store.close();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH_ROWS)
    public void batched() {
        String id = "eval-" + owner++;
        List<EpochRow> rows = new ArrayList<>(BATCH_ROWS);
        for (int i = 0; i < BATCH_ROWS; i++) {
            rows.add(new EpochRow(id, "final", i / METRICS.size(), METRICS.get(i % METRICS.size()), i * 1e-4));
        }
        store.epochs().appendAll(rows);
    }

    @Benchmark
    @OperationsPerInvocation(EPOCHS * 5)
    public void oneTransactionPerEpoch() {
        String id = "eval-" + owner++;
        for (int epoch = 0; epoch < EPOCHS; epoch++) {
            Map<String, Double> metrics = new LinkedHashMap<>();
            for (String m : METRICS) {
                metrics.put(m, epoch * 1e-2);
            }
            store.epochs().append(id, "final", epoch, metrics);
        }
    }
}
