package org.trickbench.harness.report;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.trickbench.core.run.RunSpec;
import org.trickbench.core.run.TrickSetting;
import org.trickbench.core.space.darts.DartsGenotype;
import org.trickbench.core.space.nb201.Genotype;
import org.trickbench.harness.matrix.Expansion;
import org.trickbench.harness.matrix.Matrices;
import org.trickbench.harness.matrix.MatrixDefinition;
import org.trickbench.harness.store.EvaluationRow;
import org.trickbench.harness.store.RunCompletion;
import org.trickbench.harness.store.RunStatus;
import org.trickbench.harness.store.Store;

/**
 * A store that looks like a preset matrix after `bench run`: the preset's own run specs (algorithms with
 * their parameters, tricks on and off, seeds, the random baseline), each completed through the store
 * with made-up but plausible results (genotype, proxy score, search cost, final accuracy, per-epoch
 * metrics), in milliseconds instead of the minutes real training takes. The results are deterministic:
 * an accuracy gain per algorithm and per trick, and seed noise.
 */
final class PresetStore {
    private static final String OWNER = "fixture";
    private static final Map<String, Double> ALGORITHM_GAIN = Map.of("random", 0.0, "random-search", 0.01, "rea", 0.015,
            "gdas", 0.02, "spos", 0.005);
    private static final Map<String, Double> SEARCH_SECONDS = Map.of("random", 0.01, "random-search", 12.0, "rea", 15.0,
            "gdas", 30.0, "spos", 45.0);

    private PresetStore() {}

    /**
     * Inserts and completes every run of the preset (a preset name, or a matrix file's path) that the store
     * does not hold yet; returns the specs in expansion order.
     */
    static List<RunSpec> fill(Store store, String preset) {
        return fill(store, preset, null, spec -> spec, spec -> PresetStore::randomNb201);
    }

    /**
     * As {@link #fill(Store, String)}, with every run a run of the DARTS space, stored under matrix
     * {@code name}: the matrix's own specs with space {@code darts}, each finding the genotype {@code found}
     * gives its spec.
     */
    static List<RunSpec> fillDarts(Store store, String preset, String name, Function<RunSpec, DartsGenotype> found) {
        return fill(store, preset, name, nb201 -> new RunSpec(nb201.dataset(), "darts", nb201.algorithm(), nb201.tricks(),
                nb201.searchFidelity(), nb201.finalFidelity(), nb201.protocol(), nb201.seed()),
                spec -> random -> found.apply(spec).canonical());
    }

    private static List<RunSpec> fill(Store store, String preset, String name, UnaryOperator<RunSpec> asRun,
            Function<RunSpec, Function<SplittableRandom, String>> found) {
        MatrixDefinition m = Matrices.load(preset);
        String matrix = name == null ? m.name() : name;
        store.matrices().upsert(matrix, "{}");
        SplittableRandom random = new SplittableRandom(preset.hashCode());
        List<RunSpec> specs = Expansion.expand(m).stream().map(asRun).toList();
        for (RunSpec spec : specs) {
            // A run another matrix already listed (the same spec, as a shared random baseline) is done once.
            if (store.runs().insertIfAbsent(spec.id(), matrix, spec.canonicalJson())) {
                complete(store, spec.id(), spec, random, found.apply(spec));
            }
        }
        return specs;
    }

    /** Claims and completes one inserted run as if it had searched and trained, finding a random NAS-Bench-201 cell. */
    static void complete(Store store, String runId, RunSpec spec, SplittableRandom random) {
        complete(store, runId, spec, random, PresetStore::randomNb201);
    }

    private static String randomNb201(SplittableRandom random) {
        return Genotype.fromIndex(random.nextInt(Genotype.SPACE_SIZE)).toString();
    }

    private static void complete(Store store, String runId, RunSpec spec, SplittableRandom random,
            Function<SplittableRandom, String> found) {
        if (!store.runs().claim(runId, OWNER, "host")) {
            throw new IllegalStateException("run " + runId + " cannot be claimed");
        }
        String algorithm = spec.algorithm().id();
        boolean baseline = algorithm.equals("random");
        double gain = ALGORITHM_GAIN.getOrDefault(algorithm, 0.0);
        for (TrickSetting t : spec.tricks()) {
            gain += t.id().equals("mixup") ? -0.004 : 0.006;
        }
        double accuracy = 0.78 + gain + 0.008 * random.nextGaussian();
        String genotype = found.apply(random);
        String evaluation = "eval-" + runId;
        int epochs = spec.finalFidelity().epochs();
        store.evaluations().save(new EvaluationRow(evaluation, genotype, "protocol", spec.dataset(), spec.seed(), "fidelity",
                RunStatus.DONE, accuracy, accuracy + 0.05, 0.6, 40_000L + random.nextInt(60_000), 2_000_000L + random.nextInt(4_000_000),
                epochs, null, 3.0 + random.nextDouble(), null));
        for (int e = 0; e < epochs; e++) {
            double progress = (e + 1.0) / epochs;
            Map<String, Double> metrics = new LinkedHashMap<>();
            metrics.put("train_loss", 2.3 - 1.7 * progress + 0.02 * random.nextGaussian());
            metrics.put("train_acc", (accuracy + 0.05) * progress);
            metrics.put("test_acc", accuracy * (0.7 + 0.3 * progress));
            metrics.put("lr", 0.1 * (1 + Math.cos(Math.PI * e / epochs)) / 2);
            metrics.put("seconds", 1.0 + random.nextDouble());
            store.epochs().append(evaluation, "final", e, metrics);
        }
        Double proxy = baseline ? null : 0.4 + 5 * (accuracy - 0.78) + 0.02 * random.nextGaussian();
        double searchSeconds = SEARCH_SECONDS.getOrDefault(algorithm, 20.0) * (0.8 + 0.4 * random.nextDouble());
        store.runs().complete(runId, OWNER, new RunCompletion(genotype, proxy, searchSeconds, searchSeconds, evaluation));
        store.environment().save(runId, Map.of("java", "17", "device", "cpu", "djl", "0.36.0"));
    }
}
