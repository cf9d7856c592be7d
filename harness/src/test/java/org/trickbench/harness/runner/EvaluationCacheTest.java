package org.trickbench.harness.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trickbench.harness.store.EvaluationRow;
import org.trickbench.harness.store.RunStatus;
import org.trickbench.harness.store.Store;

/** The evaluation cache: a done evaluation is reused, and one key is trained once however many ask for it. */
class EvaluationCacheTest {
    private static final String GENOTYPE = "|skip_connect~0|+|none~0|none~1|+|none~0|none~1|none~2|";

    @TempDir
    Path dir;

    private static EvaluationRow row(String id, String status) {
        return new EvaluationRow(id, GENOTYPE, "proto", "fashion-mnist", 0, "tiny", RunStatus.of(status), 0.5, 0.6, 1.2, 100L, 1000L,
                2, status.equals("diverged") ? 1 : null, 12.0, null);
    }

    @Test
    void aDoneEvaluationIsReusedAndADivergedOneIsTrainedAgain() {
        try (Store store = Store.open(dir.resolve("r.db"))) {
            store.evaluations().save(row("done", "done"));
            store.evaluations().save(row("diverged", "diverged"));
            EvaluationCache cache = new EvaluationCache(store);
            AtomicInteger trainings = new AtomicInteger();

            EvaluationCache.Lookup hit = cache.obtain("done", () -> {
                trainings.incrementAndGet();
                return row("done", "done");
            });
            assertTrue(hit.cached());
            assertEquals(0, trainings.get(), "a done evaluation is not trained again");
            assertEquals(store.evaluations().find("done").orElseThrow(), hit.row());

            EvaluationCache.Lookup retrained = cache.obtain("diverged", () -> {
                trainings.incrementAndGet();
                EvaluationRow now = row("diverged", "done");
                store.evaluations().save(now);
                return now;
            });
            assertFalse(retrained.cached());
            assertEquals(1, trainings.get());
            assertEquals(RunStatus.DONE, retrained.row().status());
        }
    }

    /**
     * Two requests for one evaluation at once, as a run's final training and a cross-evaluation of
     * attribution can make: the first trains, and holds its training open long enough for the second to
     * start one too if nothing made it wait; the second must find the first's result instead.
     */
    @Test
    void twoConcurrentRequestsForOneEvaluationTrainItOnce() throws Exception {
        try (Store store = Store.open(dir.resolve("r.db"))) {
            EvaluationCache cache = new EvaluationCache(store);
            AtomicInteger trainings = new AtomicInteger();
            CountDownLatch secondTraining = new CountDownLatch(1);
            CyclicBarrier start = new CyclicBarrier(2);
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                List<Future<EvaluationCache.Lookup>> requests = List.of(1, 2).stream().map(k -> pool.submit(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    return cache.obtain("e", () -> {
                        if (trainings.incrementAndGet() == 1) {
                            await(secondTraining, 2);
                        } else {
                            secondTraining.countDown();
                        }
                        EvaluationRow trained = row("e", "done");
                        store.evaluations().save(trained);
                        return trained;
                    });
                })).toList();
                EvaluationCache.Lookup a = requests.get(0).get(60, TimeUnit.SECONDS);
                EvaluationCache.Lookup b = requests.get(1).get(60, TimeUnit.SECONDS);

                assertEquals(1, trainings.get(), "one evaluation asked for twice at once is trained once");
                assertEquals(1, (a.cached() ? 1 : 0) + (b.cached() ? 1 : 0), "the second request is a cache hit");
                assertEquals(a.row(), b.row());
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void aTrainingDoesNotHoldUpRequestsForOtherEvaluations() throws Exception {
        try (Store store = Store.open(dir.resolve("r.db"))) {
            store.evaluations().save(row("other", "done"));
            EvaluationCache cache = new EvaluationCache(store);
            CountDownLatch training = new CountDownLatch(1);
            CountDownLatch otherServed = new CountDownLatch(1);
            ExecutorService pool = Executors.newSingleThreadExecutor();
            try {
                Future<EvaluationCache.Lookup> slow = pool.submit(() -> cache.obtain("slow", () -> {
                    training.countDown();
                    assertTrue(await(otherServed, 30), "the other request waited for this training");
                    return row("slow", "done");
                }));
                assertTrue(await(training, 30));
                assertTrue(cache.obtain("other", () -> row("other", "done")).cached());
                otherServed.countDown();
                assertFalse(slow.get(60, TimeUnit.SECONDS).cached());
            } finally {
                pool.shutdownNow();
            }
        }
    }

    private static boolean await(CountDownLatch latch, int seconds) {
        try {
            return latch.await(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
