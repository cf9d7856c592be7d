package org.trickbench.harness.cli;

import ai.djl.Device;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.trickbench.core.UserInputException;
import org.trickbench.core.device.DeviceChoice;
import org.trickbench.harness.check.Baseline;
import org.trickbench.harness.check.JUnitXml;
import org.trickbench.harness.check.RegressionCheck;
import org.trickbench.harness.check.Snapshot;
import org.trickbench.harness.matrix.Expansion;
import org.trickbench.harness.matrix.Matrices;
import org.trickbench.harness.matrix.MatrixDefinition;
import org.trickbench.harness.runner.Environment;
import org.trickbench.harness.runner.Progress;
import org.trickbench.harness.runner.Runner;
import org.trickbench.harness.store.Store;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "check", mixinStandardHelpOptions = true,
        description = {
            "Seed-aware regression check for CI: runs a (small) matrix, or reuses its finished runs in --db, and",
            "compares each configuration's final accuracy over seeds with a committed baseline.",
            "",
            "A configuration regresses when its mean accuracy drops by more than max(k x pooled seed standard",
            "deviation, floor). A trick effect that was significant in the baseline and now has the other sign",
            "fails too. Slower epochs only warn (timings are noisy). Exit 0 pass, 1 regression, 2 usage/input error.",
            "",
            "Create or refresh the baseline:  bench check --matrix ci --baseline scripts/ci/baseline.json --update-baseline",
            ""})
final class CheckCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    StoreOption store;

    @Option(names = "--matrix", defaultValue = "ci", paramLabel = "NAME|FILE", description = "Matrix to check (default: ${DEFAULT-VALUE}).")
    String matrix;

    @Option(names = "--baseline", required = true, paramLabel = "FILE", description = "Baseline JSON to compare with (or to write).")
    Path baseline;

    @Option(names = "--update-baseline", description = "Write the baseline from the results instead of comparing.")
    boolean update;

    @Option(names = "--junit", paramLabel = "FILE", description = "Also write JUnit XML, one test case per configuration.")
    Path junit;

    @Option(names = "--k", defaultValue = "3", description = "Multiple of the pooled seed standard deviation (default: ${DEFAULT-VALUE}).")
    double k;

    @Option(names = "--floor", defaultValue = "0.02", description = "Accuracy drop always tolerated, as a fraction (default: ${DEFAULT-VALUE} = 2 points).")
    double floor;

    @Option(names = "--slowdown", defaultValue = "0.5", description = "Relative epoch-time increase that warns (default: ${DEFAULT-VALUE}).")
    double slowdown;

    @Option(names = "--device", defaultValue = "auto", paramLabel = "auto|cpu|gpu", description = "Where to train (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Folder holding the data set files.")
    Path dataDir;

    @Mixin
    DeterminismOption determinism;

    @Mixin
    LibtorchOption libtorch;

    @Override
    public Integer call() {
        libtorch.apply();
        if (k <= 0 || floor < 0 || slowdown <= 0) {
            throw new UserInputException("--k must be > 0, --floor >= 0 and --slowdown > 0");
        }
        PrintWriter w = spec.commandLine().getOut();
        MatrixDefinition definition = Matrices.load(matrix);
        Baseline expected = update ? null : Baseline.read(baseline);
        if (expected != null && !expected.matrix().equals(definition.name())) {
            throw new UserInputException("--baseline " + baseline + " is for matrix '" + expected.matrix() + "', not '"
                    + definition.name() + "'");
        }
        Device d = DeviceChoice.parse(device).resolve();
        Expansion.Plan plan = Expansion.plan(definition);
        Baseline now;
        try (Store s = Store.open(store.db)) {
            new Runner(s, d, dataDir, System.getenv(), new Progress(w, Progress.stdoutIsTerminal()),
                    new Runner.Options(false, "bench check --matrix " + matrix + " --db " + store.db,
                            determinism.deterministic, 1))
                    .run(definition, plan.runs(), plan.dropped());
            now = Snapshot.of(s, definition.name(), Environment.codeVersion());
        }
        if (update) {
            now.write(baseline);
            w.printf("baseline written: %s (%d configurations of matrix %s)%n", baseline, now.configurations().size(),
                    definition.name());
            w.flush();
            return 0;
        }
        RegressionCheck.Result result = new RegressionCheck(k, floor, slowdown).compare(expected, now);
        w.printf("%-70s %17s %17s %8s  %s%n", "configuration", "baseline", "now", "delta", "verdict");
        for (RegressionCheck.Row r : result.rows()) {
            w.printf(Locale.ROOT, "%-70s %7.2f%% ± %5.2f %7.2f%% ± %5.2f %+7.2f  %s%n", r.key(), 100 * r.baselineMean(),
                    100 * r.baselineSd(), 100 * r.nowMean(), 100 * r.nowSd(), 100 * r.delta(), r.verdict());
        }
        result.warnings().forEach(x -> w.println("warning: " + x));
        long failed = result.rows().stream().filter(RegressionCheck.Row::failed).count();
        if (junit != null) {
            JUnitXml.write(junit, definition.name(), result);
        }
        w.printf("bench check %s: %s, %d configurations, %d failed, %d warnings (k=%s, floor=%s)%n", definition.name(),
                result.passed() ? "PASS" : "FAIL", result.rows().size(), failed, result.warnings().size(), k, floor);
        w.flush();
        return result.passed() ? 0 : Bench.EXIT_FAILED;
    }
}
