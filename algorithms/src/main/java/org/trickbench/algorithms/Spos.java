package org.trickbench.algorithms;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;
import org.trickbench.core.run.AlgorithmSetting;
import org.trickbench.core.param.ParameterSpec;
import org.trickbench.core.param.Parameters;
import org.trickbench.core.seed.Seeds;
import org.trickbench.core.space.Architecture;
import org.trickbench.core.space.SearchSpace;
import org.trickbench.core.space.darts.DartsGenotype;
import org.trickbench.core.space.darts.DartsSearchSpace;
import org.trickbench.core.space.nb201.Genotype;
import org.trickbench.core.space.nb201.Nb201SearchSpace;
import org.trickbench.core.space.nb201.Nb201Space;

/**
 * Single Path One-Shot (Guo et al., ECCV 2020, arXiv 1904.00420): train the supernet with uniformly
 * sampled paths, then run the paper's evolutionary search with the shared weights as fitness. A random
 * population is scored; each generation keeps the top k, adds children by mutation (each choice block
 * resampled with probability p from a random top-k parent) and by crossover (each choice block from one
 * of two random top-k parents), and scores the new ones. The paper's defaults: population 50, 20
 * generations, top 10, 25 mutations and 25 crossovers, p = 0.1. No FLOPs constraint here.
 *
 * <p>A choice block is a NAS-Bench-201 edge (its op) or a DARTS node (its two inputs and their ops, as
 * {@link DartsGenotype#randomNode} draws them): a DARTS edge alone could not be resampled or crossed
 * without two edges of one node taking the same input, and a node is what DARTS's cell chooses.
 */
public final class Spos extends OneShotSearch {
    public static final String ID = "spos";
    /** Tries to find an unseen child before a generation settles for fewer (NAS-Bench-201 has only 15,625 cells). */
    private static final int MAX_TRIES = 100;

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String reference() {
        return "Guo et al., Single Path One-Shot Neural Architecture Search with Uniform Sampling, ECCV 2020 (arXiv 1904.00420)";
    }

    @Override
    public String description() {
        return "SPOS: uniform single-path supernet, then evolutionary search with the shared weights as fitness";
    }

    @Override
    List<ParameterSpec> extraParameters() {
        return List.of(
                ParameterSpec.integer("population", 50, 1, Integer.MAX_VALUE, "cells in the first population"),
                ParameterSpec.integer("generations", 20, 0, Integer.MAX_VALUE,
                        "evolution iterations after the first population"),
                ParameterSpec.integer("top-k", 10, 1, Integer.MAX_VALUE, "parents kept each generation"),
                ParameterSpec.integer("mutations", 25, 0, Integer.MAX_VALUE, "children by mutation each generation"),
                ParameterSpec.integer("crossovers", 25, 0, Integer.MAX_VALUE, "children by crossover each generation"),
                ParameterSpec.number("mutation-probability", 0.1, 0, true, 1, true,
                        "chance that a child redraws each edge (NAS-Bench-201) or node (DARTS)"));
    }

    private record Scored(Architecture genotype, double score) {}

    @Override
    Choice search(ToDoubleFunction<Architecture> fitness, AlgorithmSetting setting, Seeds seeds, SearchSpace space,
            TimeBudget time) {
        Parameters params = resolve(setting);
        int population = params.integer("population");
        int generations = params.integer("generations");
        int topK = params.integer("top-k");
        int mutations = params.integer("mutations");
        int crossovers = params.integer("crossovers");
        double p = params.number("mutation-probability");
        SplittableRandom random = seeds.forPurpose("spos-evolution");
        Breeding breeding = Breeding.of(space);
        Set<Architecture> seen = new LinkedHashSet<>();
        List<Scored> pool = new ArrayList<>();
        List<Double> trajectory = new ArrayList<>();
        double[] best = {Double.NEGATIVE_INFINITY};
        Architecture[] bestGenotype = new Architecture[1];
        // Scores a candidate unless the time budget is spent (never before the first); false once it is.
        java.util.function.Predicate<Architecture> evaluate = g -> {
            if (!trajectory.isEmpty() && time.spent()) {
                return false;
            }
            double s = fitness.applyAsDouble(g);
            pool.add(new Scored(g, s));
            if (s > best[0]) {
                best[0] = s;
                bestGenotype[0] = g;
            }
            trajectory.add(best[0]);
            return true;
        };
        boolean inTime = true;
        for (int tries = 0; inTime && seen.size() < population && tries < population * MAX_TRIES; tries++) {
            Architecture g = space.random(random);
            if (seen.add(g)) {
                inTime = evaluate.test(g);
            }
        }
        for (int generation = 0; inTime && generation < generations; generation++) {
            // Highest score first; ties keep the earlier candidate, so the order is reproducible.
            pool.sort(Comparator.comparingDouble(Scored::score).reversed());
            List<Scored> parents = List.copyOf(pool.subList(0, Math.min(topK, pool.size())));
            pool.clear();
            pool.addAll(parents);
            List<Architecture> children = new ArrayList<>();
            for (int made = 0, tries = 0; made < mutations && tries < mutations * MAX_TRIES; tries++) {
                Architecture child = breeding.mutate(parents.get(random.nextInt(parents.size())).genotype(), p, random);
                if (seen.add(child)) {
                    children.add(child);
                    made++;
                }
            }
            for (int made = 0, tries = 0; made < crossovers && tries < crossovers * MAX_TRIES; tries++) {
                Architecture child = breeding.crossover(parents.get(random.nextInt(parents.size())).genotype(),
                        parents.get(random.nextInt(parents.size())).genotype(), random);
                if (seen.add(child)) {
                    children.add(child);
                    made++;
                }
            }
            for (int i = 0; inTime && i < children.size(); i++) {
                inTime = evaluate.test(children.get(i));
            }
        }
        return new Choice(bestGenotype[0], best[0], trajectory, !inTime);
    }

