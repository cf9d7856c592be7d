package org.trickbench.harness.matrix;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.trickbench.algorithms.Algorithms;
import org.trickbench.algorithms.RandomBaseline;
import org.trickbench.core.run.AlgorithmSetting;
import org.trickbench.core.run.RunSpec;
import org.trickbench.core.train.Protocol;

/**
 * Expands a matrix into run specs: the random baseline (K genotypes for every data set and seed) and
 * every listed algorithm for every data set and seed. Tricks and experimental designs come with the
 * matrix/runner work; a matrix today is the untricked base protocol.
 */
public final class Expansion {
    private Expansion() {}

    public static List<RunSpec> expand(MatrixDefinition m) {
        Protocol protocol = m.protocol().apply(Protocol.nasBench201()).at(m.finalFidelity());
        Map<String, RunSpec> byId = new LinkedHashMap<>();
        for (String dataset : m.datasets()) {
            for (long seed : m.seeds()) {
                for (int k = 0; k < m.baselineSize(); k++) {
                    add(byId, new RunSpec(dataset, m.space(), new AlgorithmSetting(RandomBaseline.ID, Map.of("index", k)),
                            List.of(), m.searchFidelity(), m.finalFidelity(), protocol, seed));
                }
                for (AlgorithmEntry a : m.algorithms()) {
                    Algorithms.byId(a.id());
                    add(byId, new RunSpec(dataset, m.space(), new AlgorithmSetting(a.id(), a.params()), List.of(),
                            m.searchFidelity(), m.finalFidelity(), protocol, seed));
                }
            }
        }
        return new ArrayList<>(byId.values());
    }

    private static void add(Map<String, RunSpec> byId, RunSpec spec) {
        byId.putIfAbsent(spec.id(), spec);
    }
}
