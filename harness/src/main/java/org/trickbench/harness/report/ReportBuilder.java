package org.trickbench.harness.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.trickbench.algorithms.Algorithms;
import org.trickbench.algorithms.RandomBaseline;
import org.trickbench.core.trick.Trick;
import org.trickbench.core.run.RunSpec;
import org.trickbench.core.run.TrickSetting;
import org.trickbench.harness.analysis.Attribution;
import org.trickbench.harness.analysis.Observation;
import org.trickbench.harness.imports.ImportedResult;
import org.trickbench.harness.matrix.Expansion;
import org.trickbench.harness.store.EpochRow;
import org.trickbench.harness.store.EvaluationRow;
import org.trickbench.harness.store.RunRow;
import org.trickbench.harness.store.Store;
import org.trickbench.tricks.Tricks;

/** Reads a matrix's runs, their evaluations and curves from the store into {@link ReportData}. */
public final class ReportBuilder {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ReportBuilder() {}

    public static ReportData from(Store store, String matrix, String reproduceCommand) {
        List<RunView> views = new ArrayList<>();
        List<Object[]> finished = new ArrayList<>();
        java.util.Set<String> trickNames = new java.util.TreeSet<>();
        Map<String, String> environment = Map.of();
        for (RunRow r : store.runs(matrix)) {
            JsonNode spec = parse(r.spec());
            Optional<EvaluationRow> e = store.evaluation(r.evaluationId());
            List<EpochRow> curve = r.evaluationId() == null ? List.of()
                    : store.epochs(r.evaluationId()).stream().filter(x -> x.phase().equals("final")).toList();
            String algorithm = spec.path("algorithm").path("id").asText("?");
            JsonNode params = spec.path("algorithm").path("params");
            if (params.size() > 0) {
                algorithm += " " + params;
            }
            boolean imported = spec.path("source").asText().equals(ImportedResult.SOURCE);
            if (imported) {
                algorithm += " (imported)";
            } else if (isReference(spec)) {
                algorithm += " " + REFERENCE;
            }
            java.util.Set<String> on = new java.util.TreeSet<>();
            spec.path("tricks").forEach(t -> on.add(t.path("id").asText()));
            views.add(new RunView(r.id(), r.evaluationId(), algorithm, spec.path("seed").asLong(), spec.path("dataset").asText("?"),
                    r.status(), r.genotype(), e.map(EvaluationRow::params).orElse(null),
                    e.map(EvaluationRow::flops).orElse(null), e.map(EvaluationRow::testAccuracy).orElse(null),
                    e.map(EvaluationRow::trainAccuracy).orElse(null), r.proxyScore(),
                    r.searchWallSeconds(),
                    // An imported run's training happened elsewhere; its stored wall time is a placeholder.
                    imported ? null : e.map(EvaluationRow::wallSeconds).orElse(null),
                    r.errorMessage() == null ? null : r.errorClass() + ": " + r.errorMessage(), curve, String.join("+", on)));
            if (environment.isEmpty()) {
                environment = store.environment(r.id());
            }
            trickNames.addAll(on);
            if (r.status().equals("done") && e.isPresent() && e.get().testAccuracy() != null) {
                finished.add(new Object[] {spec, on, e.get(), r});
            }
        }
        List<Observation> observations = new ArrayList<>();
        for (Object[] f : finished) {
            JsonNode spec = (JsonNode) f[0];
            @SuppressWarnings("unchecked")
            java.util.Set<String> on = (java.util.Set<String>) f[1];
            EvaluationRow e = (EvaluationRow) f[2];
            RunRow r = (RunRow) f[3];
            java.util.Map<String, Boolean> tricks = new java.util.TreeMap<>();
            trickNames.forEach(t -> tricks.put(t, on.contains(t)));
            String id = spec.path("algorithm").path("id").asText("?");
            observations.add(new Observation(analysisLabel(spec), spec.path("dataset").asText("?"), spec.path("seed").asLong(),
                    tricks, e.testAccuracy(), r.proxyScore(), r.searchWallSeconds(), r.genotype(),
                    id.equals(RandomBaseline.ID)));
        }
        // A trick the catalogue does not know (an imported free-form factor) may shape the final training,
        // so random baselines are matched on it too.
        java.util.Set<String> trainPhase = new java.util.TreeSet<>();
        Map<String, String> phases = new java.util.TreeMap<>();
        for (String t : trickNames) {
            Optional<Trick> known = Tricks.all().stream().filter(x -> x.id().equals(t)).findFirst();
            phases.put(t, known.map(x -> String.join("+", new java.util.TreeSet<>(x.phases()))).orElse("unknown"));
            if (known.isEmpty() || known.get().phases().contains(Trick.TRAIN)) {
                trainPhase.add(t);
            }
        }
        List<AnalysisSummary> analysis = AnalysisSummary.of(observations, trainPhase, crosses(store, matrix));
        return new ReportData(matrix, Instant.now().toString(), views, store.statusCounts(matrix), environment,
                reproduceCommand, analysis, phases);
    }

