package org.trickbench.harness.analysis;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.trickbench.core.space.nb201.Genotype;

/**
 * What the searches found, per configuration. The mean share of parameter-free operations
 * (skip_connect, avg_pool_3x3, none) is the collapse indicator of differentiable NAS: DARTS drifts to
 * cells of skip connections as the search goes on (Zela et al., ICLR 2020, arXiv 1909.09656; Chu et
 * al., ECCV 2020, arXiv 1911.12126), so a trick that raises accuracy by delaying collapse shows
 * here. For reference, a uniformly random NAS-Bench-201 cell has 3 of its 5 ops parameter-free, an
 * expected share of 0.6. The number of distinct genotypes tells whether the seeds agree.
 */
public final class ArchitectureStatistics {
    private ArchitectureStatistics() {}

    /**
     * One configuration over its runs that recorded a genotype.
     *
     * @param genotypes runs with a genotype
     * @param meanParameterFreeShare mean over those runs of parameter-free edges / 6
     * @param distinctGenotypes how many different cells they found
     */
    public record Result(Configuration configuration, int genotypes, double meanParameterFreeShare,
            int distinctGenotypes) {
        public Result {
            Objects.requireNonNull(configuration, "configuration");
        }
    }

    /**
     * Per algorithm × data set × trick setting, in {@link Configuration#ORDER}. The data set is part
     * of the key because each run searches on its own data set. Runs without a genotype are left out;
     * a malformed genotype string throws the parser's message, which names it.
     */
    public static List<Result> compute(List<Observation> observations) {
        Objects.requireNonNull(observations, "observations");
        Map<Configuration, List<Genotype>> groups = new LinkedHashMap<>();
        for (Observation o : observations) {
            if (o.genotype() != null) {
                groups.computeIfAbsent(o.configuration(), c -> new ArrayList<>()).add(Genotype.parse(o.genotype()));
            }
        }
        List<Result> results = new ArrayList<>();
        groups.forEach((configuration, genotypes) -> {
            double share = genotypes.stream().mapToDouble(g -> g.parameterFreeEdges() / (double) Genotype.EDGES)
                    .average().orElseThrow();
            Set<Genotype> distinct = new HashSet<>(genotypes);
            results.add(new Result(configuration, genotypes.size(), share, distinct.size()));
        });
        results.sort((a, b) -> Configuration.ORDER.compare(a.configuration(), b.configuration()));
        return results;
    }
}
