package org.trickbench.core.device;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.GradientCollector;
import com.sun.jna.NativeLibrary;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.trickbench.core.UserInputException;
import org.trickbench.core.train.ThreadGradientCollector;

class DeterminismTest {
    @Test
    void switchesReadBackAsSetAndAsUnsetAfterTurningOff() {
        try {
            Determinism.Outcome on = Determinism.apply(true);
            assertEquals(new Determinism.Flags(true, false, true, true), on.flags().orElseThrow(), on.warning());
            assertEquals(on.flags(), Determinism.read());
            Map<String, String> env = on.asMap();
            assertEquals("on", env.get("deterministic_requested"));
            assertEquals("true (warn only)", env.get("deterministic_algorithms"));
            assertFalse(env.containsKey("determinism_warning"));

            Determinism.Flags off = Determinism.apply(false).flags().orElseThrow();
            assertFalse(off.deterministicCudnn());
            assertFalse(off.deterministicAlgorithms());
            assertFalse(off.warnOnly());
            assertEquals(off, Determinism.read().orElseThrow());
        } finally {
            Determinism.apply(false);
        }
    }

    @Test
    void strictModeTurnsWarnOnlyOffSoNonDeterministicKernelsFail() {
        try {
            Determinism.Outcome strict = Determinism.apply(true, true, LibtorchContext::libtorch);
            assertEquals(new Determinism.Flags(true, false, true, false), strict.flags().orElseThrow(),
                    strict.warning());
            assertEquals("true", strict.asMap().get("deterministic_algorithms"));
            // Strict only sharpens deterministic mode; it cannot turn deterministic algorithms on by itself.
            assertFalse(Determinism.apply(false, true, LibtorchContext::libtorch).flags().orElseThrow()
                    .deterministicAlgorithms());
        } finally {
            Determinism.apply(false);
        }
    }

    /**
     * DARTS's {@code max_pool_3x3} (3×3, padding 1) under strict deterministic mode: libtorch's 2-D max
     * pooling has a deterministic backward (on CUDA a gather per input element; only the 3-D one alerts,
     * see docs/gpu.md), so strict mode lets it run, and on a tie the forward pass picks the first maximum
     * in scan order, so the same input element receives the gradient on every run. On all-ones input the
     * window of output (i, j) starts at (max(i − 1, 0), max(j − 1, 0)), which receives its gradient.
     * This runs the CPU kernel; the CUDA one is checked by the GPU check's strict audit.
     */
    @Test
    void maxPoolBackwardRunsUnderStrictDeterminismAndRoutesTiesToTheFirstMaximum() {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            Determinism.apply(true, true, LibtorchContext::libtorch);
            NDArray x = manager.ones(new Shape(1, 1, 3, 3));
            x.setRequiresGradient(true);
            try (GradientCollector collector = new ThreadGradientCollector()) {
                collector.backward(Pool.maxPool2d(x, new Shape(3, 3), new Shape(1, 1), new Shape(1, 1), false).sum());
            }
            assertArrayEquals(new float[] {4, 2, 0, 2, 1, 0, 0, 0, 0}, x.getGradient().toFloatArray());
        } finally {
            Determinism.apply(false);
        }
    }

    @Test
    void strictIsReadFromTheEnvironmentOrPropertyAndTyposAreRejected() {
        assertFalse(Determinism.strict(null, null));
        assertFalse(Determinism.strict("warn", null));
        assertTrue(Determinism.strict("strict", null));
        assertTrue(Determinism.strict("warn", "STRICT"), "the system property wins over the environment");
        assertFalse(Determinism.strict("strict", "warn"));
        UserInputException e = assertThrows(UserInputException.class, () -> Determinism.strict("strcit", null));
        assertTrue(e.getMessage().contains("TRICKBENCH_DETERMINISM") && e.getMessage().contains("strict"),
                e.getMessage());
    }

    @Test
    void aLibraryWithoutTheSymbolsGivesAWarningNotACrash() {
        // A library opened by file, so that its lookups cannot fall through to a libtorch already loaded
        // into the process (JNA's "c" is the process-wide handle, which finds libtorch once DJL loaded it).
        Determinism.Outcome outcome = Determinism.apply(true, () -> NativeLibrary.getInstance("libm.so.6"));
        assertTrue(outcome.flags().isEmpty());
        assertTrue(outcome.warning().contains(Determinism.GLOBAL_CONTEXT), outcome.warning());
        Map<String, String> env = outcome.asMap();
        assertEquals("on", env.get("deterministic_requested"));
        assertTrue(env.get("determinism_warning").contains("not reachable"), env.toString());
        assertFalse(env.containsKey("cudnn_deterministic"));
    }
}
