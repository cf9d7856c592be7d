package org.trickbench.harness.cli;

import ai.djl.Device;
import ai.djl.pytorch.jni.JniUtils;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.trickbench.core.UserInputException;
import org.trickbench.core.data.DataSets;
import org.trickbench.core.data.RawDataset;
import org.trickbench.core.device.ConvBackend;
import org.trickbench.core.device.Determinism;
import org.trickbench.core.device.DeviceChoice;
import org.trickbench.core.device.LibtorchInstall;
import org.trickbench.core.device.Runtime;
import org.trickbench.core.run.TrickSetting;
import org.trickbench.core.train.Fidelity;
import org.trickbench.harness.matrix.MatrixDefinition;
import org.trickbench.harness.matrix.Matrices;
import org.trickbench.harness.perf.OpTrace;
import org.trickbench.harness.perf.PerfProbe;
import org.trickbench.harness.perf.PerfSetup;
import org.trickbench.harness.perf.PytorchPeer;
import org.trickbench.harness.perf.StepStats;
import org.trickbench.harness.runner.Environment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "perf", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Measures how fast one configuration trains. The same network, data and",
            "optimiser run --warmup untimed steps, then --steps timed steps, in two loops:",
            "  harness  the loop every run trains with: hooks (--trick), loss and",
            "           accuracy accumulated on the device, per-step memory scopes",
            "  bare     plain DJL: batch gather, crop/flip/normalise, forward, softmax",
            "           cross-entropy, backward, optimiser step; no hooks, no metrics",
            "Each loop's median and 90th-percentile step time and images per second are",
            "printed, and the throughput ratio harness : bare, the bare loop's median",
            "step time divided by the harness's: above 1 the harness is faster. With no",
            "tricks it shows the harness's own overhead (the goal, harness within 5%% of",
            "bare, is a ratio of at least 0.95).",
            "",
            "--peer pytorch adds a plain PyTorch eager loop of the same network (genotype,",
            "C, N, resolution, batch, threads, steps), benchmarks/peer/pytorch_peer.py run",
            "by Debian's python3-torch (or --python PATH). It takes its turn in every",
            "round twice: with oneDNN matched to the harness's convolution backend (off",
            "where the harness runs libtorch's native kernels) and with PyTorch's default.",
            "harness : PyTorch is PyTorch's median step time divided by the harness's.",
            "",
            "--supernet weighted|one-hot|single-path times a supernet search's weight step",
            "instead, on the NAS-Bench-201 supernet at the same sizes in that mode (DARTS,",
            "GDAS, SPOS): harness is the search's own step (the mode's draw, metrics,",
            "gradient clipping, SGD on the weights the pass used), bare the same supernet,",
            "mode and draws with forward, loss, backward and SGD only.",
            "",
            "Sizes come from --matrix (its final fidelity and batch size), then from the",
            "options given, which win. Examples:",
            "  bench perf                      best NAS-Bench-201 cell, C=16, N=5, batch 256",
            "  bench perf --matrix smoke       the smoke preset: C=8, N=1, 16 px, batch 128",
            "  bench perf --matrix smoke --peer pytorch --rounds 3",
            "  bench perf --channels 8 --cells 1 --trick cutout --trick mixup --json",
            "  bench perf --matrix smoke --supernet one-hot",
            "",
            "--batch-runs K times K runs of the configuration (seeds --seed to --seed+K-1)",
            "instead: one at a time through the harness loop, then as one grouped network",
            "(bench run --batch-runs K), taking turns; it prints both loops' step times",
            "and the trainings-per-hour ratio, K times a lone step's median divided by a",
            "grouped step's (above 1: grouping is faster). NAS-Bench-201 genotypes, and",
            "tricks that can be grouped.",
            "  bench perf --matrix smoke --batch-runs 8 --rounds 2",
            "",
            "--op-trace FILE then profiles the harness loop with libtorch's own profiler:",
            "operations issued per step (each one JNI crossing), time inside them, and",
            "the heaviest ones; FILE opens in chrome://tracing or Perfetto.",
            "  bench perf --matrix smoke --op-trace smoke-trace.json",
            "",
            "Other processes distort the numbers: measure on an idle machine (`uptime`).",
            ""})
