package org.trickbench.harness.cli;

import picocli.CommandLine.Option;

/** {@code --[no-]deterministic}: shared by every command that trains. */
public final class DeterminismOption {
    @Option(names = "--deterministic", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "libtorch's deterministic mode (default: on): deterministic cuDNN, cuDNN benchmark off,"
                    + " deterministic algorithms in warn-only mode (an operation without a deterministic version"
                    + " warns instead of failing). The switches read back are recorded with every run. Costs nothing"
                    + " measurable on a CPU, where seeded training is reproducible anyway; on a GPU it may slow some"
                    + " operations. The bench launcher also sets CUBLAS_WORKSPACE_CONFIG=:4096:8 for cuBLAS.")
    boolean deterministic;
}
