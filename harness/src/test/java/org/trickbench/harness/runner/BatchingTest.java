package org.trickbench.harness.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trickbench.core.UserInputException;
import org.trickbench.core.run.AlgorithmSetting;
import org.trickbench.core.run.RunSpec;
import org.trickbench.core.run.TrickSetting;
import org.trickbench.core.train.Fidelity;
import org.trickbench.core.train.Protocol;
import org.trickbench.harness.store.RunStatus;
import org.trickbench.harness.store.Store;
import org.trickbench.tricks.Tricks;

/** Run batching's plan (which runs share a batch), its refusals, and the atomic claim of a batch. */
class BatchingTest {
    private static final Fidelity TINY = new Fidelity(4, 1, 2, 400, 8);

    @TempDir
    Path dir;

    @BeforeAll
    static void loadLibtorch() {
        Engine.getInstance();
    }

    private static RunSpec spec(String algorithm, Map<String, Object> params, List<TrickSetting> tricks, String space,
            Protocol protocol, long seed) {
        return new RunSpec("fashion-mnist", space, new AlgorithmSetting(algorithm, params), tricks, TINY, TINY, protocol,
                seed);
    }

    private static RunSpec fixed(long seed, TrickSetting... tricks) {
        return spec("fixed", Map.of("genotype", "resnet"), List.of(tricks), "nb201", Protocol.nasBench201(), seed);
    }

    private static List<Long> seeds(List<Batching.Member> batch) {
        return batch.stream().map(m -> m.spec().seed()).toList();
    }

