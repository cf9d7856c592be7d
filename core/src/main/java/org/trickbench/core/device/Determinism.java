package org.trickbench.core.device;

import com.sun.jna.NativeLibrary;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.trickbench.core.UserInputException;

/**
 * libtorch's process-wide determinism switches. DJL 0.36 sets none of them (it only reads
 * {@code -Dai.djl.pytorch.cudnn_benchmark}), so they are reached through JNA: {@code at::globalContext()}
 * returns the {@code at::Context}, and its setters and getters are ordinary exported member functions
 * that take the context as their first argument (Itanium C++ ABI). Deterministic mode turns on
 * deterministic cuDNN, turns off cuDNN's benchmark (autotuning picks algorithms by timing, so two runs
 * may pick differently) and turns on deterministic algorithms in warn-only mode, as
 * {@code torch.use_deterministic_algorithms(True, warn_only=True)} does: an operation without a
 * deterministic implementation warns instead of failing the run. On a CPU the switches change little:
 * seeded CPU training was already bit-reproducible.
 *
 * <p>A libtorch without these symbols (another version, another build) is not an error: the outcome
 * carries a warning, which is recorded with every run, and training goes on with libtorch's defaults.
 */
public final class Determinism {
    // Mangled names, as `nm -D --defined-only libtorch_cpu.so | c++filt` lists them for libtorch 2.7.1.
    static final String GLOBAL_CONTEXT = LibtorchContext.GLOBAL_CONTEXT;
    static final String SET_DETERMINISTIC_CUDNN = "_ZN2at7Context21setDeterministicCuDNNEb";
    static final String SET_BENCHMARK_CUDNN = "_ZN2at7Context17setBenchmarkCuDNNEb";
    static final String SET_DETERMINISTIC_ALGORITHMS = "_ZN2at7Context26setDeterministicAlgorithmsEbb";
    static final String DETERMINISTIC_CUDNN = "_ZNK2at7Context18deterministicCuDNNEv";
    static final String BENCHMARK_CUDNN = "_ZNK2at7Context14benchmarkCuDNNEv";
    static final String DETERMINISTIC_ALGORITHMS = "_ZNK2at7Context23deterministicAlgorithmsEv";
    static final String DETERMINISTIC_ALGORITHMS_WARN_ONLY = "_ZNK2at7Context31deterministicAlgorithmsWarnOnlyEv";
    /** cuBLAS needs a fixed workspace for reproducible results; the launcher sets it before the JVM starts. */
    public static final String CUBLAS_WORKSPACE_CONFIG = "CUBLAS_WORKSPACE_CONFIG";
    /** {@code strict}: deterministic algorithms fail instead of warning (see {@link #strict}). */
    public static final String STRICT_ENV = "TRICKBENCH_DETERMINISM";
    static final String STRICT_PROPERTY = "trickbench.determinism";

    private Determinism() {}

    /** The switches as libtorch reports them after setting. */
    public record Flags(boolean deterministicCudnn, boolean cudnnBenchmark, boolean deterministicAlgorithms,
            boolean warnOnly) {}

    /**
     * What was asked, what libtorch reports (empty when its switches could not be reached) and why not.
     */
    public record Outcome(boolean requested, Optional<Flags> flags, String warning) {
        /** The environment rows recorded with every run. */
        public Map<String, String> asMap() {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("deterministic_requested", requested ? "on" : "off");
            flags.ifPresent(f -> {
                m.put("cudnn_deterministic", Boolean.toString(f.deterministicCudnn()));
                m.put("cudnn_benchmark", Boolean.toString(f.cudnnBenchmark()));
                m.put("deterministic_algorithms", f.deterministicAlgorithms()
                        ? (f.warnOnly() ? "true (warn only)" : "true") : "false");
            });
            if (warning != null) {
                m.put("determinism_warning", warning);
            }
            String cublas = System.getenv(CUBLAS_WORKSPACE_CONFIG);
            m.put("cublas_workspace_config", cublas == null ? "unset" : cublas);
            return m;
        }
    }

    /**
     * Turns deterministic mode on (deterministic cuDNN, no cuDNN benchmark, deterministic algorithms
     * warning only) or off (libtorch's defaults: neither deterministic switch, benchmark left as DJL set
     * it), then reads the switches back. Process-wide: call it once, before training starts.
     */
    public static Outcome apply(boolean deterministic) {
        return apply(deterministic, strict(System.getenv(STRICT_ENV), System.getProperty(STRICT_PROPERTY)),
                LibtorchContext::libtorch);
    }

    /**
     * Whether deterministic mode is asked to be strict: {@value #STRICT_ENV}{@code =strict} (or the system
     * property {@value #STRICT_PROPERTY}). The determinism audit (scripts/gpu/device-check.sh) runs so, to
     * find every kernel that would otherwise only warn. Any other value is an error, so a typo cannot
     * silently fall back to warn-only.
     */
    static boolean strict(String env, String property) {
        String value = property != null ? property : env;
        if (value == null || value.isBlank() || value.equalsIgnoreCase("warn")) {
            return false;
        }
        if (value.equalsIgnoreCase("strict")) {
            return true;
        }
        throw new UserInputException(STRICT_ENV + "='" + value
                + "' is not allowed; allowed: warn (default), strict");
    }

    static synchronized Outcome apply(boolean deterministic, Supplier<NativeLibrary> library) {
        return apply(deterministic, false, library);
    }

    static synchronized Outcome apply(boolean deterministic, boolean strict, Supplier<NativeLibrary> library) {
        try {
            LibtorchContext context = new LibtorchContext(library.get());
            context.set(SET_DETERMINISTIC_CUDNN, deterministic);
            if (deterministic) {
                context.set(SET_BENCHMARK_CUDNN, false);
            }
            context.set(SET_DETERMINISTIC_ALGORITHMS, deterministic, deterministic && !strict);
            return new Outcome(deterministic, Optional.of(context.read()), null);
        } catch (UnsatisfiedLinkError | IllegalStateException e) {
            return new Outcome(deterministic, Optional.empty(), "libtorch's determinism switches not reachable ("
                    + e.getMessage() + "); training goes on with libtorch's defaults");
        }
    }

    /** The switches as they stand, or empty when libtorch's symbols cannot be reached. */
    public static Optional<Flags> read() {
        return current().flags();
    }

    /** The switches as they stand, as an outcome: requested is whether deterministic algorithms are on. */
    public static Outcome current() {
        try {
            Flags flags = new LibtorchContext(LibtorchContext.libtorch()).read();
            return new Outcome(flags.deterministicAlgorithms(), Optional.of(flags), null);
        } catch (UnsatisfiedLinkError | IllegalStateException e) {
            return new Outcome(false, Optional.empty(), "libtorch's determinism switches not reachable ("
                    + e.getMessage() + ")");
        }
    }
}