    /** How children are made in a space: by NAS-Bench-201 edges or by DARTS nodes. */
    private interface Breeding {
        Architecture mutate(Architecture parent, double p, SplittableRandom random);

        Architecture crossover(Architecture a, Architecture b, SplittableRandom random);

        static Breeding of(SearchSpace space) {
            if (space instanceof Nb201SearchSpace nb201) {
                return new Breeding() {
                    @Override
                    public Architecture mutate(Architecture parent, double p, SplittableRandom random) {
                        return Spos.mutate(Genotype.from(parent), p, random, nb201.cells());
                    }

                    @Override
                    public Architecture crossover(Architecture a, Architecture b, SplittableRandom random) {
                        return Spos.crossover(Genotype.from(a), Genotype.from(b), random);
                    }
                };
            }
            if (space instanceof DartsSearchSpace) {
                return new Breeding() {
                    @Override
                    public Architecture mutate(Architecture parent, double p, SplittableRandom random) {
                        return Spos.mutate(DartsGenotype.from(parent), p, random);
                    }

                    @Override
                    public Architecture crossover(Architecture a, Architecture b, SplittableRandom random) {
                        return Spos.crossover(DartsGenotype.from(a), DartsGenotype.from(b), random);
                    }
                };
            }
            throw new IllegalArgumentException("SPOS has no mutation or crossover for space " + space.id());
        }
    }

    /** Each edge resampled uniformly with probability p (it may draw its own op again, as in the paper). */
    static Genotype mutate(Genotype parent, double p, SplittableRandom random) {
        return mutate(parent, p, random, Nb201Space.full());
    }

    /** {@link #mutate(Genotype, double, SplittableRandom)} drawing from {@code space}'s ops. */
    static Genotype mutate(Genotype parent, double p, SplittableRandom random, Nb201Space space) {
        Genotype child = parent;
        for (int e = 0; e < Genotype.EDGES; e++) {
            if (random.nextDouble() < p) {
                child = child.with(e, space.randomOp(random));
            }
        }
        return child;
    }

    /** Each edge taken from either parent with equal chance. */
    static Genotype crossover(Genotype a, Genotype b, SplittableRandom random) {
        Genotype child = a;
        for (int e = 0; e < Genotype.EDGES; e++) {
            if (random.nextBoolean()) {
                child = child.with(e, b.op(e));
            }
        }
        return child;
    }

    /**
     * Each node of the normal, then the reduction cell redrawn with probability p as
     * {@link DartsGenotype#randomNode} draws it (it may draw its own inputs and ops again, as in the paper).
     */
    static DartsGenotype mutate(DartsGenotype parent, double p, SplittableRandom random) {
        return nodeByNode(parent, (reduction, node) -> random.nextDouble() < p ? DartsGenotype.randomNode(node, random)
                : null);
    }

    /**
     * Each node of the normal, then the reduction cell taken whole (both its edges, inputs and ops) from
     * either parent with equal chance, so that its two inputs stay distinct.
     */
    static DartsGenotype crossover(DartsGenotype a, DartsGenotype b, SplittableRandom random) {
        return nodeByNode(a, (reduction, node) -> random.nextBoolean()
                ? b.cell(reduction).subList(2 * node, 2 * node + 2) : null);
    }

    /** The two edges a DARTS node gets instead of its own, or null to keep them. */
    private interface NodeEdges {
        List<DartsGenotype.Edge> of(boolean reduction, int node);
    }

    /** {@code base} with each node, normal cell first, node 0 first, replaced as {@code edges} says. */
    private static DartsGenotype nodeByNode(DartsGenotype base, NodeEdges edges) {
        List<List<DartsGenotype.Edge>> cells = new ArrayList<>(2);
        for (boolean reduction : new boolean[] {false, true}) {
            List<DartsGenotype.Edge> cell = new ArrayList<>(base.cell(reduction));
            for (int node = 0; node < DartsGenotype.NODES; node++) {
                List<DartsGenotype.Edge> replacement = edges.of(reduction, node);
                if (replacement != null) {
                    cell.set(2 * node, replacement.get(0));
                    cell.set(2 * node + 1, replacement.get(1));
                }
            }
            cells.add(cell);
        }
        return new DartsGenotype(cells.get(0), cells.get(1));
    }
}
