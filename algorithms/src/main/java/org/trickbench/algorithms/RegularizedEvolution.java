package org.trickbench.algorithms;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.trickbench.core.param.ParameterSpec;
import org.trickbench.core.param.Parameters;
import org.trickbench.core.run.AlgorithmSetting;
import org.trickbench.core.search.Family;
import org.trickbench.core.search.SearchAlgorithm;
import org.trickbench.core.search.SearchContext;
import org.trickbench.core.search.SearchResult;
import org.trickbench.core.space.Architecture;
import org.trickbench.core.space.SearchSpace;
import org.trickbench.core.space.SearchSpaces;
import org.trickbench.core.space.nb201.Genotype;
import org.trickbench.core.space.nb201.Nb201SearchSpace;

/**
 * Regularized (aging) evolution, Real, Aggarwal, Huang & Le, AAAI 2019 (arXiv 1802.01548),
 * Algorithm 1: a queue of P scored cells; each cycle draws S members uniformly, mutates the best of
 * them on one edge (the run's space's mutation, {@link SearchSpace#mutate}), scores the child, appends it and removes the <em>oldest</em> member. Removing by
 * age rather than by score is the "regularization": a cell survives only by having good descendants,
 * not by one lucky score.
 */
public final class RegularizedEvolution implements SearchAlgorithm {
    public static final String ID = "rea";
    /** NAS-Bench-201's REA population (Dong & Yang 2020, arXiv 2001.00326). */
    static final int DEFAULT_POPULATION = 10;
    /** NAS-Bench-201's REA tournament size (Dong & Yang 2020). */
    static final int DEFAULT_SAMPLE = 3;
    /**
     * 500 distinct evaluations (3.2% of the 15,625 cells), the default budget of every black-box
     * algorithm here so that their defaults compare at equal cost. It is set by the slowest of them,
     * this one at NAS-Bench-201's population 10 and sample 3: on a toy fitness whose unique optimum is
     * the all-3×3-convolution cell, REA reached that optimum for 83% of 300 seeds with 300
     * evaluations, 90% with 400 and 97% with 500, while local search needed 150 for all of them.
     * A study that can afford less sets {@code evaluations} in its matrix.
     */
    static final int DEFAULT_EVALUATIONS = 500;
    /**
     * Cycles in a row whose child was already scored after which the search stops short of its
     * budget. Duplicates cost no evaluation, so without a limit a population that only breeds known
     * cells (possible only when the budget approaches the whole space) would cycle for ever.
     */
    static final int STALL_CYCLES = 100_000;

    /** The parameters after validation. */
    record Settings(int population, int sample, int evaluations) {}

    /** A population member: the cell and its score, kept so a tournament needs no evaluator call. */
    record Member(Architecture genotype, double score) {}

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Family family() {
        return Family.BLACK_BOX;
    }

    @Override
    public String reference() {
        return "Real, Aggarwal, Huang & Le, Regularized evolution for image classifier architecture search,"
                + " AAAI 2019 (arXiv 1802.01548)";
    }

    @Override
    public String description() {
        return "aging evolution: tournament of 'sample' from a queue of 'population', one-edge mutation,"
                + " oldest removed";
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(
                ParameterSpec.integer("population", DEFAULT_POPULATION, 2, Integer.MAX_VALUE,
                        "cells in the aging queue, at most the space's size (NAS-Bench-201's setting: 10)"),
                ParameterSpec.integer("sample", DEFAULT_SAMPLE, 1, Integer.MAX_VALUE,
                        "tournament size, at most population (NAS-Bench-201's setting: 3)"),
                ParameterSpec.integer("evaluations", DEFAULT_EVALUATIONS, 1, Integer.MAX_VALUE,
                        "distinct cells to score, initial population included; at least population and at most"
                                + " the space's size")
                        .withUnit(EvaluationBudget.UNIT),
                TimeBudget.parameter());
    }

