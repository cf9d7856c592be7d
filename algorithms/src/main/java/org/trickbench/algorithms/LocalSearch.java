package org.trickbench.algorithms;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.trickbench.core.param.ParameterSpec;
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
 * Local search with random restarts, White, Nolen & Savani 2020 (arXiv 2005.02960): from a random
 * cell, score its whole neighbourhood (every cell one edge-op away: 6 edges × 4 other ops = 24) and
 * move to the best neighbour if it beats the current cell; at a local optimum, restart from a random
 * cell. They find this simple hill climber matches or beats far more elaborate searches on
 * NAS-Bench-201, which makes it the black-box baseline a new trick must not only help but survive. On
 * another space the neighbourhood is that space's ({@link SearchSpace#neighbours}; DARTS: one edge's op or
 * input changed).
 */
public final class LocalSearch implements SearchAlgorithm {
    public static final String ID = "local-search";
    /** The same budget as {@code rea}; see {@link RegularizedEvolution#DEFAULT_EVALUATIONS}. */
    static final int DEFAULT_EVALUATIONS = RegularizedEvolution.DEFAULT_EVALUATIONS;

    /** The parameters after validation. */
    record Settings(int evaluations) {}

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
        return "White, Nolen & Savani, Local search is state of the art for neural architecture search"
                + " benchmarks, 2020 (arXiv 2005.02960)";
    }

    @Override
    public String description() {
        return "hill climbing over one-edge neighbourhoods, restarting from a random cell at each local optimum";
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(ParameterSpec.integer("evaluations", DEFAULT_EVALUATIONS, 1, Integer.MAX_VALUE,
                "distinct cells to score (the evaluation budget), at most the space's size").withUnit(EvaluationBudget.UNIT), TimeBudget.parameter());
    }

    Settings settings(AlgorithmSetting setting, SearchSpace space) {
        return new Settings(EvaluationBudget.resolve(this, setting, space, "evaluations").integer("evaluations"));
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
        SplittableRandom starts = context.seeds().forPurpose("local-search:start");
        SplittableRandom order = context.seeds().forPurpose("local-search:neighbour-order");
        Architecture current = unscoredCell(starts, budget, space);
        double currentScore = budget.score(current);
        while (!budget.exhausted()) {
            Architecture bestNeighbour = null;
            double bestScore = Double.NaN;
            // A random order, so that a budget running out inside a neighbourhood does not favour the
            // first edges of the string.
            // Scored in chunks that hold at most the evaluator's batch of new cells (one unless runs are
            // batched), in this order; the seconds are checked between chunks.
            List<Architecture> neighbours = shuffled(space.neighbours(current), order);
            for (int i = 0; i < neighbours.size(); ) {
                if (budget.exhausted() && !budget.known(neighbours.get(i))) {
                    return budget.result();
                }
                int room = Math.min(budget.batchSize(), budget.left());
                List<Architecture> chunk = new ArrayList<>();
                for (int fresh = 0; i < neighbours.size(); i++) {
                    if (!budget.known(neighbours.get(i)) && fresh++ == room) {
                        break;
                    }
                    chunk.add(neighbours.get(i));
                }
                List<Double> scores = budget.scoreAll(chunk);
                for (int j = 0; j < chunk.size(); j++) {
                    Architecture n = chunk.get(j);
                    if (bestNeighbour == null || EvaluationBudget.better(scores.get(j), n, bestScore, bestNeighbour)) {
                        bestNeighbour = n;
                        bestScore = scores.get(j);
                    }
                }
            }
            if (budget.exhausted()) {
                break;
            }
            if (rank(bestScore) > rank(currentScore)) {
                current = bestNeighbour;
                currentScore = bestScore;
            } else {
                current = unscoredCell(starts, budget, space);
                currentScore = budget.score(current);
            }
        }
        return budget.result();
    }

    /**
     * Every cell that differs from {@code cell} on exactly one edge: 6 edges × 4 other ops, in edge
     * then op order.
     */
    static List<Genotype> neighbours(Genotype cell) {
        return Nb201SearchSpace.full().neighbours(cell).stream().map(Genotype::from).toList();
    }

    /**
     * A uniformly random cell this search has not scored. A restart from a scored cell would, with
     * scores cached, mostly retrace a climb already made and spend nothing new. One exists whenever
     * the budget is not spent, since the budget is at most the size of the space.
     */
    private static Architecture unscoredCell(SplittableRandom rng, EvaluationBudget budget, SearchSpace space) {
        while (true) {
            Architecture g = space.random(rng);
            if (!budget.known(g)) {
                return g;
            }
        }
    }

    private static List<Architecture> shuffled(List<Architecture> cells, SplittableRandom rng) {
        List<Architecture> copy = new ArrayList<>(cells);
        for (int i = copy.size() - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            Architecture t = copy.get(i);
            copy.set(i, copy.get(j));
            copy.set(j, t);
        }
        return copy;
    }

    /** NaN (a failed evaluation) ranks below every score, so it is never an improvement. */
    private static double rank(double score) {
        return Double.isNaN(score) ? Double.NEGATIVE_INFINITY : score;
    }
}
