package org.trickbench.harness.runner;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.trickbench.core.run.Canonical;
import org.trickbench.core.run.RunSpec;
import org.trickbench.core.space.Architecture;
import org.trickbench.core.trick.Phase;
import org.trickbench.harness.store.EvaluationRow;
import org.trickbench.harness.store.RunStatus;
import org.trickbench.harness.store.Store;
import org.trickbench.tricks.Tricks;

/**
 * The final evaluations, keyed by what decides their result ({@link #id}): one the store has done is
 * reused, one it lacks is trained. Every final training goes through {@link #obtain}, a run's own and the
 * cross-evaluations of attribution alike, and requests for one key in this process take turns, so the
 * second finds what the first trained instead of training it again.
 */
final class EvaluationCache {
    private final Store store;
    /** One lock per evaluation requested in this process. */
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();

    EvaluationCache(Store store) {
        this.store = store;
    }

    /**
     * An evaluation as {@link #obtain} returns it.
     *
     * @param cached whether it was done in the store already, so nothing was trained now
     */
    record Lookup(EvaluationRow row, boolean cached) {}

    /**
     * The evaluation an architecture gets under a run's final training: its canonical string, protocol, final
     * fidelity, data set, seed and the train-phase tricks. Equal keys are one evaluation, trained once.
     */
    static String id(RunSpec spec, Architecture genotype) {
        Map<String, Object> key = sharedKey(spec, genotype);
        key.put("seed", spec.seed());
        return Canonical.hash(key);
    }

    /**
     * What the final trainings of runs that may train as one grouped network share, whatever architecture
     * each run finds: the space, data set, protocol, final fidelity and train-phase tricks ({@link #id}'s
     * key without the architecture and the seed). Runs of different algorithms, parameters, search-phase
     * tricks and seeds may share it.
     */
    static String groupKey(RunSpec spec) {
        Map<String, Object> key = trainingKey(spec);
        key.put("space", spec.space());
        return Canonical.hash(key);
    }

    /** The architecture's evaluation key without the seed. */
    private static Map<String, Object> sharedKey(RunSpec spec, Architecture genotype) {
        Map<String, Object> key = trainingKey(spec);
        key.put("genotype", genotype.canonical());
        return key;
    }

    /** The final training's settings; canonical JSON sorts the entries, so the order they go in is free. */
    private static Map<String, Object> trainingKey(RunSpec spec) {
        Map<String, Object> key = new LinkedHashMap<>();
        key.put("protocol", spec.protocol());
        key.put("fidelity", spec.finalFidelity());
        key.put("dataset", spec.dataset());
        key.put("tricks", spec.tricks().stream().filter(t -> Tricks.byId(t.id()).phases().contains(Phase.TRAIN)).toList());
        return key;
    }

    /**
     * The evaluation {@code id}: the store's if it is done there, else what {@code train} returns (having
     * stored it). A request for an id that this process is training waits for that training to end.
     */
    Lookup obtain(String id, Supplier<EvaluationRow> train) {
        return whileHolding(List.of(id), () -> find(id).map(e -> new Lookup(e, true))
                .orElseGet(() -> new Lookup(train.get(), false)));
    }

    /** The evaluation {@code id} if the store has it done. */
    Optional<EvaluationRow> find(String id) {
        return store.evaluations().find(id).filter(e -> e.status() == RunStatus.DONE);
    }

    /**
     * Runs {@code work} holding the locks of all {@code ids} (a batch of runs trains several evaluations at
     * once), taken in one global order so that two batches never wait for each other. Inside it
     * {@link #find} tells what is done; what {@code work} stores before returning, requests waiting for
     * one of the ids find done.
     */
    <T> T whileHolding(Collection<String> ids, Supplier<T> work) {
        List<ReentrantLock> held = new ArrayList<>();
        try {
            for (String id : new TreeSet<>(ids)) {
                ReentrantLock lock = locks.computeIfAbsent(id, k -> new ReentrantLock());
                lock.lock();
                held.add(lock);
            }
            return work.get();
        } finally {
            for (int i = held.size() - 1; i >= 0; i--) {
                held.get(i).unlock();
            }
        }
    }
}
