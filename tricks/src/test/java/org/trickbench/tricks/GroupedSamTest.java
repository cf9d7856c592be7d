package org.trickbench.tricks;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.trickbench.core.train.GroupedAgainstAlone;
import org.trickbench.core.train.Protocol;

/**
 * SAM in a grouped training takes each run's step as the run alone takes it, its ascent scaled by the
 * run's own gradient norm ({@link GroupedAgainstAlone}: three runs of two cells, one mixed network), with
 * {@code sam}'s default ρ and label smoothing: the gradients each run's first update uses (SAM's second
 * pass; alone, a hook after sam's sees them) match its training alone within 1e-5 of each tensor's
 * largest, and its per-epoch training loss within 1e-3 relative.
 */
@Tag("numerics")
class GroupedSamTest {
    @Test
    void eachRunTakesItsOwnSharpnessAwareStepAsAlone() {
        GroupedAgainstAlone.Outcome outcome = GroupedAgainstAlone.train(Protocol.nasBench201().withBatchSize(64),
                () -> List.of(new Sam().hook(Map.of()), new LabelSmoothing().hook(Map.of())));
        GroupedAgainstAlone.assertAgree(outcome.aloneGradients(), outcome, "after sam");
    }
}
