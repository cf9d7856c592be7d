package org.trickbench.harness.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.trickbench.core.data.DataSets;
import org.trickbench.core.data.RawDataset;
import org.trickbench.core.space.nb201.Genotype;

/** The timed loops hold no array past its step, so a long measurement does not slow down as it goes. */
class PerfProbeTest {
    @Test
    void harnessAndBareLoopsFreeEveryStepsArrays() {
        RawDataset raw = DataSets.load("fashion-mnist", null, System.getenv());
        PerfSetup setup = new PerfSetup(Genotype.parse(
                "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_3x3~2|"),
                4, 1, 8, 8, 1, 6, 1, 0, List.of());
        Map<String, List<Integer>> live = new LinkedHashMap<>();
        try (NDManager probe = NDManager.newBaseManager(Device.cpu())) {
            NDManager system = probe.getParentManager();
            PerfProbe.measure(setup, raw, Device.cpu(), null, (loop, step) ->
                    live.computeIfAbsent(loop, k -> new ArrayList<>()).add(system.getManagedArrays().size()));
        }
        assertEquals(List.of("bare", "harness"), List.copyOf(live.keySet()));
        for (Map.Entry<String, List<Integer>> e : live.entrySet()) {
            List<Integer> counts = e.getValue();
            assertEquals(setup.totalSteps(), counts.size(), e.getKey());
            for (int count : counts) {
                assertEquals(counts.get(0), count, e.getKey() + " loop's live arrays changed from step to step: " + counts);
            }
        }
    }
}
