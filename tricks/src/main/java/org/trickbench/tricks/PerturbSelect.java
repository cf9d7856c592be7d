package org.trickbench.tricks;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.trickbench.core.param.ParameterSpec;
import org.trickbench.core.search.Family;
import org.trickbench.core.space.SpaceId;
import org.trickbench.core.space.Architecture;
import org.trickbench.core.space.nb201.Genotype;
import org.trickbench.core.space.nb201.Nb201Op;
import org.trickbench.core.space.nb201.Nb201Supernet;
import org.trickbench.core.train.SupernetSearchHook;
import org.trickbench.core.train.SupernetSession;
import org.trickbench.core.train.TrainingHook;
import org.trickbench.core.trick.Phase;
import org.trickbench.core.trick.Trick;

/**
 * Perturbation-based architecture selection (Wang, Cheng, Chen, Tang &amp; Hsieh, Rethinking
 * Architecture Selection in Differentiable NAS, ICLR 2021, arXiv 2108.04392): the magnitude of α
 * does not say how much an op matters to the supernet. So, edge by edge in a random order, remove
 * each op in turn from the mixed edge and measure the supernet's validation accuracy; keep the op
 * whose removal hurts most, fix the edge to it, and fine-tune the supernet's weights for
 * {@code finetune-epochs} before the next edge.
 */
public final class PerturbSelect implements Trick {
    @Override
    public String id() {
        return "perturb-select";
    }

    @Override
    public Set<Phase> phases() {
        return Set.of(Phase.SEARCH);
    }

    @Override
    public Set<Family> families() {
        return Set.of(Family.GRADIENT);
    }

    @Override
    public Set<String> replaces() {
        return Set.of("architecture selection");
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(ParameterSpec.integer("finetune-epochs", 1, 0, Integer.MAX_VALUE,
                "epochs the supernet's weights train after each edge is decided").withUnit("epochs"));
    }

    @Override
    public String reference() {
        return "Wang, Cheng, Chen, Tang & Hsieh, Rethinking Architecture Selection in Differentiable NAS,"
                + " ICLR 2021 (arXiv 2108.04392)";
    }

    @Override
    public Set<SpaceId> spaces() {
        return Nb201Only.SPACES;
    }

    @Override
    public String spacesNote() {
        return Nb201Only.onSupernetEdges("removes ops from edges");
    }

    @Override
    public String description() {
        return "per edge, keeps the op whose removal hurts supernet validation accuracy most, not argmax α";
    }

    @Override
    public TrainingHook hook(Map<String, Object> params) {
        int finetune = resolve(params).integer("finetune-epochs");
        return new SupernetSearchHook() {
            @Override
            public Architecture selectArchitecture(Architecture proposed, SupernetSession session) {
                return select(session, finetune);
            }
        };
    }

    /** Decides every mixed edge of the session's supernet by perturbation; returns the resulting cell. */
    static Genotype select(SupernetSession session, int finetuneEpochs) {
        Nb201Supernet net = session.supernet(Nb201Supernet.class);
        for (int edge : edgeOrder(session.seeds().forPurpose("perturb-select:edges"))) {
            Set<Nb201Op> ops = net.allowed(edge);
            if (ops.size() < 2) {
                continue;
            }
            Nb201Op keep = null;
            double worst = Double.POSITIVE_INFINITY;
            for (Nb201Op op : ops) {
                EnumSet<Nb201Op> without = EnumSet.copyOf(ops);
                without.remove(op);
                net.allow(edge, without);
                double accuracy = session.mixedAccuracy();
                // Ties keep the earlier op, so the choice does not depend on floating-point noise order.
                if (accuracy < worst) {
                    worst = accuracy;
                    keep = op;
                }
            }
            net.allow(edge, Set.of(keep));
            session.train(finetuneEpochs, false);
        }
        return net.genotype();
    }

    /** The six edges in a random order, as the paper picks the next edge at random. */
    static List<Integer> edgeOrder(SplittableRandom random) {
        List<Integer> order = new ArrayList<>();
        for (int e = 0; e < Genotype.EDGES; e++) {
            order.add(e);
        }
        for (int i = order.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            order.set(j, order.set(i, order.get(j)));
        }
        return order;
    }
}
