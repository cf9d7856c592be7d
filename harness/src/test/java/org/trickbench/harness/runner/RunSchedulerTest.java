package org.trickbench.harness.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trickbench.core.run.AlgorithmSetting;
import org.trickbench.core.run.RunSpec;
import org.trickbench.core.train.Fidelity;
import org.trickbench.core.train.Protocol;
import org.trickbench.harness.store.RunCompletion;
import org.trickbench.harness.store.RunStatus;
import org.trickbench.harness.store.Store;

/** Leases: recovery of runs a dead process left running, claims, counts, and the worker threads. */
class RunSchedulerTest {
    private static final String HOST = "here";
    private static final long PID = 1000;

    @TempDir
    Path dir;

    private final StringWriter printed = new StringWriter();
    private final Progress out = new Progress(new PrintWriter(printed), false);

    /** The worker threads copy libtorch's per-thread state, so libtorch must be loaded, as it is when runs execute. */
    @BeforeAll
    static void loadLibtorch() {
        Engine.getInstance();
    }

    /** {@code n} random-baseline runs that differ in their seed. */
    static List<RunSpec> specs(int n) {
        Fidelity tiny = new Fidelity(4, 1, 2, 400, 8);
        return LongStream.range(0, n).mapToObj(seed -> new RunSpec("fashion-mnist", "nb201",
                new AlgorithmSetting("random", Map.of()), List.of(), tiny, tiny, Protocol.nasBench201(), seed)).toList();
    }

    private static void insert(Store store, String matrix, List<RunSpec> specs) {
        specs.forEach(s -> store.runs().insertIfAbsent(s.id(), matrix, s.canonicalJson()));
    }

    /** A scheduler of process {@link #PID} on {@link #HOST}, where only the given pids run. */
    private RunScheduler scheduler(Store store, Long... alive) {
        Set<Long> running = Set.of(alive);
        return new RunScheduler(store, out, HOST, PID, pid -> pid == PID || running.contains(pid));
    }

    @Test
    void recoveryInterruptsTheRunsOfDeadOwnersOnThisHostOnly() {
        try (Store store = Store.open(dir.resolve("r.db"))) {
            List<RunSpec> specs = specs(5);
            insert(store, "m", specs.subList(0, 4));
            insert(store, "other", specs.subList(4, 5));
            store.runs().claim(specs.get(0).id(), "111@" + HOST, HOST);
            store.runs().claim(specs.get(1).id(), "222@" + HOST, HOST);
            store.runs().claim(specs.get(2).id(), "111@there", "there");
            store.runs().claim(specs.get(3).id(), "worker@" + HOST, HOST);
            store.runs().claim(specs.get(4).id(), "111@" + HOST, HOST);

            assertEquals(1, scheduler(store, 222L).recoverInterrupted("m"));

            assertEquals(RunStatus.INTERRUPTED, store.runs().find(specs.get(0).id()).orElseThrow().status(), "dead owner on this host");
            assertEquals(RunStatus.RUNNING, store.runs().find(specs.get(1).id()).orElseThrow().status(), "live owner");
            assertEquals(RunStatus.RUNNING, store.runs().find(specs.get(2).id()).orElseThrow().status(),
                    "another host's pid says nothing here; its heartbeat is fresh");
            assertEquals(RunStatus.RUNNING, store.runs().find(specs.get(3).id()).orElseThrow().status(), "an owner without a pid");
            assertEquals(RunStatus.RUNNING, store.runs().find(specs.get(4).id()).orElseThrow().status(), "another matrix's run");
        }
    }

    @Test
    void recoveryInterruptsRunsOnOtherHostsWhoseHeartbeatIsStale() {
        Path db = dir.resolve("r.db");
        List<RunSpec> specs = specs(2);
        Clock past = Clock.fixed(Instant.now().minus(RunScheduler.STALE).minus(Duration.ofMinutes(1)), ZoneOffset.UTC);
        try (Store then = Store.open(db, past)) {
            insert(then, "m", specs);
            then.runs().claim(specs.get(0).id(), "111@there", "there");
        }
        try (Store store = Store.open(db)) {
            store.runs().claim(specs.get(1).id(), "222@there", "there");

            assertEquals(1, scheduler(store).recoverInterrupted("m"));

            assertEquals(RunStatus.INTERRUPTED, store.runs().find(specs.get(0).id()).orElseThrow().status());
            assertEquals(RunStatus.RUNNING, store.runs().find(specs.get(1).id()).orElseThrow().status());
        }
    }

    @Test
    void anOwnersPidIsReadWithOrWithoutItsHost() {
        assertEquals(OptionalLong.of(123), RunScheduler.pid("123@node-1"));
        assertEquals(OptionalLong.of(123), RunScheduler.pid("123"));
        assertEquals(OptionalLong.empty(), RunScheduler.pid("worker@node-1"));
        assertEquals(PID + "@" + HOST, new RunScheduler(null, out, HOST, PID, pid -> true).owner());
    }

