package org.trickbench.tricks;

import java.util.Map;
import java.util.Set;
import org.trickbench.core.search.Family;
import org.trickbench.core.space.SpaceId;
import org.trickbench.core.space.nb201.Genotype;
import org.trickbench.core.space.nb201.Nb201Supernet;
import org.trickbench.core.train.EpochContext;
import org.trickbench.core.train.SupernetSearchHook;
import org.trickbench.core.train.SupernetSession;
import org.trickbench.core.train.TrainingHook;
import org.trickbench.core.trick.Phase;
import org.trickbench.core.trick.Trick;

/**
 * Greedy staged decisions instead of one joint argmax at the end (SGAS; Li, Qian, Delgadillo, Müller,
 * Thabet &amp; Ghanem, CVPR 2020, arXiv 1912.00195): the search runs in three stages, one per
 * intermediate node of the cell; at the end of stage k the edges into node k are fixed to their
 * current argmax op. A fixed edge runs that op alone (one-hot), and its α row is held, so later
 * stages search the remaining edges given the decided ones. SGAS ranks edges by a criterion of
 * importance, certainty and stability; we decide node by node, the order the NAS-Bench-201 cell's
 * topology suggests.
 */
public final class Sequential implements Trick {
    static final int STAGES = Genotype.NODES - 1;

    @Override
    public String id() {
        return "sequential";
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
    public String reference() {
        return "Li, Qian, Delgadillo, Müller, Thabet & Ghanem, SGAS: Sequential Greedy Architecture Search,"
                + " CVPR 2020 (arXiv 1912.00195)";
    }

    @Override
    public Set<SpaceId> spaces() {
        return Nb201Only.SPACES;
    }

    @Override
    public String spacesNote() {
        return Nb201Only.onSupernetEdges("fixes edges");
    }

    @Override
    public String description() {
        return "after each third of the search, fixes the argmax op of the edges into the next node";
    }

    @Override
    public TrainingHook hook(Map<String, Object> params) {
        resolve(params);
        return new SupernetSearchHook() {
            @Override
            public void afterSearchEpoch(EpochContext epoch, SupernetSession session) {
                decide(session.supernet(Nb201Supernet.class), stagesDone(epoch.epoch() + 1, epoch.totalEpochs()));
            }
        };
    }

    /** Stages complete after {@code epochs} of {@code total} epochs: k once k/3 of the epochs have run. */
    static int stagesDone(int epochs, int total) {
        return Math.min(STAGES, epochs * STAGES / total);
    }

    /** Fixes, node by node up to {@code stages}, each still-mixed edge into the node to its argmax. */
    static void decide(Nb201Supernet supernet, int stages) {
        for (int node = 1; node <= stages; node++) {
            Genotype argmax = supernet.genotype();
            for (int e = 0; e < Genotype.EDGES; e++) {
                if (Genotype.edgeTarget(e) == node && supernet.fixedOp(e) == null) {
                    supernet.allow(e, Set.of(argmax.op(e)));
                }
            }
        }
    }
}
