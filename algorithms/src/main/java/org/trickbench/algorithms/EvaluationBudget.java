package org.trickbench.algorithms;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.trickbench.core.param.Parameters;
import org.trickbench.core.run.AlgorithmSetting;
import org.trickbench.core.search.BudgetUse;
import org.trickbench.core.search.Evaluator;
import org.trickbench.core.search.SearchAlgorithm;
import org.trickbench.core.search.SearchContext;
import org.trickbench.core.search.SearchResult;
import org.trickbench.core.space.Architecture;
import org.trickbench.core.space.SearchSpace;
import org.trickbench.core.space.nb201.Genotype;

/**
 * The evaluation budget of one black-box search, counted in distinct architectures (of any space; the same
 * when their canonical strings are): asking again for one this search has already scored is free, as it is for the caching evaluator underneath.
 * Counting here rather than in the shared cache keeps the count this search's own, whatever the cache
 * held before. It also keeps the best genotype ever scored and the best-so-far trajectory, one point
 * per distinct evaluation, the x-axis of the anytime plots of Real et al. 2019 (arXiv 1802.01548) and
 * White et al. 2020 (arXiv 2005.02960). A wall-clock budget, when set, is the second limit: once it
 * is spent no new genotype is scored, but never before the first, so a search always has an answer.
 */
final class EvaluationBudget {
    /**
     * The unit of a parameter that caps the distinct candidates a search scores, so that the contract tests
     * and readers of {@code bench list} find an algorithm's evaluation budget from its declarations.
     */
    static final String UNIT = "evaluations";

    private final Evaluator evaluator;
    private final int limit;
    private final Map<String, Double> scored = new HashMap<>();
    private final List<Double> trajectory = new ArrayList<>();
    private final TimeBudget time;
    private Architecture best;
    private double bestScore = Double.NaN;
    /** Whether {@link #exhausted()} found the seconds spent; once spent they stay spent. */
    private boolean outOfTime;

    EvaluationBudget(Evaluator evaluator, int limit) {
        this(evaluator, limit, TimeBudget.none());
    }

    /**
     * {@code algorithm}'s parameters resolved for a search of {@code space}: as declared, the integer
     * parameters {@code counts} (evaluations, a population) at most the architectures of the space
     * (NAS-Bench-201's 15,625; the DARTS space has more than an int counts, so there they keep their bounds).
     *
     * @throws org.trickbench.core.UserInputException naming the algorithm, the parameter, its value and the range
     */
    static Parameters resolve(SearchAlgorithm algorithm, AlgorithmSetting setting, SearchSpace space, String... counts) {
        List<String> bounded = List.of(counts);
        return Parameters.resolve("algorithm '" + algorithm.id() + "'", algorithm.parameters().stream()
                .map(p -> bounded.contains(p.name()) ? p.atMost(space.size()) : p).toList(), setting.params());
    }

    /** The budget of a search in {@code context}: {@code limit} evaluations and the setting's seconds, if any. */
    static EvaluationBudget of(SearchContext context, int limit) {
        return new EvaluationBudget(context.evaluator(), limit, TimeBudget.start(context.spec().algorithm(),
                context.clock()));
    }

    EvaluationBudget(Evaluator evaluator, int limit, TimeBudget time) {
        this.time = Objects.requireNonNull(time, "time");
        this.evaluator = Objects.requireNonNull(evaluator, "a black-box search needs an evaluator");
        if (limit < 1) {
            throw new IllegalArgumentException("budget must be positive, got " + limit);
        }
        this.limit = limit;
    }

    /**
     * The genotype's score, evaluated only if this search has not scored it yet.
     *
     * @throws IllegalStateException if the genotype is new and the budget is spent: a caller that
     *     asks is a bug, since an algorithm must check {@link #exhausted()} first. The seconds are taken as
     *     that check found them, not read again: a budget that runs out between the check and this call
     *     must not fail the evaluation the check allowed.
     */
    double score(Architecture genotype) {
        Double known = scored.get(genotype.canonical());
        if (known != null) {
            return known;
        }
        requireRoom(1, genotype.toString());
        double s = evaluator.score(genotype);
        record(genotype, s);
        return s;
    }

