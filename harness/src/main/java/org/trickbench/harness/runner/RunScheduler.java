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
        List<List<Batching.Member>> one = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            one.add(List.of(new Batching.Member(i + 1, specs.get(i))));
        }
        return runBatches(one, specs.size(), parallel, job, (members, total) -> {
            throw new IllegalStateException("no batch of several runs here");
        });
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
            notClaimed(position, total, spec, row, tally);
            return;
        }
        ScheduledFuture<?> beat = beat(heartbeats, id);
        try {
            tally.executed(job.execute(position, total, spec));
        } finally {
            beat.cancel(false);
        }
    }

    private ScheduledFuture<?> beat(ScheduledExecutorService heartbeats, String id) {
        return heartbeats.scheduleAtFixedRate(() -> store.runs().heartbeat(id, owner), HEARTBEAT.toSeconds(),
                HEARTBEAT.toSeconds(), TimeUnit.SECONDS);
    }

    /** Says why a run that is not done could not be claimed (its row as read before the claim), and counts it. */
    private void notClaimed(int position, int total, RunSpec spec, RunRow row, Tally tally) {
        String why = row.status() == RunStatus.RUNNING ? "running in another process"
                : row.status() + " earlier, not retried (use --retry-failed)";
        out.line("[%d/%d] %s %s: %s", position, total, Canonical.shortId(spec.id()), RunExecutor.describe(spec), why);
        out.skipEpochs(spec.protocol().epochs());
        tally.skipped.incrementAndGet();
    }

    /** Executes a batch of runs this process has claimed together, recording how each ended. */
    @FunctionalInterface
    interface ClaimedBatch {
        /** Executes the claimed {@code members} of the {@code total} runs; returns their outcomes in their order. */
        List<RunExecutor.Outcome> execute(List<Batching.Member> members, int total);
    }

    /**
     * As {@link #runAll}, batch by batch ({@link Batching#plan}): a batch of one run is claimed and executed as
     * {@link #runAll} does; a larger batch has its runs that are not done claimed in one transaction (those
     * done, running elsewhere or failed earlier are left out of it), all of them beating while {@code job}
     * executes them together.
     */
    Counts runBatches(List<List<Batching.Member>> batches, int total, int parallel, ClaimedRun single,
            ClaimedBatch job) {
        Tally tally = new Tally();
        ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "heartbeat");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Runnable> tasks = new ArrayList<>();
            for (List<Batching.Member> batch : batches) {
                tasks.add(batch.size() == 1
                        ? () -> runOne(batch.get(0).position(), total, batch.get(0).spec(), single, heartbeats, tally)
                        : () -> runBatch(batch, total, job, heartbeats, tally));
            }
            onWorkers(parallel, tasks);
        } finally {
            heartbeats.shutdownNow();
        }
        return tally.counts();
    }

    /** Claims the batch's runs in one transaction, executes those claimed together and releases them. */
    private void runBatch(List<Batching.Member> batch, int total, ClaimedBatch job, ScheduledExecutorService heartbeats,
            Tally tally) {
        List<Batching.Member> pending = new ArrayList<>();
        List<RunRow> rows = new ArrayList<>();
        for (Batching.Member member : batch) {
            RunRow row = store.runs().find(member.spec().id()).orElseThrow();
            if (row.status() == RunStatus.DONE) {
                tally.alreadyDone.incrementAndGet();
            } else {
                pending.add(member);
                rows.add(row);
            }
        }
        List<Batching.Member> claimed = new ArrayList<>();
        store.atomically(() -> {
            claimed.clear();
            for (Batching.Member member : pending) {
                if (store.runs().claim(member.spec().id(), owner, host)) {
                    claimed.add(member);
                }
            }
        });
        for (int i = 0; i < pending.size(); i++) {
            if (!claimed.contains(pending.get(i))) {
                notClaimed(pending.get(i).position(), total, pending.get(i).spec(), rows.get(i), tally);
            }
        }
        if (claimed.isEmpty()) {
            return;
        }
        List<ScheduledFuture<?>> beats = new ArrayList<>();
        try {
            claimed.forEach(m -> beats.add(beat(heartbeats, m.spec().id())));
            job.execute(List.copyOf(claimed), total).forEach(tally::executed);
        } finally {
            beats.forEach(b -> b.cancel(false));
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