    Settings settings(AlgorithmSetting setting, SearchSpace space) {
        return settings(EvaluationBudget.resolve(this, setting, space, "population", "sample", "evaluations"), space.size());
    }

    /** The constraints between the parameters, for a space of {@code size} architectures. */
    private static Settings settings(Parameters p, long size) {
        int population = p.integer("population");
        int sample = p.integer("sample");
        int evaluations = p.integer("evaluations");
        if (sample > population) {
            throw p.invalid("sample", "integer 1 <= sample <= population (" + population + ")");
        }
        if (evaluations < population) {
            throw p.invalid("evaluations", "integer population (" + population + ") <= evaluations"
                    + (size < Integer.MAX_VALUE ? " <= " + size : "") + ", to fill the first population");
        }
        return new Settings(population, sample, evaluations);
    }

    /** The declared bounds and the constraints between the parameters; a space's size is checked with the space. */
    @Override
    public void validate(AlgorithmSetting setting) {
        settings(resolve(setting), Long.MAX_VALUE);
    }

    @Override
    public void validate(AlgorithmSetting setting, SearchSpace space) {
        settings(setting, space);
    }

    @Override
    public SearchResult search(SearchContext context) {
        Settings s = settings(context.spec().algorithm(), SearchSpaces.byId(context.spec().space()));
        SearchSpace space = context.searchSpace();
        EvaluationBudget budget = EvaluationBudget.of(context, (int) Math.min(s.evaluations(), space.size()));
        SplittableRandom initial = context.seeds().forPurpose("rea:initial-population");
        ArrayDeque<Member> population = new ArrayDeque<>(s.population() + 1);
        // Uniform random cells, as Real et al.'s initial population; a repeated draw costs nothing and
        // budget >= population, so only the seconds can cut this short, leaving a smaller population.
        // The draws are scored in chunks of the evaluator's batch, in draw order (one by one unless runs
        // are batched); the seconds are checked between chunks.
        while (population.size() < s.population() && !budget.exhausted()) {
            List<Architecture> draws = new ArrayList<>();
            for (int n = Math.min(budget.batchSize(), s.population() - population.size()); n > 0; n--) {
                draws.add(space.random(initial));
            }
            List<Double> scores = budget.scoreAll(draws);
            for (int i = 0; i < draws.size(); i++) {
                population.addLast(new Member(draws.get(i), scores.get(i)));
            }
        }
        new Evolution(population, s.sample(), context.seeds().forPurpose("rea:evolution"), budget, space).run();
        return budget.result();
    }

    /**
     * The cycles of Algorithm 1, run ahead of their scores where the evaluator trains several cells at once
     * ({@link EvaluationBudget#batchSize}): a cycle's tournament needs the scores of the members it draws,
     * not of the others, so cycles go on while no tournament draws a child still waiting for its score, and
     * the waiting children (at most the batch) are scored together when one does, when the batch is full
     * or when the budget would be spent. Every random draw is made in the same order as when each child is
     * scored at once, so the search draws, scores and keeps the same cells in the same order, one by one or
     * batched; only the seconds are checked between batches, as for the other searches.
     */
    private static final class Evolution {
        /** A population member whose score may still be pending. */
        private static final class Slot {
            final Architecture genotype;
            double score;
            boolean pending;

            Slot(Architecture genotype, double score, boolean pending) {
                this.genotype = genotype;
                this.score = score;
                this.pending = pending;
            }
        }

        private final ArrayDeque<Slot> population = new ArrayDeque<>();
        private final int sample;
        private final SplittableRandom rng;
        private final EvaluationBudget budget;
        private final SearchSpace space;
        /** Children waiting for their scores, in cycle order. */
        private final List<Slot> waiting = new ArrayList<>();
        /** The canonical strings of the waiting children that are new to the budget. */
        private final Set<String> waitingNew = new HashSet<>();
        private int stalled;

        Evolution(ArrayDeque<Member> members, int sample, SplittableRandom rng, EvaluationBudget budget,
                SearchSpace space) {
            for (Member m : members) {
                population.addLast(new Slot(m.genotype(), m.score(), false));
            }
            this.sample = sample;
            this.rng = rng;
            this.budget = budget;
            this.space = space;
        }

