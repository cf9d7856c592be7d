package org.trickbench.tricks;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.trickbench.core.UserInputException;
import org.trickbench.core.param.ParameterSpec;
import org.trickbench.core.search.Family;
import org.trickbench.core.space.SpaceId;
import org.trickbench.core.space.nb201.Nb201Hook;
import org.trickbench.core.space.nb201.Nb201Op;
import org.trickbench.core.space.nb201.Nb201Space;
import org.trickbench.core.train.TrainingHook;
import org.trickbench.core.trick.Phase;
import org.trickbench.core.trick.Trick;

/**
 * A pre-optimised search space (seed §3.4; Elsken et al. 2021, arXiv 2107.03719): drop the ops human
 * priors deem weak, here by default {@code none} and {@code avg_pool_3x3}, which the best
 * NAS-Bench-201 cells rarely use (Dong &amp; Yang, ICLR 2020, arXiv 2001.00326). Every sampler, mutation
 * and supernet of the search draws from the kept ops only, through {@link Nb201Hook#configureSpace}.
 */
public final class PriorSpace implements Trick {
    static final String DEFAULT_OPS = "skip_connect, nor_conv_1x1, nor_conv_3x3";

    @Override
    public String id() {
        return "prior-space";
    }

    @Override
    public Set<Phase> phases() {
        return Set.of(Phase.SEARCH);
    }

    @Override
    public Set<Family> families() {
        return Family.ALL;
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(ParameterSpec.choices("ops", DEFAULT_OPS, Nb201Op.ids(),
                "the ops the search may use, at least two of " + String.join(", ", Nb201Op.ids())));
    }

    @Override
    public String reference() {
        return "Elsken, Staffler, Zela, Metzen & Hutter, Bag of Tricks for Neural Architecture Search, 2021"
                + " (arXiv 2107.03719), §3.4";
    }

    @Override
    public Set<SpaceId> spaces() {
        return Nb201Only.SPACES;
    }

    @Override
    public String spacesNote() {
        return "its ops are NAS-Bench-201's, and it restricts NAS-Bench-201's cell space";
    }

    @Override
    public String description() {
        return "searches only the kept ops (default: no none, no avg_pool_3x3); samplers and supernets never"
                + " propose a dropped op";
    }

    @Override
    public TrainingHook hook(Map<String, Object> params) {
        List<String> names = resolve(params).choices("ops");
        if (names.size() < 2) {
            throw new UserInputException(id() + ": ops=" + names + " leaves nothing to search; allowed: at least two of "
                    + String.join(", ", Nb201Op.ids()));
        }
        List<Nb201Op> kept = new ArrayList<>();
        names.forEach(name -> kept.add(Nb201Op.fromId(name)));
        Nb201Space prior = Nb201Space.of(kept);
        return new Nb201Hook() {
            @Override
            public Nb201Space configureSpace(Nb201Space space) {
                List<Nb201Op> both = new ArrayList<>(space.ops());
                both.retainAll(prior.ops());
                if (both.isEmpty()) {
                    throw new UserInputException("prior-space keeps " + prior + ", none of which the search space ("
                            + space + ") has");
                }
                return Nb201Space.of(both);
            }
        };
    }
}
