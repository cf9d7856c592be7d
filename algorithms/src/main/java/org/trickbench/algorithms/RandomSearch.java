package org.trickbench.algorithms;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.trickbench.core.param.ParameterSpec;
import org.trickbench.core.run.AlgorithmSetting;
import org.trickbench.core.search.Family;
import org.trickbench.core.search.SearchAlgorithm;
import org.trickbench.core.search.SearchContext;
import org.trickbench.core.search.SearchResult;
import org.trickbench.core.space.Architecture;
import org.trickbench.core.space.SearchSpace;
import org.trickbench.core.space.SearchSpaces;

/**
 * Random search: score N architectures drawn uniformly without replacement from the run's space and keep the best (Bergstra &
 * Bengio, JMLR 2012; as a NAS baseline, Li & Talwalkar 2019, arXiv 1902.07638). Unlike the
 * {@code random} baseline, which trains one random cell with no search at all, this one spends the
 * same evaluation budget as the other black-box algorithms, so it is the control for "does the
 * search strategy matter?".
 */
public final class RandomSearch implements SearchAlgorithm {
    public static final String ID = "random-search";
    /**
     * The same budget as {@code rea}, so that their defaults compare at equal cost; see
     * {@link RegularizedEvolution#DEFAULT_EVALUATIONS} for why this many. It lands in the top 1.7% of
     * the space with probability 1 − (1 − 0.017)^500 ≈ 0.9998.
     */
    static final int DEFAULT_CANDIDATES = RegularizedEvolution.DEFAULT_EVALUATIONS;

    /** The parameters after validation. */
    record Settings(int candidates) {}

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
        return "Li & Talwalkar, Random search and reproducibility for NAS, UAI 2019 (arXiv 1902.07638);"
                + " Bergstra & Bengio, Random search for hyper-parameter optimization, JMLR 2012";
    }

    @Override
    public String description() {
        return "scores 'candidates' distinct uniformly random cells and returns the best";
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(ParameterSpec.integer("candidates", DEFAULT_CANDIDATES, 1, Integer.MAX_VALUE,
                "distinct cells to score (the evaluation budget), at most the space's size").withUnit(EvaluationBudget.UNIT), TimeBudget.parameter());
    }

    Settings settings(AlgorithmSetting setting, SearchSpace space) {
        return new Settings(EvaluationBudget.resolve(this, setting, space, "candidates").integer("candidates"));
    }

    @Override
    public void validate(AlgorithmSetting setting, SearchSpace space) {
        settings(setting, space);
    }

    @Override
    public SearchResult search(SearchContext context) {
        Settings s = settings(context.spec().algorithm(), SearchSpaces.byId(context.spec().space()));
        SearchSpace space = context.searchSpace();
        int candidates = (int) Math.min(s.candidates(), space.size());
        EvaluationBudget budget = EvaluationBudget.of(context, candidates);
        // Every draw is new (on NAS-Bench-201 a partial Fisher-Yates shuffle of the cell indices), so no
        // evaluation is spent twice. The draws are scored in chunks of the evaluator's batch (one by one
        // unless runs are batched), in draw order, so the result is the same but for the proxy trainings'
        // rounding; the seconds are checked between chunks.
        Iterator<Architecture> draws = space.withoutReplacement(context.seeds().forPurpose("random-search"));
        int chunk = budget.batchSize();
        for (int k = 0; k < candidates && !budget.exhausted(); ) {
            List<Architecture> next = new ArrayList<>();
            for (int n = Math.min(chunk, candidates - k); n > 0; n--, k++) {
                next.add(draws.next());
            }
            budget.scoreAll(next);
        }
        return budget.result();
    }
}
