package org.trickbench.algorithms;

import java.util.List;
import org.trickbench.core.param.ParameterSpec;
import org.trickbench.core.search.BudgetUse;
import org.trickbench.core.search.Family;
import org.trickbench.core.search.SearchAlgorithm;
import org.trickbench.core.search.SearchContext;
import org.trickbench.core.search.SearchResult;
import org.trickbench.core.space.Architecture;

/**
 * The random baseline every report compares against (Yang et al., ICLR 2020, arXiv 1912.12522): no
 * search at all. Run {@code index} k of a seed draws the k-th genotype uniformly from the run's space
 * (NAS-Bench-201's 15,625 cells, or the DARTS space); K such runs, trained with the same protocol, give the accuracy an algorithm has to beat.
 */
public final class RandomBaseline implements SearchAlgorithm {
    public static final String ID = "random";

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
        return "Yang, Esperança & Carlucci, NAS evaluation is frustratingly hard, ICLR 2020 (arXiv 1912.12522)";
    }

    @Override
    public String description() {
        return "k-th uniformly random genotype of the seed (param index, 0-based); no search";
    }

    @Override
    public boolean searches() {
        return false;
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(ParameterSpec.integer("index", 0, 0, Integer.MAX_VALUE,
                "which random genotype of the seed (the matrix's baseline-size K gives 0..K-1)"),
                TimeBudget.parameter());
    }

    @Override
    public SearchResult search(SearchContext context) {
        int index = resolve(context.spec().algorithm()).integer("index");
        Architecture drawn = context.searchSpace().random(context.seeds().forPurpose("random-genotype-" + index));
        return new SearchResult(drawn, Double.NaN, 0, 0, List.of(), new BudgetUse(0, 0, BudgetUse.Stop.COMPLETE),
                List.of());
    }
}