final class PerfCommand implements Callable<Integer> {
    /** The benchmark's best cell (94.37% on CIFAR-10): convolutions on five of its six edges. */
    static final String DEFAULT_GENOTYPE =
            "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_3x3~2|";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** The --peer values. */
    static final List<String> PEERS = List.of("pytorch");
    static final String BATCH_RATIO_DIRECTION = "K x one run's median step time alone / the grouped step's median"
            + " time; above 1 means grouping trains more runs per hour";
    static final String RATIO_DIRECTION = "other loop's median step time / harness median step time;"
            + " above 1 means the harness is faster";

    @Spec
    CommandSpec spec;

    @Option(names = "--genotype", paramLabel = "STRING|INDEX", defaultValue = DEFAULT_GENOTYPE,
            description = "The network: a NAS-Bench-201 genotype string or index, or a DARTS genotype (default: the"
                    + " benchmark's best cell).")
    String genotype;

    @Option(names = "--supernet", paramLabel = "weighted|one-hot|single-path",
            description = "Time a supernet search's weight step in this mode (DARTS, GDAS, SPOS) instead of the"
                    + " genotype; no --trick.")
    String supernet;

    @Option(names = "--matrix", paramLabel = "NAME|FILE",
            description = "Take channels, cells, resolution and batch size from this matrix's final fidelity and"
                    + " protocol (a preset such as smoke or ci, or a YAML file).")
    String matrix;

    @Option(names = "--channels", paramLabel = "C", description = "Initial channels (default: the matrix's, else 16).")
    Integer channels;

    @Option(names = "--cells", paramLabel = "N", description = "Cells per stage (default: the matrix's, else 5).")
    Integer cells;

    @Option(names = "--resolution", paramLabel = "PX",
            description = "Image side, a multiple of 4; 0 = the data set's (default: the matrix's, else 0).")
    Integer resolution;

    @Option(names = "--batch-size", paramLabel = "B", description = "Images per step (default: the matrix's, else 256).")
    Integer batchSize;

    @Option(names = "--steps", paramLabel = "S", defaultValue = "20",
            description = "Timed steps per loop (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--warmup", paramLabel = "W", defaultValue = "3",
            description = "Untimed steps first, at least 1: allocator and first-call costs (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--rounds", paramLabel = "R", defaultValue = "1",
            description = "Times the two loops take turns, each round with fresh networks; the statistics pool"
                    + " every round's steps. More rounds even out a changing machine load (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--trick", paramLabel = "ID",
            description = "A train-phase trick the harness loop applies, with its default parameters; repeatable"
                    + " (bench list tricks). The bare loop never applies tricks.")
    List<String> tricks = new ArrayList<>();

    @Option(names = "--dataset", paramLabel = "fashion-mnist|cifar10|cifar100", defaultValue = "fashion-mnist",
            description = "Data the steps train on (default: ${DEFAULT-VALUE}).")
    String dataset;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Folder holding the data set files (default search: $TRICKBENCH_DATA, then"
                    + " /usr/share/datasets/fashion-mnist).")
    Path dataDir;

    @Option(names = "--device", defaultValue = "auto", paramLabel = "auto|cpu|gpu",
            description = "Where to train (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the weights, batch order and augmentation"
            + " (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--peer", paramLabel = "pytorch",
            description = "Also time a plain PyTorch eager loop of the same network (needs Python 3 with PyTorch:"
                    + " " + PytorchPeer.INSTALL + ").")
    String peer;

    @Option(names = "--python", paramLabel = "PATH",
            description = "The Python that runs --peer pytorch (default: Debian's /usr/bin/python3).")
    Path python;

    @Option(names = "--threads", paramLabel = "T",
            description = "Intra-op threads of every loop (default: libtorch's, which ./bench sets from"
                    + " OMP_NUM_THREADS, else the cores).")
    Integer threads;

