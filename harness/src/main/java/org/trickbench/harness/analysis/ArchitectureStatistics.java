package org.trickbench.harness.analysis;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.trickbench.core.space.darts.DartsGenotype;
import org.trickbench.core.space.darts.DartsOp;
import org.trickbench.core.space.nb201.Genotype;

/**
 * What the searches found, per configuration and search space; each run's genotype is read in its
 * own space's notation ({@link Observation#space()}), and runs of a space this class does not know are
 * left out. The mean share of parameter-free operations is the collapse indicator of differentiable
 * NAS: DARTS drifts to cells of skip connections as the search goes on (Zela et al., ICLR 2020, arXiv
 * 1909.09656; Chu et al., ECCV 2020, arXiv 1911.12126), so a trick that raises accuracy by delaying
 * collapse shows here. For reference, a uniformly random NAS-Bench-201 cell has 3 of its 5 ops
 * parameter-free (skip_connect, avg_pool_3x3, none), an expected share of 0.6. The number of distinct
 * genotypes tells whether the seeds agree.
 *
 * <p>For the DARTS space ({@link #computeDarts}) each cell type, normal and reduction, also gets how often
 * each op was chosen overall and on each edge position (node i fed from state j: the fourteen edges of
 * DARTS's search cell), which is also the distribution of the inputs each node chose.
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
     * Per algorithm × data set × trick setting, in {@link Configuration#ORDER}, over the NAS-Bench-201
     * runs. The data set is part of the key because each run searches on its own data set. Runs without a
     * genotype or of another space are left out; a malformed genotype string throws the parser's message,
     * which names it.
     */
    public static List<Result> compute(List<Observation> observations) {
        List<Result> results = new ArrayList<>();
        byConfiguration(observations, SpaceGenotypes.NB201, Genotype::parse).forEach((configuration, genotypes) -> {
            double share = genotypes.stream().mapToDouble(g -> g.parameterFreeEdges() / (double) Genotype.EDGES)
                    .average().orElseThrow();
            results.add(new Result(configuration, genotypes.size(), share, new HashSet<>(genotypes).size()));
        });
        results.sort((a, b) -> Configuration.ORDER.compare(a.configuration(), b.configuration()));
        return results;
    }

    /**
     * One edge position of a DARTS cell over a configuration's genotypes: edges into intermediate node
     * {@code node} (0..3) from state {@code input} (0 and 1 the cell's inputs, 2.. the earlier nodes).
     *
     * @param chosen how many of the genotypes' edges sit here: a genotype's node takes an input at most
     *     twice, so this is the distribution of the inputs the node chose
     * @param ops of those edges, how many took each op, every op of {@link DartsOp} in its order
     */
    public record EdgePosition(int node, int input, int chosen, Map<String, Integer> ops) {
        public EdgePosition {
            ops = Collections.unmodifiableMap(new LinkedHashMap<>(ops));
        }
    }

    /**
     * One DARTS cell type (normal or reduction) over a configuration's genotypes.
     *
     * @param meanParameterFreeShare mean over the genotypes of the share of the cell's eight edges whose op
     *     has no weights: none, max_pool_3x3, avg_pool_3x3, and skip_connect where it is an identity (in the
     *     normal cell, and from an intermediate node in the reduction cell; from a reduction cell's inputs it is
     *     a factorized reduction, which has weights)
     * @param ops how many of the genotypes' edges took each op, every op of {@link DartsOp} in its order
     * @param edges every edge position a node may take, node by node and input by input (fourteen)
     */
    public record DartsCell(double meanParameterFreeShare, Map<String, Integer> ops, List<EdgePosition> edges) {
        public DartsCell {
            ops = Collections.unmodifiableMap(new LinkedHashMap<>(ops));
            edges = List.copyOf(edges);
        }
    }

    /**
     * One configuration over its DARTS runs that recorded a genotype.
     *
     * @param genotypes runs with a genotype
     * @param distinctGenotypes how many different cell pairs they found
     */
    public record DartsResult(Configuration configuration, int genotypes, int distinctGenotypes, DartsCell normal,
            DartsCell reduce) {
        public DartsResult {
            Objects.requireNonNull(configuration, "configuration");
            Objects.requireNonNull(normal, "normal");
            Objects.requireNonNull(reduce, "reduce");
        }
    }

    /**
     * As {@link #compute}, over the DARTS runs: per configuration, each cell type's op frequencies
     * overall and per edge position and its parameter-free share. For reference, a uniformly random
     * DARTS normal cell ({@link DartsGenotype#random}: ops uniform over the seven other than none) has 3
     * of 7 ops parameter-free, an expected share of 3/7.
     */
    public static List<DartsResult> computeDarts(List<Observation> observations) {
        List<DartsResult> results = new ArrayList<>();
        byConfiguration(observations, SpaceGenotypes.DARTS, DartsGenotype::parse).forEach((configuration, genotypes) -> results.add(
                new DartsResult(configuration, genotypes.size(), new HashSet<>(genotypes).size(),
                        cell(genotypes, false), cell(genotypes, true))));
        results.sort((a, b) -> Configuration.ORDER.compare(a.configuration(), b.configuration()));
        return results;
    }

    private static DartsCell cell(List<DartsGenotype> genotypes, boolean reduction) {
        Map<String, Integer> ops = zeroPerOp();
        Map<List<Integer>, Map<String, Integer>> positions = new LinkedHashMap<>();
        for (int node = 0; node < DartsGenotype.NODES; node++) {
            for (int input = 0; input <= node + 1; input++) {
                positions.put(List.of(node, input), zeroPerOp());
            }
        }
        int parameterFree = 0;
        for (DartsGenotype g : genotypes) {
            List<DartsGenotype.Edge> edges = g.cell(reduction);
            for (int e = 0; e < edges.size(); e++) {
                DartsGenotype.Edge edge = edges.get(e);
                ops.merge(edge.op().id(), 1, Integer::sum);
                positions.get(List.of(e / 2, edge.input())).merge(edge.op().id(), 1, Integer::sum);
                parameterFree += weightFree(edge, reduction) ? 1 : 0;
            }
        }
        List<EdgePosition> edges = new ArrayList<>();
        positions.forEach((at, counts) -> edges.add(new EdgePosition(at.get(0), at.get(1),
                counts.values().stream().mapToInt(Integer::intValue).sum(), counts)));
        return new DartsCell(parameterFree / (double) (DartsGenotype.EDGES * genotypes.size()), ops, edges);
    }

    /** Whether the edge's op has no weights in DARTS's evaluation network. */
    private static boolean weightFree(DartsGenotype.Edge edge, boolean reduction) {
        return switch (edge.op()) {
            case NONE, MAX_POOL_3X3, AVG_POOL_3X3 -> true;
            // At stride 2 (a reduction cell's own inputs) skip_connect is a factorized reduction: two 1×1 convolutions.
            case SKIP_CONNECT -> !reduction || edge.input() >= 2;
            default -> false;
        };
    }

    private static Map<String, Integer> zeroPerOp() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (DartsOp op : DartsOp.values()) {
            counts.put(op.id(), 0);
        }
        return counts;
    }

    /** The genotypes of the space's runs, read in its notation, per configuration in first-seen order. */
    private static <G> Map<Configuration, List<G>> byConfiguration(List<Observation> observations, String space,
            Function<String, G> parse) {
        Objects.requireNonNull(observations, "observations");
        Map<Configuration, List<G>> groups = new LinkedHashMap<>();
        for (Observation o : observations) {
            if (o.genotype() != null && o.space().equals(space)) {
                groups.computeIfAbsent(o.configuration(), c -> new ArrayList<>()).add(parse.apply(o.genotype()));
            }
        }
        return groups;
    }
}