    @Test
    void runsThatDifferOnlyInSeedShareBatchesOfAtMostKInTheOrderOfTheirFirstRun() {
        TrickSetting cutout = new TrickSetting("cutout", Map.of());
        List<RunSpec> specs = List.of(fixed(0), fixed(0, cutout), fixed(1), fixed(2), fixed(1, cutout), fixed(3),
                fixed(4));

        List<List<Batching.Member>> batches = Batching.plan(specs, 2);

        assertEquals(4, batches.size(), batches.toString());
        assertEquals(List.of(0L, 1L), seeds(batches.get(0)));
        assertEquals(List.of(1, 3), batches.get(0).stream().map(Batching.Member::position).toList());
        assertEquals(List.of(0L, 1L), seeds(batches.get(1)));
        assertTrue(batches.get(1).stream().allMatch(m -> m.spec().tricks().equals(List.of(cutout))));
        assertEquals(List.of(2L, 3L), seeds(batches.get(2)));
        assertEquals(List.of(4L), seeds(batches.get(3)));

        assertEquals(7, Batching.plan(specs, 1).size(), "K = 1: every run alone");
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L), seeds(Batching.plan(specs, 64).get(0)));
    }

    @Test
    void runsOfAnyAlgorithmAndSearchTricksShareABatchWhenTheirFinalTrainingsDifferOnlyInArchitectureAndSeed() {
        RunSpec random = spec("random", Map.of("index", 0), List.of(), "nb201", Protocol.nasBench201(), 0);
        RunSpec search = spec("random-search", Map.of("candidates", 3),
                List.of(new TrickSetting("heavy-weight-decay", Map.of())), "nb201", Protocol.nasBench201(), 1);
        RunSpec longer = spec("random", Map.of("index", 0), List.of(), "nb201", Protocol.nasBench201().withEpochs(3), 0);
        RunSpec cutout = fixed(0, new TrickSetting("cutout", Map.of()));

        List<List<Batching.Member>> batches = Batching.plan(List.of(random, search, longer, fixed(2), cutout), 8);

        assertEquals(List.of(List.of(1, 2, 4), List.of(3), List.of(5)), batches.stream()
                .map(b -> b.stream().map(Batching.Member::position).toList()).toList(),
                "a search-phase trick and another algorithm share the batch; another protocol or a train-phase"
                        + " trick does not");
    }

    @Test
    void runsWhoseTrainingCannotBeGroupedTrainAloneWithTheReason() {
        RunSpec dropPath = fixed(0, new TrickSetting("drop-path", Map.of()));
        RunSpec clipped = spec("fixed", Map.of("genotype", "resnet"), List.of(), "nb201",
                Protocol.nasBench201().withGradClip(5), 0);
        RunSpec darts = spec("random", Map.of(), List.of(), "darts", Protocol.nasBench201(), 0);

        assertTrue(Batching.refusal(dropPath).orElseThrow().startsWith("trick drop-path acts beyond its own run's batch"));
        assertEquals(Optional.empty(), Batching.refusal(clipped), "gradient clipping is applied run by run");
        assertEquals(Optional.empty(), Batching.refusal(fixed(0, new TrickSetting("sam", Map.of()))),
                "sam's step is taken run by run");
        assertEquals(Optional.of("the darts space has no grouped network"), Batching.refusal(darts));
        assertEquals(Optional.empty(), Batching.refusal(fixed(0, new TrickSetting("cutout", Map.of()),
                new TrickSetting("label-smoothing", Map.of()))));

        List<RunSpec> specs = List.of(dropPath, dropPath.withSeed(1), darts, darts.withSeed(1), fixed(0), fixed(1));
        List<List<Batching.Member>> batches = Batching.plan(specs, 4);
        assertEquals(List.of(1, 1, 1, 1, 2), batches.stream().map(List::size).toList());
        assertEquals(Map.of(Batching.refusal(dropPath).orElseThrow(), 2, Batching.refusal(darts).orElseThrow(), 2),
                Batching.refusals(specs));
    }

    @Test
    void theTricksThatCannotBeBatchedAreTheOnesThatActBeyondTheirRunsBatchAndLoss() {
        List<String> unbatchable = Tricks.all().stream().filter(t -> !Batching.batchable(t)).map(t -> t.id()).sorted()
                .toList();
        assertTrue(unbatchable.contains("drop-path") && unbatchable.contains("swish"), unbatchable.toString());
        assertTrue(!unbatchable.contains("cutout") && !unbatchable.contains("label-smoothing")
                && !unbatchable.contains("sam"), unbatchable.toString());
    }

    @Test
    void aBatchIsClaimedInOneTransactionLeavingOutRunsAnotherProcessHolds() {
        List<RunSpec> specs = LongStream.range(0, 3).mapToObj(BatchingTest::fixed).toList();
        try (Store store = Store.open(dir.resolve("b.db"))) {
            specs.forEach(s -> store.runs().insertIfAbsent(s.id(), "m", s.canonicalJson()));
            store.runs().claim(specs.get(1).id(), "2000@here", "here");
            StringWriter printed = new StringWriter();
            RunScheduler scheduler = new RunScheduler(store, new Progress(new PrintWriter(printed), false), "here", 1000,
                    pid -> true);
            List<List<Long>> executed = new ArrayList<>();

            RunScheduler.Counts counts = scheduler.runBatches(Batching.plan(specs, 3), 3, 1, (p, t, s) -> {
                throw new AssertionError("no run alone");
            }, (members, total) -> {
                executed.add(seeds(members));
                for (Batching.Member m : members) {
                    assertEquals(RunStatus.RUNNING, store.runs().find(m.spec().id()).orElseThrow().status());
                }
                return members.stream().map(m -> RunExecutor.Outcome.TRAINED).toList();
            });

            assertEquals(List.of(List.of(0L, 2L)), executed);
            assertEquals(2, counts.ran());
            assertEquals(1, counts.skipped());
            assertTrue(printed.toString().contains("running in another process"), printed.toString());
        }
    }

    @Test
    void workThatFailsInsideOneTransactionClaimsNothing() {
        List<RunSpec> specs = LongStream.range(0, 2).mapToObj(BatchingTest::fixed).toList();
        try (Store store = Store.open(dir.resolve("t.db"))) {
            specs.forEach(s -> store.runs().insertIfAbsent(s.id(), "m", s.canonicalJson()));
            assertThrows(IllegalStateException.class, () -> store.atomically(() -> {
                store.runs().claim(specs.get(0).id(), "1@here", "here");
                store.runs().claim(specs.get(1).id(), "1@here", "here");
                throw new IllegalStateException("crash before the batch is taken");
            }));
            for (RunSpec s : specs) {
                assertEquals(RunStatus.PENDING, store.runs().find(s.id()).orElseThrow().status());
            }
        }
    }

    @Test
    void aBatchSizeOutsideOneToSixtyFourIsRefusedNamingTheOption() {
        UserInputException e = assertThrows(UserInputException.class,
                () -> new Runner.Options(false, "bench run", true, 1, 0));
        assertEquals("--batch-runs 0 is not allowed: use 1 (each run alone) to 64 runs trained as one network",
                e.getMessage());
        assertThrows(UserInputException.class, () -> new Runner.Options(false, "bench run", true, 1, 65));
    }
}