    @Mixin
    DeterminismOption determinism;

    @Mixin
    LibtorchOption libtorch;

    @Option(names = "--op-trace", paramLabel = "FILE",
            description = "Then run the harness loop once more under libtorch's own profiler over the timed steps,"
                    + " write its Chrome trace (chrome://tracing, Perfetto) to FILE and print the operations the"
                    + " loop issues per step, the time inside them and the heaviest ones.")
    Path opTrace;

    @Option(names = "--batch-runs", paramLabel = "K",
            description = "Time K runs one at a time and as one grouped network (bench run --batch-runs K) instead"
                    + " of the harness and bare loops, and print the trainings-per-hour ratio.")
    Integer batchRuns;

    @Option(names = "--json", description = "Print the setup and both loops' numbers as JSON instead of a table.")
    boolean json;

    @Override
    public Integer call() throws JsonProcessingException {
        LibtorchInstall install = libtorch.apply();
        PerfSetup setup = setup();
        if (peer != null && !PEERS.contains(peer)) {
            throw new UserInputException("--peer " + peer + " is not a peer; allowed: " + String.join(", ", PEERS));
        }
        if (peer == null && python != null) {
            throw new UserInputException("--python is for --peer pytorch");
        }
        if (threads != null && threads < 1) {
            throw new UserInputException("--threads must be at least 1, got " + threads);
        }
        if (peer != null && setup.supernet() != null) {
            throw new UserInputException("--peer times a standalone network; it does not run with --supernet");
        }
        if (batchRuns != null) {
            if (peer != null || opTrace != null) {
                throw new UserInputException("--batch-runs times the harness loop alone and grouped; leave out "
                        + (peer != null ? "--peer" : "--op-trace"));
            }
            PerfProbe.checkBatchable(setup, batchRuns);
        }
        if (opTrace != null) {
            Path folder = opTrace.toAbsolutePath().getParent();
            if (folder != null && !Files.isDirectory(folder)) {
                throw new UserInputException("--op-trace " + opTrace + ": folder " + folder + " does not exist");
            }
            PerfProbe.checkTraceable(setup);
        }
        Device d = DeviceChoice.parse(device).resolve();
        Determinism.Outcome switches = Determinism.apply(determinism.deterministic);
        if (switches.warning() != null) {
            spec.commandLine().getErr().println("warning: " + switches.warning());
        }
        if (batchRuns != null) {
            return batched(install, setup, d);
        }
        int threadsBefore = JniUtils.getNumThreads();
        PerfProbe.Result result;
        OpTrace trace;
        // The peer first: a missing Python or torch is reported before anything trains.
        try (PytorchPeer pytorch = peer == null ? null
                : PytorchPeer.open(python == null ? PytorchPeer.DEFAULT_PYTHON : python)) {
            RawDataset raw = DataSets.load(dataset, dataDir, System.getenv());
            if (threads != null) {
                JniUtils.setNumThreads(threads);
            }
            result = PerfProbe.measure(setup, raw, d, pytorch);
            trace = opTrace == null ? null : PerfProbe.trace(setup, raw, d, opTrace);
        } finally {
            JniUtils.setNumThreads(threadsBefore);
        }
        int usedThreads = threads == null ? threadsBefore : threads;
        PrintWriter w = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> out = asJson(setup, d, usedThreads, result);
            if (trace != null) {
                out.put("op_trace", traceJson(trace));
            }
            w.println(JSON.writeValueAsString(out));
        } else {
            w.printf("bench perf: %s%n", setup.supernet() == null ? setup.genotype()
                    : "supernet weight step, " + PerfSetup.supernetName(setup.supernet()) + " mode");
            printSetup(w, install, setup, d, usedThreads, result.parameters(), result.convBackend(), false);
            PerfProbe.PeerResult p = result.pytorch();
            if (p != null) {
                w.printf("  PyTorch peer: torch %s (CPU capability %s) from %s, eager; pytorch-matched has oneDNN %s"
                        + " (as the harness's %s convolutions), pytorch-default has PyTorch's default (oneDNN on)%n",
                        p.build().path("torch_version").asText(), p.build().path("cpu_capability").asText(), p.python(),
                        p.matchedOneDnn() ? "on" : "off", result.convBackend().label());
            }
            w.printf("%-16s %12s %12s %12s%n", "loop", "median ms", "p90 ms", "images/s");
            row(w, "harness", result.harness());
            row(w, "bare", result.bare());
            if (p != null) {
                row(w, "pytorch-matched", p.matched());
                row(w, "pytorch-default", p.byDefault());
            }
            Long rss = peakResidentKib();
            if (rss != null || p != null) {
                w.printf("peak resident memory: bench process %s%s%n", rss == null ? "unknown" : mib(rss),
                        p == null ? "" : ", PyTorch peer " + mib(p.maxRssKib()));
            }
            w.println("throughput ratios, the other loop's median ms ÷ the harness's (above 1: the harness is faster):");
            w.printf("  harness : bare             %.3f%n", result.harnessVsBare());
            if (p != null) {
                w.printf("  harness : PyTorch matched  %.3f%n", PerfProbe.throughputRatio(result.harness(), p.matched()));
                w.printf("  harness : PyTorch default  %.3f%n", PerfProbe.throughputRatio(result.harness(),
                        p.byDefault()));
            }
            if (trace != null) {
                printTrace(w, trace);
            }
        }
        w.flush();
        return 0;
    }

    /** {@code --batch-runs K}: K runs one at a time, then grouped, and the trainings-per-hour ratio. */
    private int batched(LibtorchInstall install, PerfSetup setup, Device d) throws JsonProcessingException {
        int threadsBefore = JniUtils.getNumThreads();
        PerfProbe.BatchResult result;
        try {
            RawDataset raw = DataSets.load(dataset, dataDir, System.getenv());
            if (threads != null) {
                JniUtils.setNumThreads(threads);
            }
            result = PerfProbe.measureBatched(setup, raw, d, batchRuns);
        } finally {
            JniUtils.setNumThreads(threadsBefore);
        }
        int usedThreads = threads == null ? threadsBefore : threads;
        PrintWriter w = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("setup", setupJson(setup, d, usedThreads, result.parameters(), result.convBackend()));
            out.put("environment", Runtime.describe().asMap());
            out.put("batch_runs", result.runs());
            out.put("one_at_a_time", result.oneAtATime());
            out.put("grouped", result.grouped());
            out.put("process_max_rss_kib", peakResidentKib());
            Map<String, Object> ratios = new LinkedHashMap<>();
            ratios.put("direction", BATCH_RATIO_DIRECTION);
            ratios.put("grouped_vs_one_at_a_time", result.trainingsPerHourRatio());
            out.put("trainings_per_hour_ratios", ratios);
            w.println(JSON.writeValueAsString(out));
        } else {
            w.printf("bench perf: %s, %d runs one at a time and grouped%n", setup.genotype(), result.runs());
            printSetup(w, install, setup, d, usedThreads, result.parameters(), result.convBackend(), true);
            w.printf("%-16s %12s %12s %12s%n", "loop", "median ms", "p90 ms", "images/s");
            row(w, "one at a time", result.oneAtATime());
            row(w, "grouped", result.grouped());
            w.printf("  (one at a time: a step of one run; grouped: a step of all %d)%n", result.runs());
            Long rss = peakResidentKib();
            if (rss != null) {
                w.printf("peak resident memory: bench process %s%n", mib(rss));
            }
            w.printf("trainings per hour, grouped ÷ one at a time (%d × a lone step's median ms ÷ a grouped step's;"
                    + " above 1: grouping is faster):%n", result.runs());
            w.printf("  grouped : one at a time    %.3f%n", result.trainingsPerHourRatio());
        }
        w.flush();
        return 0;
    }

    /** The table output's setup lines: sizes, device, libtorch, steps, tricks and the convolution backend. */
    private void printSetup(PrintWriter w, LibtorchInstall install, PerfSetup setup, Device d, int usedThreads,
            long parameters, ConvBackend.Backend backend, boolean batched) {
        Runtime runtime = Runtime.describe();
        String perRun = batched ? " per run" : "";
        w.printf("  C=%d, N=%d, %s px, batch %d%s, %s on %s (libtorch %s, %s build, %d intra-op threads of %d"
                + " cores); %,d parameters%s%n",
                setup.channels(), setup.cells(), setup.resolution() == 0 ? "native" : setup.resolution(),
                setup.batchSize(), perRun, dataset, Environment.deviceName(d), runtime.libtorchVersion(),
                runtime.flavor(), usedThreads, java.lang.Runtime.getRuntime().availableProcessors(), parameters, perRun);
        w.printf("  libtorch: %s%n", install.summary());
        w.printf("  %d warm-up + %d timed steps per %s, %d round(s); tricks: %s; deterministic mode %s;"
                + " %s: %s%n",
                setup.warmup(), setup.steps(), batched ? "training" : "loop", setup.rounds(),
                tricks.isEmpty() ? "none" : String.join(", ", tricks), determinism.deterministic ? "on" : "off",
                batched ? "convolutions" : "harness convolutions", backend.label());
    }

    private PerfSetup setup() {
        Fidelity fidelity = null;
        Integer matrixBatch = null;
        if (matrix != null) {
            MatrixDefinition definition = Matrices.load(matrix);
            fidelity = definition.fin();
            matrixBatch = definition.protocol().batchSize();
        }
        List<TrickSetting> settings = tricks.stream().map(t -> new TrickSetting(t, Map.of())).toList();
        return new PerfSetup(GenotypeCommand.architecture(genotype),
                pick(channels, fidelity == null ? null : fidelity.channels(), 16),
                pick(cells, fidelity == null ? null : fidelity.cells(), 5),
                pick(resolution, fidelity == null ? null : fidelity.resolution(), 0),
                pick(batchSize, matrixBatch, 256), warmup, steps, rounds, seed, settings,
                supernet == null ? null : PerfSetup.supernetMode(supernet));
    }

    private static int pick(Integer given, Integer fromMatrix, int fallback) {
        return given != null ? given : fromMatrix != null ? fromMatrix : fallback;
    }

    private static void row(PrintWriter w, String loop, StepStats s) {
        w.printf("%-16s %12.2f %12.2f %12.0f%n", loop, s.medianMillis(), s.p90Millis(), s.imagesPerSecond());
    }

    private Map<String, Object> asJson(PerfSetup setup, Device d, int usedThreads, PerfProbe.Result result) {
        Map<String, Object> setupJson = setupJson(setup, d, usedThreads, result.parameters(), result.convBackend());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("setup", setupJson);
        out.put("environment", Runtime.describe().asMap());
        out.put("harness", result.harness());
        out.put("bare", result.bare());
        out.put("process_max_rss_kib", peakResidentKib());
        PerfProbe.PeerResult p = result.pytorch();
        if (p != null) {
            out.put("pytorch_matched", peerJson(p.matched(), p.matchedOneDnn()));
            out.put("pytorch_default", peerJson(p.byDefault(), true));
            Map<String, Object> peerJson = new LinkedHashMap<>();
            peerJson.put("python", p.python());
            peerJson.put("build", p.build());
            peerJson.put("parameters", p.parameters());
            peerJson.put("max_rss_kib", p.maxRssKib());
            out.put("pytorch", peerJson);
        }
        Map<String, Object> ratios = new LinkedHashMap<>();
        ratios.put("direction", RATIO_DIRECTION);
        ratios.put("harness_vs_bare", result.harnessVsBare());
        if (p != null) {
            ratios.put("harness_vs_pytorch_matched", PerfProbe.throughputRatio(result.harness(), p.matched()));
            ratios.put("harness_vs_pytorch_default", PerfProbe.throughputRatio(result.harness(), p.byDefault()));
        }
        out.put("throughput_ratios", ratios);
        return out;
    }

    private Map<String, Object> setupJson(PerfSetup setup, Device d, int usedThreads, long parameters,
            ConvBackend.Backend convBackend) {
        Map<String, Object> setupJson = new LinkedHashMap<>();
        setupJson.put("supernet", setup.supernet() == null ? null : PerfSetup.supernetName(setup.supernet()));
        setupJson.put("genotype", setup.supernet() == null ? setup.genotype().canonical() : null);
        setupJson.put("channels", setup.channels());
        setupJson.put("cells", setup.cells());
        setupJson.put("resolution", setup.resolution());
        setupJson.put("batch_size", setup.batchSize());
        setupJson.put("deterministic", determinism.deterministic);
        setupJson.put("warmup", setup.warmup());
        setupJson.put("steps", setup.steps());
        setupJson.put("rounds", setup.rounds());
        setupJson.put("seed", setup.seed());
        setupJson.put("tricks", tricks);
        setupJson.put("dataset", dataset);
        setupJson.put("device", Environment.deviceName(d));
        setupJson.put("threads", usedThreads);
        setupJson.put("conv_backend", convBackend.label());
        setupJson.put("parameters", parameters);
        return setupJson;
    }

    /**
     * This process's peak resident memory in KiB (Linux's VmHWM: both DJL loops, the JVM and libtorch),
     * or null where /proc does not give it.
     */
    static Long peakResidentKib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // Not Linux: the figure is left out.
        }
        return null;
    }

    private void printTrace(PrintWriter w, OpTrace t) {
        w.printf("libtorch's profiler over the harness loop's %d timed steps (trace in %s):%n", t.steps(), opTrace);
        w.printf("  operations issued per step   %.1f (top-level calls from Java into libtorch, a JNI crossing"
                + " each)%n", t.opsPerStep());
        w.printf("  autograd nodes per step      %.1f (run inside the backward call)%n", t.backwardNodesPerStep());
        w.printf("  allocated per step           %s in %.1f operations' results%n",
                mib(t.allocatedBytesPerStep() / 1024), t.allocationsPerStep());
        w.printf("  wall ms per step             %.2f (the profiler recording)%n", t.wallMillisPerStep());
        w.printf("  inside those operations      %.2f ms; outside (Java, JNI, the profiler) %.1f%% of the step%n",
                t.insideMillisPerStep(), 100 * t.outsideShare());
        w.printf("  %-44s %10s %10s%n", "heaviest operations", "calls/step", "ms/step");
        for (OpTrace.OpTotal op : t.heaviest()) {
            w.printf("  %-44s %10.1f %10.2f%n", op.name(), op.calls() / (double) t.steps(), op.millis() / t.steps());
        }
    }

    private Map<String, Object> traceJson(OpTrace t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("file", opTrace.toString());
        m.put("steps", t.steps());
        m.put("ops_per_step", t.opsPerStep());
        m.put("backward_nodes_per_step", t.backwardNodesPerStep());
        m.put("allocated_bytes_per_step", t.allocatedBytesPerStep());
        m.put("allocations_per_step", t.allocationsPerStep());
        m.put("wall_ms_per_step", t.wallMillisPerStep());
        m.put("inside_ms_per_step", t.insideMillisPerStep());
        m.put("outside_share", t.outsideShare());
        List<Map<String, Object>> heaviest = new ArrayList<>();
        for (OpTrace.OpTotal op : t.heaviest()) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("name", op.name());
            o.put("calls_per_step", op.calls() / (double) t.steps());
            o.put("ms_per_step", op.millis() / t.steps());
            heaviest.add(o);
        }
        m.put("heaviest", heaviest);
        return m;
    }

    private static String mib(double kib) {
        return String.format(Locale.ROOT, kib < 10 * 1024 ? "%,.1f MiB" : "%,.0f MiB", kib / 1024.0);
    }

    private static Map<String, Object> peerJson(StepStats stats, boolean oneDnn) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("onednn", oneDnn);
        m.put("steps", stats.steps());
        m.put("medianMillis", stats.medianMillis());
        m.put("p90Millis", stats.p90Millis());
        m.put("imagesPerSecond", stats.imagesPerSecond());
        return m;
    }
}
