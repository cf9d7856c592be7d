package org.trickbench.harness.perf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.trickbench.core.UserInputException;

/**
 * The PyTorch peer of {@code bench perf --peer pytorch}: {@code benchmarks/peer/pytorch_peer.py}, a plain
 * PyTorch eager training loop of the same NAS-Bench-201 network, run by a Python 3 with PyTorch (Debian's
 * {@code python3-torch} by default). The script and its network module travel in the jar as resources and
 * are written to a temporary folder, so the jar works from any directory; {@link #close} removes it.
 */
public final class PytorchPeer implements AutoCloseable {
    /** The Python that Debian's python3-torch installs into. */
    public static final Path DEFAULT_PYTHON = Path.of("/usr/bin/python3");
    /** What installs that Python's PyTorch. */
    public static final String INSTALL = "apt-get install -y python3-torch";
    static final String SCRIPT = "pytorch_peer.py";
    static final List<String> FILES = List.of(SCRIPT, "nb201_torch.py");
    private static final String RESOURCES = "/org/trickbench/harness/perf/peer/";
    /** The script's exit status when {@code import torch} fails. */
    private static final int MISSING_TORCH = 3;
    private static final int USAGE = 2;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path python;
    private final Path folder;
    private final JsonNode build;

    private PytorchPeer(Path python, Path folder, JsonNode build) {
        this.python = python;
        this.folder = folder;
        this.build = build;
    }

    /**
     * Finds the peer's Python and checks that it imports torch. A Python that is missing or lacks torch
     * is an input error that names the install command.
     */
    public static PytorchPeer open(Path python) {
        if (!Files.isRegularFile(python) || !Files.isExecutable(python)) {
            throw missing(python, "not found");
        }
        Path folder = extract();
        boolean opened = false;
        try {
            Output probe = execute(python, folder, List.of("--probe"), Map.of());
            if (probe.exit() == MISSING_TORCH) {
                throw missing(python, "it has no torch");
            }
            if (probe.exit() != 0) {
                throw missing(python, "it could not run the peer (exit " + probe.exit() + ": " + lastLine(probe.err())
                        + ")");
            }
            PytorchPeer peer = new PytorchPeer(python, folder, JSON.readTree(probe.out()));
            opened = true;
            return peer;
        } catch (IOException e) {
            throw missing(python, e.getMessage());
        } finally {
            if (!opened) {
                delete(folder);
            }
        }
    }

    private static UserInputException missing(Path python, String why) {
        return new UserInputException("the PyTorch peer needs Python 3 with PyTorch; " + python + ": " + why
                + ". Install Debian's: " + INSTALL + " (or give --python PATH)");
    }

    /** The Python that runs the peer. */
    public Path python() {
        return python;
    }

    /** The peer's torch build: torch_version, onednn_available, cpu_capability, default_threads. */
    public JsonNode build() {
        return build;
    }

    /** What one peer run trains: the harness's configuration, in the script's terms. */
    public record Request(String genotype, int channels, int cells, int side, int inChannels, int classes, int batchSize,
            int threads, int warmup, int steps, int padding, boolean flip, long seed, boolean gpu) {
        List<String> arguments(boolean oneDnn) {
            List<String> a = new ArrayList<>(List.of("--genotype", genotype, "--channels", Integer.toString(channels),
                    "--cells", Integer.toString(cells), "--resolution", Integer.toString(side), "--in-channels",
                    Integer.toString(inChannels), "--classes", Integer.toString(classes), "--batch-size",
                    Integer.toString(batchSize), "--threads", Integer.toString(threads), "--warmup",
                    Integer.toString(warmup), "--steps", Integer.toString(steps), "--padding",
                    Integer.toString(padding), "--seed", Long.toString(seed), "--device", gpu ? "cuda" : "cpu"));
            if (!flip) {
                a.add("--no-flip");
            }
            if (!oneDnn) {
                a.add("--no-onednn");
            }
            return a;
        }
    }

    /** One run of the peer: its timed steps in nanoseconds, and everything it printed. */
    public record Run(long[] stepNanos, JsonNode report) {}

    /** Trains once with oneDNN on (PyTorch's default) or off (PyTorch's native convolution kernels). */
    public Run run(Request request, boolean oneDnn) {
        // The intra-op thread count is also the OpenMP pool's size, read when the pool starts.
        Map<String, String> env = Map.of("OMP_NUM_THREADS", Integer.toString(request.threads()));
        Output output;
        try {
            output = execute(python, folder, request.arguments(oneDnn), env);
        } catch (IOException e) {
            throw new UncheckedIOException("the PyTorch peer could not run: " + e.getMessage(), e);
        }
        if (output.exit() == USAGE) {
            throw new UserInputException("the PyTorch peer refused the configuration: " + lastLine(output.err()));
        }
        if (output.exit() != 0) {
            throw new IllegalStateException("the PyTorch peer failed (exit " + output.exit() + "): "
                    + lastLine(output.err()));
        }
        try {
            JsonNode report = JSON.readTree(output.out());
            JsonNode steps = report.path("step_ms");
            long[] nanos = new long[steps.size()];
            for (int i = 0; i < nanos.length; i++) {
                nanos[i] = Math.round(steps.get(i).asDouble() * 1e6);
            }
            if (nanos.length != request.steps()) {
                throw new IllegalStateException("the PyTorch peer timed " + nanos.length + " steps, not "
                        + request.steps());
            }
            return new Run(nanos, report);
        } catch (IOException e) {
            throw new IllegalStateException("the PyTorch peer printed no JSON: " + output.out(), e);
        }
    }

    /** The command that runs the peer's script with these arguments (for tests and docs). */
    public List<String> command(List<String> arguments) {
        return command(python, folder, arguments);
    }

    @Override
    public void close() {
        delete(folder);
    }

    private record Output(int exit, String out, String err) {}

    private static List<String> command(Path python, Path folder, List<String> arguments) {
        List<String> command = new ArrayList<>(List.of(python.toString(), "-B", folder.resolve(SCRIPT).toString()));
        command.addAll(arguments);
        return command;
    }

    private static Output execute(Path python, Path folder, List<String> arguments, Map<String, String> env)
            throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command(python, folder, arguments));
        builder.environment().putAll(env);
        // No bytecode cache next to the scripts.
        builder.environment().put("PYTHONDONTWRITEBYTECODE", "1");
        Path err = Files.createTempFile(folder, "stderr", ".txt");
        builder.redirectError(err.toFile());
        Process process = builder.start();
        try {
            process.getOutputStream().close();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int exit = process.waitFor();
            return new Output(exit, out, Files.readString(err, StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while the PyTorch peer ran", e);
        } finally {
            Files.deleteIfExists(err);
        }
    }

    private static Path extract() {
        try {
            Path folder = Files.createTempDirectory("trickbench-peer");
            for (String name : FILES) {
                try (InputStream in = PytorchPeer.class.getResourceAsStream(RESOURCES + name)) {
                    if (in == null) {
                        delete(folder);
                        throw new IllegalStateException("the jar lacks the PyTorch peer's " + name);
                    }
                    Files.copy(in, folder.resolve(name));
                }
            }
            return folder;
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the PyTorch peer's script: " + e.getMessage(), e);
        }
    }

    private static void delete(Path folder) {
        try (var files = Files.list(folder)) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(folder);
        } catch (IOException e) {
            // A temporary folder left behind is harmless.
        }
    }

    private static String lastLine(String text) {
        List<String> lines = text.strip().lines().toList();
        return lines.isEmpty() ? "(nothing on stderr)" : lines.get(lines.size() - 1);
    }
}
