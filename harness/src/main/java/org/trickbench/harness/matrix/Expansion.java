package org.trickbench.harness.matrix;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.trickbench.algorithms.Algorithms;
import org.trickbench.algorithms.RandomBaseline;
import org.trickbench.core.run.AlgorithmSetting;
import org.trickbench.core.run.RunSpec;
import org.trickbench.core.search.SearchAlgorithm;
import org.trickbench.core.train.Protocol;

/**
 * Expands a matrix into run specs: the random baseline (K genotypes for every data set and seed) and
 * every listed algorithm for every data set and seed. Tricks and experimental designs come with the
 * matrix/runner work; a matrix today is the untricked base protocol.
 */
public final class Expansion {
    private Expansion() {}

    public static List<RunSpec> expand(MatrixDefinition m) {
        Protocol protocol = m.protocol().apply(Protocol.nasBench201()).at(m.fin());
        Map<String, RunSpec> byId = new LinkedHashMap<>();
        for (String dataset : m.datasets()) {
            for (long seed : m.seeds()) {
                for (int k = 0; k < m.baselineSize(); k++) {
                    add(byId, new RunSpec(dataset, m.space(), new AlgorithmSetting(RandomBaseline.ID, Map.of("index", k)),
                            List.of(), m.search(), m.fin(), protocol, seed));
                }
                for (AlgorithmEntry a : m.algorithms()) {
                    add(byId, new RunSpec(dataset, m.space(), resolved(a), List.of(), m.search(), m.fin(), protocol,
                            seed));
                }
            }
        }
        return new ArrayList<>(byId.values());
    }

    /**
     * The algorithm with every declared default filled in and the values checked, so that a run's id
     * names its whole configuration: changing a default later makes new runs, not silently different
     * ones under old ids.
     */
    static AlgorithmSetting resolved(AlgorithmEntry entry) {
        SearchAlgorithm algorithm = Algorithms.byId(entry.id());
        Map<String, Object> params = new TreeMap<>();
        algorithm.parameters().forEach(p -> params.put(p.name(), p.defaultValue()));
        params.putAll(entry.params());
        AlgorithmSetting setting = new AlgorithmSetting(entry.id(), params);
        algorithm.validate(new AlgorithmSetting(entry.id(), entry.params()));
        algorithm.validate(setting);
        return setting;
    }

    private static void add(Map<String, RunSpec> byId, RunSpec spec) {
        byId.putIfAbsent(spec.id(), spec);
    }
}