        void run() {
            while (true) {
                if (waiting.isEmpty()) {
                    if (budget.exhausted() || stalled >= STALL_CYCLES) {
                        return;
                    }
                } else if (waiting.size() >= budget.batchSize() || budget.left() <= waitingNew.size()
                        || stalled >= STALL_CYCLES) {
                    score();
                    continue;
                }
                List<Slot> members = List.copyOf(population);
                int[] drawn = new int[sample];
                boolean needsWaiting = false;
                for (int i = 0; i < sample; i++) {
                    drawn[i] = rng.nextInt(members.size());
                    needsWaiting |= members.get(drawn[i]).pending;
                }
                if (needsWaiting) {
                    score();
                }
                Slot parent = null;
                for (int i : drawn) {
                    Slot m = members.get(i);
                    if (parent == null || EvaluationBudget.better(m.score, m.genotype, parent.score, parent.genotype)) {
                        parent = m;
                    }
                }
                Architecture child = space.mutate(parent.genotype, rng);
                Slot slot;
                if (budget.known(child)) {
                    slot = new Slot(child, budget.score(child), false);
                    stalled++;
                } else {
                    slot = new Slot(child, Double.NaN, true);
                    waiting.add(slot);
                    stalled = waitingNew.add(child.canonical()) ? 0 : stalled + 1;
                }
                population.addLast(slot);
                population.removeFirst();
            }
        }

        /** Scores the waiting children together, recording them in cycle order. */
        private void score() {
            List<Double> scores = budget.scoreAll(waiting.stream().map(w -> w.genotype).toList());
            for (int i = 0; i < waiting.size(); i++) {
                waiting.get(i).score = scores.get(i);
                waiting.get(i).pending = false;
            }
            waiting.clear();
            waitingNew.clear();
        }
    }

    /**
     * One cycle of Algorithm 1: tournament, mutation, scoring, then the child joins at the young end
     * and the oldest member leaves, whatever its score. Scores at most one new cell. (The search runs the
     * same cycles through {@link Evolution}, which scores several children at once where it may.)
     *
     * @return the member that was removed
     */
    static Member cycle(ArrayDeque<Member> population, int sample, SplittableRandom rng, EvaluationBudget budget) {
        return cycle(population, sample, rng, budget, Nb201SearchSpace.full());
    }

    /** {@link #cycle(ArrayDeque, int, SplittableRandom, EvaluationBudget)} mutating within {@code space}. */
    static Member cycle(ArrayDeque<Member> population, int sample, SplittableRandom rng, EvaluationBudget budget,
            SearchSpace space) {
        Member parent = tournament(List.copyOf(population), sample, rng);
        Architecture child = space.mutate(parent.genotype(), rng);
        population.addLast(new Member(child, budget.score(child)));
        return population.removeFirst();
    }

    /**
     * The best of {@code sample} members drawn uniformly with replacement, as Real et al.'s
     * Algorithm 1 draws them (a member may be drawn twice; it stays in the population).
     */
    static Member tournament(List<Member> members, int sample, SplittableRandom rng) {
        Member best = null;
        for (int i = 0; i < sample; i++) {
            Member m = members.get(rng.nextInt(members.size()));
            if (best == null || EvaluationBudget.better(m.score(), m.genotype(), best.score(), best.genotype())) {
                best = m;
            }
        }
        return best;
    }

    /**
     * Real et al.'s op mutation on NAS-Bench-201's cell ({@link Nb201SearchSpace#mutate}): one of the six
     * edges, chosen uniformly, gets one of the four other operations, chosen uniformly. Excluding the
     * current op matters: a copy of the parent costs no evaluation (it is cached) but would still push a
     * member out of the queue.
     */
    static Genotype mutate(Genotype parent, SplittableRandom rng) {
        return Nb201SearchSpace.full().mutate(parent, rng);
    }
}
