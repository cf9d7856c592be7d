package org.trickbench.harness.runner;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
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
    private final Map<String, Object> locks = new ConcurrentHashMap<>();

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
        Map<String, Object> key = new LinkedHashMap<>();
        key.put("genotype", genotype.canonical());
        key.put("protocol", spec.protocol());
        key.put("fidelity", spec.finalFidelity());
        key.put("dataset", spec.dataset());
        key.put("seed", spec.seed());
        key.put("tricks", spec.tricks().stream().filter(t -> Tricks.byId(t.id()).phases().contains(Phase.TRAIN)).toList());
        return Canonical.hash(key);
    }

    /**
     * The evaluation {@code id}: the store's if it is done there, else what {@code train} returns (having
     * stored it). A request for an id that this process is training waits for that training to end.
     */
    Lookup obtain(String id, Supplier<EvaluationRow> train) {
        synchronized (locks.computeIfAbsent(id, k -> new Object())) {
            Optional<EvaluationRow> done = store.evaluations().find(id).filter(e -> e.status() == RunStatus.DONE);
            return done.map(e -> new Lookup(e, true)).orElseGet(() -> new Lookup(train.get(), false));
        }
    }
}
