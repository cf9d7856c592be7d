package org.trickbench.core.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.NativeLibrary;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.trickbench.core.UserInputException;

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