    /**
     * The complete 2×2s of attribution: each done run with tricks on, its done base run (the same spec with
     * every trick off), and the two cross-evaluations the runner recorded between them, all four finished.
     */
    static List<Attribution.Cross> crosses(Store store, String matrix) {
        Map<String, RunRow> done = new java.util.HashMap<>();
        store.runs(matrix).stream().filter(r -> r.status().equals("done")).forEach(r -> done.put(r.id(), r));
        List<Attribution.Cross> crosses = new ArrayList<>();
        for (RunRow r : done.values()) {
            RunSpec spec;
            try {
                spec = RunSpec.fromJson(r.spec());
            } catch (IllegalArgumentException e) {
                continue; // an imported run: no spec to run, so no base and no cross-evaluations
            }
            Optional<RunRow> base = Expansion.attributionBase(spec).map(b -> done.get(b.id()));
            if (base.isEmpty()) {
                continue;
            }
            Optional<Double> baseAccuracy = accuracy(store, base.get().evaluationId());
            Optional<Double> architectureOnly = store.crossEvaluation(r.id(), base.get().id()).flatMap(e -> accuracy(store, e));
            Optional<Double> trainingOnly = store.crossEvaluation(base.get().id(), r.id()).flatMap(e -> accuracy(store, e));
            Optional<Double> both = accuracy(store, r.evaluationId());
            if (baseAccuracy.isPresent() && architectureOnly.isPresent() && trainingOnly.isPresent() && both.isPresent()) {
                crosses.add(new Attribution.Cross(spec.algorithm().id(), spec.dataset(), spec.seed(),
                        new java.util.TreeSet<>(spec.tricks().stream().map(TrickSetting::id).toList()), baseAccuracy.get(),
                        architectureOnly.get(), trainingOnly.get(), both.get()));
            }
        }
        return crosses;
    }

    private static Optional<Double> accuracy(Store store, String evaluationId) {
        return store.evaluation(evaluationId).filter(e -> e.status().equals("done")).map(EvaluationRow::testAccuracy);
    }

    /** How the report marks a row that trains a given cell instead of searching (the fixed algorithm). */
    static final String REFERENCE = "(reference)";

    /**
     * Whether a run of {@code bench run} trains a cell it was given rather than one it searched for: an
     * algorithm that does not search, other than the random baseline.
     */
    private static boolean isReference(JsonNode spec) {
        String id = spec.path("algorithm").path("id").asText("?");
        if (id.equals(RandomBaseline.ID) || spec.path("source").asText().equals(ImportedResult.SOURCE)) {
            return false;
        }
        return Algorithms.all().stream().anyMatch(a -> a.id().equals(id) && !a.searches());
    }

    /**
     * The algorithm as the analysis groups runs: its id, except that each reference cell is its own level,
     * named by its parameters and marked, since two fixed cells are two different architectures.
     */
    private static String analysisLabel(JsonNode spec) {
        String id = spec.path("algorithm").path("id").asText("?");
        if (!isReference(spec)) {
            return id;
        }
        List<String> values = new ArrayList<>();
        spec.path("algorithm").path("params").fields().forEachRemaining(p -> {
            if (!p.getKey().equals("seconds")) {
                values.add(p.getValue().asText());
            }
        });
        return id + " " + String.join(",", values) + " " + REFERENCE;
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }
}
