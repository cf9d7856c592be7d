package org.trickbench.algorithms;

import java.util.List;
import java.util.SplittableRandom;
import org.trickbench.core.param.ParameterSpec;
import org.trickbench.core.run.AlgorithmSetting;
import org.trickbench.core.search.Family;
import org.trickbench.core.search.SearchAlgorithm;
import org.trickbench.core.search.SearchContext;
import org.trickbench.core.search.SearchResult;
import org.trickbench.core.space.nb201.Genotype;
import org.trickbench.core.space.nb201.Nb201Space;

/**
 * Random search: score N cells drawn uniformly without replacement and keep the best (Bergstra &
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
        return List.of(ParameterSpec.integer("candidates", DEFAULT_CANDIDATES, 1, Genotype.SPACE_SIZE,
                "distinct cells to score (the evaluation budget)").withUnit(EvaluationBudget.UNIT), TimeBudget.parameter());
    }

    Settings settings(AlgorithmSetting setting) {
        return new Settings(resolve(setting).integer("candidates"));
    }

    @Override
    public void validate(AlgorithmSetting setting) {
        settings(setting);
    }

    @Override
    public SearchResult search(SearchContext context) {
        Settings s = settings(context.spec().algorithm());
        Nb201Space space = context.space();
        int candidates = Math.min(s.candidates(), space.cells());
        EvaluationBudget budget = EvaluationBudget.of(context, candidates);
        SplittableRandom rng = context.seeds().forPurpose("random-search");
        // A partial Fisher-Yates shuffle of the cell indices: the first k entries are a uniform sample
        // without replacement, so no evaluation is spent twice and every draw is new.
        int[] cells = new int[space.cells()];
        for (int i = 0; i < cells.length; i++) {
            cells[i] = i;
        }
        for (int k = 0; k < candidates && !budget.exhausted(); k++) {
            int j = k + rng.nextInt(cells.length - k);
            int drawn = cells[j];
            cells[j] = cells[k];
            cells[k] = drawn;
            budget.score(space.cell(drawn));
        }
        return budget.result();
    }
}
