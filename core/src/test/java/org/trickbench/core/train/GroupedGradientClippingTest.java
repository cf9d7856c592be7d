package org.trickbench.core.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A protocol's gradient clipping in a grouped training acts on each run by its own norm, as the run alone
 * clips ({@link GroupedAgainstAlone}: three runs of two cells, one mixed network), with a threshold far
 * below the first step's gradient norms so that every run is clipped: each run's first update uses its
 * own gradients scaled by min(1, max / (its norm + 1e-6)), within 1e-5 of each tensor's largest, and its
 * per-epoch training loss is its training's alone within 1e-3 relative.
 */
@Tag("numerics")
class GroupedGradientClippingTest {
    /** Far below the first step's gradient norms (the test checks that it is), so that clipping acts. */
    private static final double CLIP = 0.05;

    @Test
    void eachRunIsClippedByItsOwnNormAsAlone() {
        GroupedAgainstAlone.Outcome outcome = GroupedAgainstAlone.train(
                Protocol.nasBench201().withBatchSize(64).withGradClip(CLIP), List::of);
        List<List<float[]>> clipped = new ArrayList<>();
        try (NDManager manager = NDManager.newBaseManager()) {
            for (int i = 0; i < outcome.aloneGradients().size(); i++) {
                List<NDArray> gradients = outcome.aloneGradients().get(i).stream().map(manager::create).toList();
                double norm = GradientClipping.clip(gradients, CLIP).getFloat();
                assertTrue(norm > 4 * CLIP, "run " + i + "'s first gradients are clipped: norm " + norm);
                clipped.add(gradients.stream().map(NDArray::toFloatArray).toList());
            }
        }
        GroupedAgainstAlone.assertAgree(clipped, outcome, "clipped");
    }
}