    @Test
    void runAllExecutesClaimableRunsUnderThisOwnerAndCountsTheRest() {
        try (Store store = Store.open(dir.resolve("r.db"))) {
            List<RunSpec> specs = specs(5);
            insert(store, "m", specs);
            store.runs().claim(specs.get(0).id(), "owner", HOST);
            store.runs().complete(specs.get(0).id(), "owner", new RunCompletion("g", null, 1, 1, null));
            store.runs().claim(specs.get(1).id(), "222@there", "there");
            RunScheduler scheduler = scheduler(store);
            Map<Integer, String> owners = new ConcurrentHashMap<>();

            RunScheduler.Counts counts = scheduler.runAll(specs, 1, (position, total, spec) -> {
                assertEquals(5, total);
                owners.put(position, store.runs().find(spec.id()).orElseThrow().attempt().owner());
                return List.of(RunExecutor.Outcome.TRAINED, RunExecutor.Outcome.CACHE_HIT, RunExecutor.Outcome.FAILED)
                        .get(position - 3);
            });

            assertEquals(new RunScheduler.Counts(1, 2, 1, 1, 1), counts);
            assertEquals(Map.of(3, scheduler.owner(), 4, scheduler.owner(), 5, scheduler.owner()), owners);
            assertTrue(printed.toString().contains("[2/5] " + specs.get(1).id().substring(0, 10)), printed.toString());
            assertTrue(printed.toString().contains("running in another process"), printed.toString());
        }
    }

    @Test
    void workersRecordWithTheCallersAutogradSwitchAndThreadCount() {
        try (Store store = Store.open(dir.resolve("r.db"))) {
            List<RunSpec> specs = specs(4);
            insert(store, "m", specs);
            boolean recording = JniUtils.isGradMode();
            int threads = JniUtils.getNumThreads();
            Map<String, String> seen = new ConcurrentHashMap<>();
            JniUtils.setGradMode(!recording);
            JniUtils.setNumThreads(threads == 1 ? 2 : threads - 1);
            try {
                scheduler(store).runAll(specs, 2, (position, total, spec) -> {
                    seen.put(Thread.currentThread().getName() + "/" + position,
                            JniUtils.isGradMode() + " " + JniUtils.getNumThreads());
                    return RunExecutor.Outcome.TRAINED;
                });
            } finally {
                JniUtils.setGradMode(recording);
                JniUtils.setNumThreads(threads);
            }
            assertEquals(4, seen.size());
            String expected = !recording + " " + (threads == 1 ? 2 : threads - 1);
            seen.forEach((where, state) -> {
                assertTrue(where.startsWith("run-"), where);
                assertEquals(expected, state, where);
            });
        }
    }

    @Test
    void aFailingRunsErrorReachesTheCaller() {
        try (Store store = Store.open(dir.resolve("r.db"))) {
            List<RunSpec> specs = specs(6);
            insert(store, "m", specs);
            IllegalStateException failure = new IllegalStateException("the store went away");
            IllegalStateException thrown = assertThrows(IllegalStateException.class,
                    () -> scheduler(store).runAll(specs, 2, (position, total, spec) -> {
                        if (position == 1) {
                            throw failure;
                        }
                        return RunExecutor.Outcome.TRAINED;
                    }));
            assertSame(failure, thrown);
        }
    }

    @Test
    void aFailingTaskStopsTheWorkersFromStartingMoreWhileTheOneInHandFinishes() {
        IllegalStateException failure = new IllegalStateException("broken");
        CountDownLatch secondStarted = new CountDownLatch(1);
        CountDownLatch failureRecorded = new CountDownLatch(1);
        Set<Integer> started = ConcurrentHashMap.newKeySet();
        Set<Integer> finished = ConcurrentHashMap.newKeySet();
        List<Runnable> tasks = new ArrayList<>();
        for (int i = 1; i <= 6; i++) {
            int position = i;
            tasks.add(() -> {
                started.add(position);
                try {
                    if (position == 1) {
                        // Fails only once the second task is in hand, and that one ends only after the
                        // failure is recorded: ordered by progress, not by clock time.
                        assertTrue(secondStarted.await(30, TimeUnit.SECONDS));
                        throw failure;
                    }
                    if (position == 2) {
                        secondStarted.countDown();
                        assertTrue(failureRecorded.await(30, TimeUnit.SECONDS));
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                finished.add(position);
            });
        }

        IllegalStateException thrown = assertThrows(IllegalStateException.class,
                () -> RunScheduler.onWorkers(2, tasks, failureRecorded::countDown));

        assertSame(failure, thrown);
        assertEquals(Set.of(1, 2), started, "no task starts after one failed");
        assertEquals(Set.of(2), finished, "the task in hand finishes");
    }

    @Test
    void oneAtATimeAFailingRunEndsTheListOnTheCallersThread() {
        try (Store store = Store.open(dir.resolve("r.db"))) {
            List<RunSpec> specs = specs(3);
            insert(store, "m", specs);
            Thread caller = Thread.currentThread();
            Set<Integer> started = ConcurrentHashMap.newKeySet();

            assertThrows(IllegalStateException.class, () -> scheduler(store).runAll(specs, 1, (position, total, spec) -> {
                assertSame(caller, Thread.currentThread());
                started.add(position);
                if (position == 2) {
                    throw new IllegalStateException("broken");
                }
                return RunExecutor.Outcome.TRAINED;
            }));
            assertEquals(Set.of(1, 2), started);
        }
    }
}
