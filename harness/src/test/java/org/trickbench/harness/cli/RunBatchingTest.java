package org.trickbench.harness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.trickbench.harness.cli.BenchCliTest.assertUsageError;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trickbench.core.run.RunSpec;
import org.trickbench.harness.matrix.Expansion;
import org.trickbench.harness.matrix.Matrices;
import org.trickbench.harness.store.EpochRow;
import org.trickbench.harness.store.EvaluationRow;
import org.trickbench.harness.store.RunRow;
import org.trickbench.harness.store.RunStatus;
import org.trickbench.harness.store.Store;

/**
 * {@code bench run --batch-runs K} end to end on the test matrix {@code batched} (one cell, three seeds,
 * sam and drop-path one at a time: nine runs of two epochs): every run stored as its own,
 * with its own epochs, evaluation and batching factor; the results those of the runs trained alone up to
 * rounding; the same K twice, bit for bit; the same in two shards merged.
 */
class RunBatchingTest {
    @TempDir
    Path tmp;

    /** What a run computed: its status, and its evaluation's per-epoch train loss and its test accuracy. */
    private record Result(RunStatus status, List<Double> trainLoss, double testAccuracy, Map<String, String> environment) {}

    private static Map<RunSpec, Result> results(Path db, List<RunSpec> specs) {
        Map<RunSpec, Result> out = new HashMap<>();
        try (Store s = Store.open(db)) {
            for (RunSpec spec : specs) {
                RunRow row = s.runs().find(spec.id()).orElseThrow();
                EvaluationRow e = s.evaluations().find(row.evaluationId()).orElseThrow();
                List<Double> loss = s.epochs().of(e.id()).stream().filter(r -> r.metric().equals("train_loss"))
                        .map(EpochRow::value).toList();
                out.put(spec, new Result(row.status(), loss, e.testAccuracy(), s.environment().of(spec.id())));
            }
        }
        return out;
    }

    /**
     * A run batched against the same run alone: its own two epochs, and its per-epoch training loss and
     * test accuracy within {@code loss} (relative) and {@code accuracy} of the run alone's.
     */
    private static void assertEqualUpToRounding(RunSpec spec, Result alone, Result batched, double loss,
            double accuracy) {
        assertEquals(RunStatus.DONE, batched.status());
        assertEquals(2, batched.trainLoss().size(), "each run's own epochs");
        for (int epoch = 0; epoch < 2; epoch++) {
            double rel = Math.abs(alone.trainLoss().get(epoch) - batched.trainLoss().get(epoch))
                    / alone.trainLoss().get(epoch);
            assertTrue(rel < loss, spec + " epoch " + epoch + ": " + alone.trainLoss() + " vs " + batched.trainLoss());
        }
        assertEquals(alone.testAccuracy(), batched.testAccuracy(), accuracy, spec.toString());
    }

    /** Runs {@code matrix} one run at a time into {@code alone}, then at K into {@code batched}; their outputs. */
    private static List<String> aloneAndBatched(String matrix, Path alone, Path batched, int k) {
        List<String> outputs = new ArrayList<>();
        for (Path db : List.of(alone, batched)) {
            BenchCliTest.Result r = BenchCliTest.bench("run", "--matrix", matrix, "--device", "cpu", "--db",
                    db.toString(), "--batch-runs", db == alone ? "1" : Integer.toString(k));
            assertEquals(0, r.code(), r.out() + r.err());
            outputs.add(r.out());
        }
        return outputs;
    }

