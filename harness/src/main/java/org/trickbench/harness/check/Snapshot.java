package org.trickbench.harness.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.trickbench.harness.store.EvaluationRow;
import org.trickbench.harness.store.RunRow;
import org.trickbench.harness.store.RunStatus;
import org.trickbench.harness.store.Store;

/**
 * A matrix's finished runs as a {@link Baseline}: one configuration per algorithm (with parameters),
 * trick setting and data set, with each seed's final accuracy. The random baseline's K genotypes of a
 * seed are one configuration whose value for the seed is their mean accuracy.
 */
public final class Snapshot {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Snapshot() {}

    public static Baseline of(Store store, String matrix, String codeVersion) {
        Map<String, Map<String, List<Double>>> accuracy = new TreeMap<>();
        Map<String, double[]> epochTime = new TreeMap<>();
        Map<String, Object[]> meta = new LinkedHashMap<>();
        Map<String, String> environment = Map.of();
        for (RunRow r : store.runs().list(matrix)) {
            if (r.status() != RunStatus.DONE) {
                continue;
            }
            EvaluationRow e = store.evaluations().find(r.evaluationId()).orElse(null);
            if (e == null || e.testAccuracy() == null) {
                continue;
            }
            JsonNode spec = parse(r.spec());
            String algorithm = spec.path("algorithm").path("id").asText();
            JsonNode params = spec.path("algorithm").path("params");
            String algorithmLabel = algorithm.equals("random") ? "random-baseline" : algorithm + (params.size() > 0 ? params.toString() : "");
            List<String> tricks = new ArrayList<>();
            for (JsonNode t : spec.path("tricks")) {
                tricks.add(t.path("id").asText() + (t.path("params").size() > 0 ? t.path("params").toString() : ""));
            }
            String dataset = spec.path("dataset").asText();
            String key = algorithmLabel + " | " + (tricks.isEmpty() ? "base" : String.join(" + ", tricks)) + " | " + dataset;
            accuracy.computeIfAbsent(key, k -> new TreeMap<>()).computeIfAbsent(Long.toString(spec.path("seed").asLong()),
                    k -> new ArrayList<>()).add(e.testAccuracy());
            double[] t = epochTime.computeIfAbsent(key, k -> new double[2]);
            if (e.epochs() > 0) {
                t[0] += e.wallSeconds() / e.epochs();
                t[1]++;
            }
            meta.putIfAbsent(key, new Object[] {algorithmLabel, tricks.stream().map(x -> x.replaceAll("\\{.*", "")).toList(), dataset});
            if (environment.isEmpty()) {
                environment = store.environment().of(r.id());
            }
        }
        List<Baseline.Configuration> configurations = new ArrayList<>();
        for (Map.Entry<String, Map<String, List<Double>>> c : accuracy.entrySet()) {
            Map<String, Double> bySeed = new TreeMap<>();
            c.getValue().forEach((seed, values) -> bySeed.put(seed, values.stream().mapToDouble(Double::doubleValue)
                    .average().orElse(Double.NaN)));
            Object[] m = meta.get(c.getKey());
            double[] t = epochTime.get(c.getKey());
            @SuppressWarnings("unchecked")
            List<String> trickIds = (List<String>) m[1];
            configurations.add(new Baseline.Configuration(c.getKey(), (String) m[0], trickIds, (String) m[2], bySeed,
                    t[1] > 0 ? t[0] / t[1] : null));
        }
        Map<String, String> env = new TreeMap<>(environment);
        env.keySet().removeIf(k -> k.equals("reproduce") || k.equals("data_split") || k.equals("host"));
        return new Baseline(matrix, codeVersion, env, Instant.now().toString(), configurations);
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException("a stored run spec is not JSON: " + e.getMessage(), e);
        }
    }
}
