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
import org.trickbench.core.run.RunSpec;
import org.trickbench.core.run.TrickSetting;
import org.trickbench.core.trick.Phase;
import org.trickbench.core.trick.Trick;
import org.trickbench.harness.analysis.Attribution;
import org.trickbench.harness.analysis.Observation;
import org.trickbench.harness.imports.ImportedResult;
import org.trickbench.harness.matrix.Expansion;
import org.trickbench.harness.store.EpochRow;
import org.trickbench.harness.store.EvaluationRow;
import org.trickbench.harness.store.RunRow;
import org.trickbench.harness.store.RunStatus;
import org.trickbench.harness.store.Store;
import org.trickbench.tricks.Tricks;

/** Reads a matrix's runs, their evaluations and curves from the store into {@link ReportData}. */
public final class ReportBuilder {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ReportBuilder() {}

    public static ReportData from(Store store, String matrix, String reproduceCommand) {
        return from(store, List.of(matrix), matrix, reproduceCommand);
    }

    /**
     * One report of several matrices' runs together, named {@code name}. A run that two matrices list is
     * shown once. Runs are analysed together where they share a data set, a search space and a
     * final-training protocol (the space, the protocol and the final fidelity of their specs); imported
     * runs, whose protocol is another tool's, are analysed per matrix they were imported into. Each such
     * group gets its own analysis, labelled with the matrices it comes from when the report has more than
     * one group, and with its space when the report holds runs of more than one space.
     */
    public static ReportData from(Store store, List<String> matrices, String name, String reproduceCommand) {
        List<RunView> views = new ArrayList<>();
        List<Object[]> finished = new ArrayList<>();
        java.util.Set<String> trickNames = new java.util.TreeSet<>();
        Map<String, String> environment = Map.of();
        Map<String, java.util.Set<String>> groupMatrices = new java.util.TreeMap<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        List<Object[]> rows = new ArrayList<>();
        Map<String, String> groupSpace = new java.util.HashMap<>();
        for (String matrix : matrices) {
            for (RunRow r : store.runs().list(matrix)) {
                String group = protocolGroup(r.spec(), matrix);
                groupMatrices.computeIfAbsent(group, g -> new java.util.TreeSet<>()).add(matrix);
                groupSpace.put(group, space(parse(r.spec())));
                if (seen.add(r.id())) {
                    rows.add(new Object[] {r, group});
                }
            }
        }
        for (Object[] row : rows) {
            RunRow r = (RunRow) row[0];
            String group = (String) row[1];
            JsonNode spec = parse(r.spec());
            Optional<EvaluationRow> e = store.evaluations().find(r.evaluationId());
            List<EpochRow> curve = r.evaluationId() == null ? List.of()
                    : store.epochs().of(r.evaluationId()).stream().filter(x -> x.phase().equals("final")).toList();
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
                    r.status().stored(), r.search().genotype(), e.map(EvaluationRow::params).orElse(null),
                    e.map(EvaluationRow::flops).orElse(null), e.map(EvaluationRow::testAccuracy).orElse(null),
                    e.map(EvaluationRow::trainAccuracy).orElse(null), r.search().proxyScore(),
                    r.search().wallSeconds(),
                    // An imported run's training happened elsewhere; its stored wall time is a placeholder.
                    imported ? null : e.map(EvaluationRow::wallSeconds).orElse(null),
                    r.failure().summary(), curve, String.join("+", on)));
            if (environment.isEmpty()) {
                environment = store.environment().of(r.id());
            }
            trickNames.addAll(on);
            if (r.status() == RunStatus.DONE && e.isPresent() && e.get().testAccuracy() != null) {
                finished.add(new Object[] {spec, on, e.get(), r, group});
            }
        }
        Map<String, List<Observation>> observationsByGroup = new java.util.TreeMap<>();
        for (Object[] f : finished) {
            JsonNode spec = (JsonNode) f[0];
            @SuppressWarnings("unchecked")
            java.util.Set<String> on = (java.util.Set<String>) f[1];
            EvaluationRow e = (EvaluationRow) f[2];
            RunRow r = (RunRow) f[3];
            java.util.Map<String, Boolean> tricks = new java.util.TreeMap<>();
            trickNames.forEach(t -> tricks.put(t, on.contains(t)));
            String id = spec.path("algorithm").path("id").asText("?");
            List<Observation> observations = observationsByGroup.computeIfAbsent((String) f[4], g -> new ArrayList<>());
            observations.add(new Observation(analysisLabel(spec), spec.path("dataset").asText("?"), spec.path("seed").asLong(),
                    tricks, e.testAccuracy(), r.search().proxyScore(), r.search().wallSeconds(), r.search().genotype(),
                    id.equals(RandomBaseline.ID), space(spec)));
        }
        // A trick the catalogue does not know (an imported free-form factor) may shape the final training,
        // so random baselines are matched on it too.
        java.util.Set<String> trainPhase = new java.util.TreeSet<>();
        Map<String, String> phases = new java.util.TreeMap<>();
        for (String t : trickNames) {
            Optional<Trick> known = Tricks.all().stream().filter(x -> x.id().equals(t)).findFirst();
            phases.put(t, known.map(x -> x.info().phasesText().replace(", ", "+")).orElse("unknown"));
            if (known.isEmpty() || known.get().phases().contains(Phase.TRAIN)) {
                trainPhase.add(t);
            }
        }
        List<Attribution.Cross> crosses = new ArrayList<>();
        Map<Attribution.Cross, String> crossGroup = new java.util.IdentityHashMap<>();
        for (String matrix : matrices) {
            for (Object[] c : crosses(store, matrix)) {
                Attribution.Cross cross = (Attribution.Cross) c[0];
                if (crosses.stream().noneMatch(cross::equals)) {
                    crosses.add(cross);
                    crossGroup.put(cross, (String) c[1]);
                }
            }
        }
        List<AnalysisSummary> analysis = new ArrayList<>();
        boolean several = groupMatrices.size() > 1;
        boolean severalSpaces = new java.util.HashSet<>(groupSpace.values()).size() > 1;
        Map<String, String> labels = new java.util.HashMap<>();
        groupMatrices.forEach((group, in) -> labels.put(group, !several ? null
                : (severalSpaces ? groupSpace.get(group) + " space, " : "")
                        + (group.startsWith(IMPORTED_GROUP) ? "imported into " : "as trained in ") + String.join(", ", in)));
        for (int i = 0; i < views.size(); i++) {
            views.set(i, views.get(i).inGroup(labels.get((String) rows.get(i)[1])));
        }
        observationsByGroup.forEach((group, observations) -> {
            String label = labels.get(group);
            analysis.addAll(AnalysisSummary.of(observations, trainPhase,
                    crosses.stream().filter(c -> crossGroup.get(c).equals(group)).toList(), label));
        });
        analysis.sort(java.util.Comparator.comparing(AnalysisSummary::dataset)
                .thenComparing(a -> a.protocol() == null ? "" : a.protocol()));
        Map<String, Integer> statusCounts = new java.util.TreeMap<>();
        views.forEach(v -> statusCounts.merge(v.status(), 1, Integer::sum));
        return new ReportData(name, Instant.now().toString(), views, statusCounts, environment,
                reproduceCommand, analysis, phases);
    }

    private static final String IMPORTED_GROUP = "imported:";

    /**
     * What a run's accuracy is comparable under: its search space, and the final training's protocol and
     * fidelity for a run of {@code bench run}; for an imported run, the matrix it was imported into (its
     * protocol is unknown). Runs of two spaces are never pooled: each space has its own random baseline.
     */
    private static String protocolGroup(String specJson, String matrix) {
        try {
            RunSpec spec = RunSpec.fromJson(specJson);
            return "trained:" + spec.space() + " " + spec.protocol() + " " + spec.finalFidelity();
        } catch (IllegalArgumentException imported) {
            return IMPORTED_GROUP + matrix + " " + space(parse(specJson));
        }
    }

    /** The search space a stored spec names; specs that name none (imported runs) are NAS-Bench-201's. */
    private static String space(JsonNode spec) {
        return spec.path("space").asText(Observation.DEFAULT_SPACE);
    }

    /**
     * The complete 2×2s of attribution: each done run with tricks on, its done base run (the same spec with
     * every trick off), and the two cross-evaluations the runner recorded between them, all four finished;
     * each with its run's protocol group.
     */
    static List<Object[]> crosses(Store store, String matrix) {
        Map<String, RunRow> done = new java.util.HashMap<>();
        store.runs().list(matrix).stream().filter(r -> r.status() == RunStatus.DONE).forEach(r -> done.put(r.id(), r));
        List<Object[]> crosses = new ArrayList<>();
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
            Optional<Double> architectureOnly = store.evaluations().crossEvaluation(r.id(), base.get().id()).flatMap(e -> accuracy(store, e));
            Optional<Double> trainingOnly = store.evaluations().crossEvaluation(base.get().id(), r.id()).flatMap(e -> accuracy(store, e));
            Optional<Double> both = accuracy(store, r.evaluationId());
            if (baseAccuracy.isPresent() && architectureOnly.isPresent() && trainingOnly.isPresent() && both.isPresent()) {
                crosses.add(new Object[] {new Attribution.Cross(spec.algorithm().id(), spec.dataset(), spec.seed(),
                        new java.util.TreeSet<>(spec.tricks().stream().map(TrickSetting::id).toList()), baseAccuracy.get(),
                        architectureOnly.get(), trainingOnly.get(), both.get()),
                        protocolGroup(r.spec(), matrix)});
            }
        }
        return crosses;
    }

    private static Optional<Double> accuracy(Store store, String evaluationId) {
        return store.evaluations().find(evaluationId).filter(e -> e.status() == RunStatus.DONE).map(EvaluationRow::testAccuracy);
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