    private static BenchCliTest.Result run(Path db, String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("run", "--matrix", ShardMergeTest.testMatrix("batched"),
                "--device", "cpu", "--db", db.toString()));
        args.addAll(List.of(extra));
        return BenchCliTest.bench(args.toArray(String[]::new));
    }

    @Test
    void batchedRunsAreTheirOwnRunsAndEqualTheRunsAloneUpToRounding() {
        List<RunSpec> specs = Expansion.expand(Matrices.load(ShardMergeTest.testMatrix("batched")));
        assertEquals(9, specs.size());
        Path alone = tmp.resolve("alone.db");
        Path batched = tmp.resolve("batched.db");
        Path again = tmp.resolve("again.db");

        BenchCliTest.Result a = run(alone);
        assertEquals(0, a.code(), a.out() + a.err());
        BenchCliTest.Result b = run(batched, "--batch-runs", "2");
        assertEquals(0, b.code(), b.out() + b.err());
        assertTrue(b.out().contains("batch-runs 2: 9 run(s) in 7 batch(es)"), b.out());
        assertTrue(b.out().contains("3 run(s) train alone: trick drop-path acts beyond its own run's batch"), b.out());
        assertTrue(b.out().contains("finished: 9 trained"), b.out());
        BenchCliTest.Result c = run(again, "--batch-runs", "2");
        assertEquals(0, c.code(), c.out() + c.err());

        Map<RunSpec, Result> one = results(alone, specs);
        Map<RunSpec, Result> two = results(batched, specs);
        Map<RunSpec, Result> twoAgain = results(again, specs);
        Map<String, Integer> factors = new TreeMap<>();
        for (RunSpec spec : specs) {
            Result x = one.get(spec);
            Result y = two.get(spec);
            // A few hundred evaluation images: one prediction flipped by rounding moves a fraction of a point.
            assertEqualUpToRounding(spec, x, y, 1e-3, 0.01);
            assertEquals(y.trainLoss(), twoAgain.get(spec).trainLoss(), "the same K on the same machine is bit-identical");
            assertEquals(y.testAccuracy(), twoAgain.get(spec).testAccuracy(), "the same K on the same machine is bit-identical");
            assertEquals("2", y.environment().get("batch_runs_limit"));
            assertEquals("1", x.environment().get("batch_runs"));
            String trick = spec.tricks().isEmpty() ? "none" : spec.tricks().get(0).id();
            factors.merge(trick + " seed " + spec.seed() + " x" + y.environment().get("batch_runs"), 1, Integer::sum);
        }
        assertEquals(Map.ofEntries(Map.entry("none seed 0 x2", 1), Map.entry("none seed 1 x2", 1),
                Map.entry("none seed 2 x1", 1), Map.entry("sam seed 0 x2", 1), Map.entry("sam seed 1 x2", 1),
                Map.entry("sam seed 2 x1", 1), Map.entry("drop-path seed 0 x1", 1), Map.entry("drop-path seed 1 x1", 1),
                Map.entry("drop-path seed 2 x1", 1)),
                factors, "the batching factor of every run");

        BenchCliTest.Result rerun = run(batched, "--batch-runs", "3");
        assertEquals(0, rerun.code(), rerun.err());
        assertTrue(rerun.out().contains("nothing to train"), rerun.out());

        // Sharded: each shard batches its own runs; merged, the shards hold every run once, each its own.
        Path first = tmp.resolve("shard1.db");
        Path second = tmp.resolve("shard2.db");
        Path merged = tmp.resolve("merged.db");
        for (String[] shard : new String[][] {{"1/2", first.toString()}, {"2/2", second.toString()}}) {
            BenchCliTest.Result r = run(Path.of(shard[1]), "--batch-runs", "2", "--shard", shard[0]);
            assertEquals(0, r.code(), r.out() + r.err());
        }
        try (Store s1 = Store.open(first); Store s2 = Store.open(second)) {
            Set<String> ids = new HashSet<>();
            int stored = 0;
            for (Store s : List.of(s1, s2)) {
                for (RunRow row : s.runs().list("batched")) {
                    ids.add(row.id());
                    stored++;
                }
            }
            assertEquals(specs.size(), stored, "the shards together store each run once");
            assertEquals(specs.size(), ids.size(), "no run is in both shards");
        }
        BenchCliTest.Result m = BenchCliTest.bench("merge", first.toString(), second.toString(), "--into",
                merged.toString());
        assertEquals(0, m.code(), m.out() + m.err());
        Map<RunSpec, Result> sharded = results(merged, specs);
        for (RunSpec spec : specs) {
            assertEqualUpToRounding(spec, one.get(spec), sharded.get(spec), 1e-3, 0.01);
            assertEquals("2", sharded.get(spec).environment().get("batch_runs_limit"));
        }
        assertTrue(sharded.values().stream().anyMatch(r -> "2".equals(r.environment().get("batch_runs"))),
                "a shard batched some of its runs");
    }

    /**
     * Runs of different algorithms whose final trainings differ only in architecture and seed (the test
     * matrix {@code mixed-batch}: the random baseline's two draws and a published cell under two spellings,
     * two seeds) form one batch, and its final evaluations train as one network of different cells. The
     * two runs of a seed that find the published cell need one evaluation: one trains it, the other takes
     * it as from the cache. Each run's results are those of the run alone up to rounding.
     */
    @Test
    void runsOfDifferentAlgorithmsAndCellsTrainTheirFinalEvaluationsAsOneNetwork() {
        String matrix = ShardMergeTest.testMatrix("mixed-batch");
        List<RunSpec> specs = Expansion.expand(Matrices.load(matrix));
        assertEquals(8, specs.size());
        Path alone = tmp.resolve("alone.db");
        Path batched = tmp.resolve("batched.db");
        List<String> outputs = aloneAndBatched(matrix, alone, batched, 8);
        for (String out : outputs) {
            assertTrue(out.contains("finished: 8 trained, 0 already done, 0 failed, 0 not retried, 2 evaluation"
                    + " cache hits"), out);
        }
        assertTrue(outputs.get(1).contains("batch-runs 8: 8 run(s) in 1 batch(es)"), outputs.get(1));

        Map<RunSpec, Result> one = results(alone, specs);
        Map<RunSpec, Result> eight = results(batched, specs);
        Map<String, Integer> factors = new TreeMap<>();
        Set<String> cells = new HashSet<>();
        try (Store store = Store.open(batched)) {
            for (RunSpec spec : specs) {
                // Rounding differs between the grouped and the lone kernels, and a pre-activation within
                // rounding of zero then takes the other side of its ReLU: from that step on the two trainings
                // drift apart (measured: up to 0.3% of an epoch's loss within 20 steps of such small cells).
                // 1% and three points of the test images bound that drift; the cells, the batching factors
                // and the shared evaluations are checked exactly below.
                assertEqualUpToRounding(spec, one.get(spec), eight.get(spec), 1e-2, 0.03);
                String factor = eight.get(spec).environment().get("batch_runs");
                factors.merge(factor, 1, Integer::sum);
                if (factor.equals("6")) {
                    cells.add(store.runs().find(spec.id()).orElseThrow().search().genotype());
                }
            }
        }
        assertEquals(Map.of("6", 6, "1", 2), factors, "six evaluations trained as one network, two shared");
        assertEquals(5, cells.size(), "the random baseline's four draws and the published cell, in one network: "
                + cells);
    }

    /**
     * The black-box searches of the {@code blackbox} matrix under {@code --batch-runs 3} train their three
     * candidates together: each finds the cell it finds one by one (or one whose proxy score is within
     * rounding of it), with the same budget use.
     */
    @Test
    void blackBoxSearchesBatchTheirCandidatesAndFindWhatTheyFindOneByOne() {
        String matrix = ShardMergeTest.testMatrix("blackbox");
        List<RunSpec> specs = Expansion.expand(Matrices.load(matrix));
        Path alone = tmp.resolve("alone.db");
        Path batched = tmp.resolve("batched.db");
        List<String> outputs = aloneAndBatched(matrix, alone, batched, 3);
        assertFalse(outputs.get(0).contains("trained in groups"), outputs.get(0));
        // random-search's three draws in one group; rea's population of two; local-search's start alone,
        // then the two neighbours its budget leaves in one group.
        assertEquals(List.of(3, 2, 2), Pattern.compile("(\\d+) candidate\\(s\\) trained in groups of up to 3")
                .matcher(outputs.get(1)).results().map(m -> Integer.parseInt(m.group(1))).toList(), outputs.get(1));
        try (Store one = Store.open(alone); Store three = Store.open(batched)) {
            int searches = 0;
            for (RunSpec spec : specs) {
                RunRow.Search a = one.runs().find(spec.id()).orElseThrow().search();
                RunRow.Search b = three.runs().find(spec.id()).orElseThrow().search();
                assertEquals(a.evaluations(), b.evaluations(), spec.algorithm().id() + " evaluations");
                assertEquals(a.stop(), b.stop(), spec.algorithm().id() + " stop");
                if (a.proxyScore() != null) {
                    searches++;
                    assertEquals(a.proxyScore(), b.proxyScore(), 0.01, spec.algorithm().id() + " proxy score");
                    if (!a.genotype().equals(b.genotype())) {
                        assertTrue(Math.abs(a.proxyScore() - b.proxyScore()) <= 0.01, spec.algorithm().id()
                                + " found " + b.genotype() + " for " + a.genotype() + " beyond rounding");
                    }
                }
            }
            assertEquals(3, searches, "three searches that score candidates");
        }
    }

    @Test
    void theDryRunShowsTheBatchesAndTheRunsThatTrainAlone() {
        BenchCliTest.Result r = run(tmp.resolve("d.db"), "--batch-runs", "2", "--dry-run");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("batch-runs 2: 7 batch(es) of runs with one final training but for the architecture and seed"), r.out());
        assertTrue(r.out().contains("3 run(s) train alone: trick drop-path"), r.out());
        assertTrue(!run(tmp.resolve("e.db"), "--dry-run").out().contains("batch-runs"), "K = 1 says nothing");
    }

    @Test
    void aBatchSizeOutOfRangeIsAUsageError() throws Exception {
        assertUsageError(run(tmp.resolve("x.db"), "--batch-runs", "0"), "--batch-runs 0 is not allowed: use 1");
        Path matrix = tmp.resolve("m.yaml");
        Files.writeString(matrix, Files.readString(Path.of(ShardMergeTest.testMatrix("batched"))) + "batch-runs: 65\n");
        BenchCliTest.Result r = BenchCliTest.bench("run", "--matrix", matrix.toString(), "--device", "cpu", "--db",
                tmp.resolve("y.db").toString(), "--dry-run");
        assertUsageError(r, "batch-runs 65 is not allowed", "m.yaml");
    }
}
