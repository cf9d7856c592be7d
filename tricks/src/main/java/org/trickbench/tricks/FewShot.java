package org.trickbench.tricks;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.trickbench.core.param.ParameterSpec;
import org.trickbench.core.param.Parameters;
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
 * Few-shot NAS (Zhao, Wang, Tian, Sun &amp; Jin, Few-shot Neural Architecture Search, ICML 2021, arXiv
 * 2006.06863): after the supernet's training, split it on one edge into one sub-supernet per op of
 * that edge, each warm-started from the trained supernet with the edge fixed to its op, and train
 * each for {@code epochs} more epochs with the search's own steps. A candidate is then scored with the
 * sub-supernet that holds its op on the split edge (one-shot); a gradient search returns the best of
 * the sub-supernets' argmax cells by shared-weight validation accuracy. The paper's NAS-Bench-201
 * experiments split one edge; this is the edge of {@code split-edge}.
 *
 * <p>One hook serves one search: it keeps the sub-supernets' snapshots, which die with the supernet.
 */
public final class FewShot implements Trick {
    @Override
    public String id() {
        return "few-shot";
    }

    @Override
    public Set<Phase> phases() {
        return Set.of(Phase.SEARCH);
    }

    @Override
    public Set<Family> families() {
        return Set.of(Family.ONE_SHOT, Family.GRADIENT);
    }

    @Override
    public Set<String> replaces() {
        return Set.of("architecture selection");
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(
                ParameterSpec.integer("split-edge", 0, 0, Genotype.EDGES - 1,
                        "the edge split into one sub-supernet per op, in genotype-string order"),
                ParameterSpec.integer("epochs", 1, 0, Integer.MAX_VALUE,
                        "epochs each sub-supernet trains after the split, warm-started").withUnit("epochs"));
    }

    @Override
    public String reference() {
        return "Zhao, Wang, Tian, Sun & Jin, Few-shot Neural Architecture Search, ICML 2021 (arXiv 2006.06863)";
    }

    @Override
    public Set<SpaceId> spaces() {
        return Nb201Only.SPACES;
    }

    @Override
    public String spacesNote() {
        return Nb201Only.onSupernetEdges("splits an edge");
    }

    @Override
    public String description() {
        return "splits the trained supernet on one edge into one warm-started sub-supernet per op";
    }

    @Override
    public TrainingHook hook(Map<String, Object> params) {
        Parameters p = resolve(params);
        return new Split(p.integer("split-edge"), p.integer("epochs"));
    }

    /** The split of one search. */
    static final class Split implements SupernetSearchHook {
        private final int edge;
        private final int epochs;
        private final Map<Nb201Op, SupernetSession.Snapshot> subs = new EnumMap<>(Nb201Op.class);
        /** The sub-supernet whose weights the supernet holds now; null when unknown. */
        private Nb201Op loaded;

        Split(int edge, int epochs) {
            this.edge = edge;
            this.epochs = epochs;
        }

        /** The sub-supernets' ops, in op order; empty before the split or when the edge had one op. */
        Set<Nb201Op> ops() {
            return subs.keySet();
        }

        @Override
        public void afterSupernetTraining(SupernetSession session) {
            Nb201Supernet net = session.supernet(Nb201Supernet.class);
            Set<Nb201Op> ops = net.allowed(edge);
            if (ops.size() < 2) {
                return;
            }
            try (SupernetSession.Snapshot trained = session.snapshot()) {
                for (Nb201Op op : ops) {
                    trained.restore();
                    net.allow(edge, Set.of(op));
                    session.train(epochs, true);
                    subs.put(op, session.snapshot());
                    loaded = op;
                }
            }
        }

        /** Loads the sub-supernet that holds the candidate's op on the split edge. */
        @Override
        public void selectWeights(Architecture candidate, SupernetSession session) {
            use(Genotype.from(candidate).op(edge), session);
        }

        @Override
        public Architecture selectArchitecture(Architecture proposed, SupernetSession session) {
            Genotype best = Genotype.from(proposed);
            double bestScore = Double.NEGATIVE_INFINITY;
            for (Nb201Op op : subs.keySet()) {
                use(op, session);
                Genotype candidate = session.supernet(Nb201Supernet.class).genotype();
                double score = session.score(candidate);
                if (score > bestScore) {
                    best = candidate;
                    bestScore = score;
                }
            }
            if (!subs.isEmpty()) {
                use(best.op(edge), session);
            }
            return best;
        }

        private void use(Nb201Op op, SupernetSession session) {
            SupernetSession.Snapshot sub = subs.get(op);
            // Scoring changes no weight, so consecutive candidates of one sub-supernet share one restore.
            if (sub != null && op != loaded) {
                sub.restore();
                session.supernet(Nb201Supernet.class).allow(edge, Set.of(op));
                loaded = op;
            }
        }
    }
}