    /**
     * The scores of {@code genotypes}, in their order: those this search has not scored yet are evaluated
     * together ({@link Evaluator#scoreAll}, up to {@link #batchSize} trained as one network) and recorded in
     * the list's order, the best and the trajectory exactly as {@link #score} called on each in turn would
     * record them. The seconds are checked only before the batch (by {@link #exhausted()}), so a batch
     * allowed to start scores all its genotypes even if the seconds run out while it trains.
     *
     * @throws IllegalStateException if the new genotypes are more than the evaluations left, or the
     *     seconds were found spent, as for {@link #score}
     */
    List<Double> scoreAll(List<? extends Architecture> genotypes) {
        Map<String, Architecture> fresh = new LinkedHashMap<>();
        for (Architecture genotype : genotypes) {
            if (!scored.containsKey(genotype.canonical())) {
                fresh.putIfAbsent(genotype.canonical(), genotype);
            }
        }
        if (!fresh.isEmpty()) {
            List<Architecture> todo = List.copyOf(fresh.values());
            requireRoom(todo.size(), todo.toString());
            List<Double> scores = evaluator.scoreAll(todo);
            for (int i = 0; i < todo.size(); i++) {
                record(todo.get(i), scores.get(i));
            }
        }
        return genotypes.stream().map(g -> scored.get(g.canonical())).toList();
    }

    /** How many candidates the evaluator scores together at most ({@link Evaluator#batchSize}): a search's chunk. */
    int batchSize() {
        return evaluator.batchSize();
    }

    private void requireRoom(int fresh, String what) {
        if (scored.size() + fresh > limit || outOfTime) {
            throw new IllegalStateException("budget of " + limit + " evaluations or its seconds spent; cannot score "
                    + what);
        }
    }

    private void record(Architecture genotype, double s) {
        scored.put(genotype.canonical(), s);
        if (best == null || better(s, genotype, bestScore, best)) {
            best = genotype;
            bestScore = s;
        }
        trajectory.add(bestScore);
    }

    boolean known(Architecture genotype) {
        return scored.containsKey(genotype.canonical());
    }

    /** The evaluations left: new genotypes that may still be scored, the seconds permitting. */
    int left() {
        return limit - scored.size();
    }

    int spent() {
        return scored.size();
    }

    /** Whether no new genotype may be scored: the evaluations are spent, or the seconds after the first. */
    boolean exhausted() {
        if (scored.size() >= limit) {
            return true;
        }
        outOfTime = outOfTime || !scored.isEmpty() && time.spent();
        return outOfTime;
    }

    Architecture best() {
        return best;
    }

    /**
     * Whether score {@code a} of architecture {@code ga} ranks above score {@code b} of {@code gb}: higher
     * score first, NaN below everything (a failed evaluation must never win), and ties to the one that
     * comes first ({@link #precedes}) so the answer never depends on evaluation order.
     */
    static boolean better(double a, Architecture ga, double b, Architecture gb) {
        double ra = Double.isNaN(a) ? Double.NEGATIVE_INFINITY : a;
        double rb = Double.isNaN(b) ? Double.NEGATIVE_INFINITY : b;
        return ra > rb || (ra == rb && precedes(ga, gb));
    }

    /**
     * The order of equal scores: NAS-Bench-201 cells by their index, the benchmark's own numbering, and
     * any other architectures by their canonical strings.
     */
    static boolean precedes(Architecture a, Architecture b) {
        if (a instanceof Genotype ga && b instanceof Genotype gb) {
            return ga.index() < gb.index();
        }
        return a.canonical().compareTo(b.canonical()) < 0;
    }

    /**
     * The best genotype ever scored with its score; device time equals wall time while we run on CPU.
     * A search that ends with evaluations left and its seconds not spent has stalled.
     */
    SearchResult result() {
        if (best == null) {
            throw new IllegalStateException("the search scored no genotype");
        }
        double wall = time.seconds();
        BudgetUse.Stop stop = scored.size() >= limit ? BudgetUse.Stop.COMPLETE
                : outOfTime || time.spent() ? BudgetUse.Stop.SECONDS : BudgetUse.Stop.STALLED;
        return new SearchResult(best, bestScore, wall, wall, trajectory, new BudgetUse(0, scored.size(), stop),
                List.of());
    }
}
