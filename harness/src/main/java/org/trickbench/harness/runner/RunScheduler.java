package org.trickbench.harness.runner;

import ai.djl.pytorch.jni.JniUtils;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongPredicate;
import org.trickbench.core.run.Canonical;
import org.trickbench.core.run.RunSpec;
import org.trickbench.harness.store.RunRow;
import org.trickbench.harness.store.RunStatus;
import org.trickbench.harness.store.Store;

/**
 * Leases runs from the store: claims each run of a list for this process (so that no two processes run
 * one run), keeps a claimed run's heartbeat while it executes, executes claimed runs on up to n worker
 * threads, and gives the runs that a stopped process left running back to be run again.
 */
final class RunScheduler {
    /** How often a running run says it is alive, and after how long without a beat it is presumed dead. */
    static final Duration HEARTBEAT = Duration.ofSeconds(30);
    static final Duration STALE = Duration.ofMinutes(3);

    private final Store store;
    private final Progress out;
    private final String host;
    private final String owner;
    private final LongPredicate alive;

    /** Leases for this process, on this host. */
    RunScheduler(Store store, Progress out) {
        this(store, out, Environment.host(), ProcessHandle.current().pid(),
                pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
    }

    /** Leases for process {@code pid} on {@code host}; {@code alive} says whether a pid of this host runs. */
    RunScheduler(Store store, Progress out, String host, long pid, LongPredicate alive) {
        this.store = store;
        this.out = out;
        this.host = host;
        this.owner = pid + "@" + host;
        this.alive = alive;
    }

    /** The name under which this process claims runs: {@code pid@host}. */
    String owner() {
        return owner;
    }

    /** The pid in an owner's name ({@code pid@host}, or a bare pid), if it has one. */
    static OptionalLong pid(String owner) {
        int at = owner.indexOf('@');
        try {
            return OptionalLong.of(Long.parseLong(owner.substring(0, at < 0 ? owner.length() : at)));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /**
     * Runs left {@code running} by a process that no longer exists become interrupted and run again:
     * on this host, a dead owner pid is certain; elsewhere, a heartbeat older than {@link #STALE} is.
     * Returns how many.
     */
    int recoverInterrupted(String matrix) {
        int recovered = store.runs().markStaleRunning(STALE);
        for (RunRow row : store.runs().list(matrix)) {
            if (row.status() != RunStatus.RUNNING || row.attempt().owner() == null || !host.equals(row.attempt().host())) {
                continue;
            }
            OptionalLong pid = pid(row.attempt().owner());
            if (pid.isPresent() && !alive.test(pid.getAsLong()) && store.runs().markInterrupted(row.id(), row.attempt().owner())) {
                recovered++;
            }
        }
        return recovered;
    }

    /** Executes a run this process has claimed, recording how it ended. */
    @FunctionalInterface
    interface ClaimedRun {
        /** Executes {@code spec}, at {@code position} (1-based) of the {@code total} runs. */
        RunExecutor.Outcome execute(int position, int total, RunSpec spec);
    }

    /**
     * Counts of what {@link #runAll} did with its runs.
     *
     * @param ran runs executed to the end, their final evaluation trained or found in the cache
     * @param cacheHits those of {@code ran} whose final evaluation was found in the cache
     * @param skipped runs not claimed: running in another process, or failed earlier and not retried
     */
    record Counts(int alreadyDone, int ran, int failed, int skipped, int cacheHits) {}

    /**
     * Claims and executes the runs not done yet, in order, {@code parallel} at a time. Each run is claimed
     * in its own transaction and beats while {@code job} executes it. A run {@code job} cannot record (its
     * error escapes) stops the others from starting, and the error is rethrown here.
     */
    Counts runAll(List<RunSpec> specs, int parallel, ClaimedRun job) {
        Tally tally = new Tally();
        ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "heartbeat");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Runnable> tasks = new ArrayList<>();
            for (int i = 0; i < specs.size(); i++) {
                int position = i + 1;
                RunSpec spec = specs.get(i);
                tasks.add(() -> runOne(position, specs.size(), spec, job, heartbeats, tally));
            }
            onWorkers(parallel, tasks);
        } finally {
            heartbeats.shutdownNow();
        }
        return tally.counts();
    }

    /** Counts of what the runs did, from every worker. */
    private static final class Tally {
        final AtomicInteger alreadyDone = new AtomicInteger();
        final AtomicInteger ran = new AtomicInteger();
        final AtomicInteger failed = new AtomicInteger();
        final AtomicInteger skipped = new AtomicInteger();
        final AtomicInteger cacheHits = new AtomicInteger();

        void executed(RunExecutor.Outcome outcome) {
            (outcome == RunExecutor.Outcome.FAILED ? failed : ran).incrementAndGet();
            if (outcome == RunExecutor.Outcome.CACHE_HIT) {
                cacheHits.incrementAndGet();
            }
        }

        Counts counts() {
            return new Counts(alreadyDone.get(), ran.get(), failed.get(), skipped.get(), cacheHits.get());
        }
    }

    /** Claims, executes and releases the run at {@code position} (1-based) of {@code total}. */
    private void runOne(int position, int total, RunSpec spec, ClaimedRun job, ScheduledExecutorService heartbeats,
            Tally tally) {
        String id = spec.id();
        RunRow row = store.runs().find(id).orElseThrow();
        if (row.status() == RunStatus.DONE) {
            tally.alreadyDone.incrementAndGet();
            return;
        }
        if (!store.runs().claim(id, owner, host)) {
            String why = row.status() == RunStatus.RUNNING ? "running in another process"
                    : row.status() + " earlier, not retried (use --retry-failed)";
            out.line("[%d/%d] %s %s: %s", position, total, Canonical.shortId(id), RunExecutor.describe(spec), why);
            out.skipEpochs(spec.protocol().epochs());
            tally.skipped.incrementAndGet();
            return;
        }
        ScheduledFuture<?> beat = heartbeats.scheduleAtFixedRate(() -> store.runs().heartbeat(id, owner),
                HEARTBEAT.toSeconds(), HEARTBEAT.toSeconds(), TimeUnit.SECONDS);
        try {
            tally.executed(job.execute(position, total, spec));
        } finally {
            beat.cancel(false);
        }
    }

    /**
     * Runs the tasks in order: on the calling thread, or on a pool of n worker threads. Workers take the
     * caller's autograd switch and intra-op thread count, which libtorch keeps per thread, so a task
     * computes the same whichever thread runs it. A task that fails stops the workers from starting further
     * tasks (those in hand finish), and its error is rethrown here.
     */
    static void onWorkers(int n, List<Runnable> tasks) {
        onWorkers(n, tasks, () -> {});
    }

    /** As {@link #onWorkers(int, List)}; {@code stopped} runs once a failure has stopped new starts. */
    static void onWorkers(int n, List<Runnable> tasks, Runnable stopped) {
        if (n == 1) {
            tasks.forEach(Runnable::run);
            return;
        }
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        ExecutorService pool = Executors.newFixedThreadPool(n, likeThisThread());
        for (Runnable task : tasks) {
            pool.execute(() -> {
                if (stop.get()) {
                    return;
                }
                try {
                    task.run();
                } catch (RuntimeException | Error e) {
                    failure.compareAndSet(null, e);
                    stop.set(true);
                    stopped.run();
                }
            });
        }
        pool.shutdown();
        boolean interrupted = false;
        while (!pool.isTerminated()) {
            try {
                pool.awaitTermination(1, TimeUnit.DAYS);
            } catch (InterruptedException e) {
                // Runs in hand finish and are recorded; no new one starts.
                interrupted = true;
                stop.set(true);
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        Throwable e = failure.get();
        if (e instanceof RuntimeException r) {
            throw r;
        }
        if (e instanceof Error r) {
            throw r;
        }
    }

    /** Worker threads {@code run-1}, {@code run-2}, … with this thread's autograd switch and intra-op threads. */
    private static ThreadFactory likeThisThread() {
        boolean recording = JniUtils.isGradMode();
        int threads = JniUtils.getNumThreads();
        AtomicInteger count = new AtomicInteger();
        return r -> new Thread(() -> {
            JniUtils.setGradMode(recording);
            JniUtils.setNumThreads(threads);
            r.run();
        }, "run-" + count.incrementAndGet());
    }
}
