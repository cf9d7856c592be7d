package org.trickbench.tricks;

import java.util.Map;
import java.util.Set;
import org.trickbench.core.search.Family;
import org.trickbench.core.space.SpaceId;
import org.trickbench.core.space.nb201.Nb201Hook;
import org.trickbench.core.space.nb201.Nb201Ops;
import org.trickbench.core.space.nb201.Nb201Supernet;
import org.trickbench.core.train.TrainingHook;

/**
 * BatchNorm without learnable scale γ and shift β in the supernet's candidate operations, as DARTS'
 * search code and NAS-Bench-201's search scripts build them ({@code affine=False}): a learnable scale
 * after each op could grow or shrink the op's output and so stand in for α. The stem, reductions and
 * head keep their affine BatchNorm; standalone networks are untouched.
 */
public final class BnAffineOff extends SearchPhaseTrick {
    public BnAffineOff() {
        super("bn-affine-off", Family.GRADIENT, Family.ONE_SHOT);
    }

    /** It picks the candidate ops' normalisation, as group-norm and ghost-bn do. */
    @Override
    public Set<String> replaces() {
        return Set.of("normalization");
    }

    @Override
    public String reference() {
        return "Liu, Simonyan & Yang, DARTS: Differentiable Architecture Search, ICLR 2019 (arXiv 1806.09055), search"
                + " code; Dong & Yang, NAS-Bench-201, ICLR 2020 (arXiv 2001.00326), search scripts";
    }

    @Override
    public Set<SpaceId> spaces() {
        return Nb201Only.SPACES;
    }

    @Override
    public String spacesNote() {
        return "DARTS's search network already builds every cell BatchNorm without affine parameters, as DARTS's model_search.py does";
    }

    @Override
    public String description() {
        return "BatchNorm in the supernet's candidate ops has no learnable γ, β";
    }

    @Override
    public TrainingHook hook(Map<String, Object> params) {
        resolve(params);
        return new Nb201Hook() {
            @Override
            public Nb201Ops configureSupernetCells(Nb201Ops cellOps) {
                return cellOps.withNormalization(Nb201Supernet.searchCellOps()::normalization);
            }
        };
    }
}
