package org.trickbench.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.trickbench.harness.report.HtmlReport;
import org.trickbench.harness.report.ReportData;

/**
 * Writing the report of a large synthetic study ({@link SyntheticRuns}): the HTML page with every run
 * and its 20-epoch curve, and analysis.json beside it, as {@code bench report} writes them. The
 * analysis itself is computed once beforehand ({@link AnalysisBenchmark} times it). Goal: under 10 s
 * for 10,000 runs.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = "-Xmx4g")
public class ReportBenchmark {
    @Param({"10000"})
    int runs;

    private ReportData data;
    private Path out;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        data = SyntheticRuns.report(SyntheticRuns.observations(runs));
        out = Files.createTempDirectory("trickbench-report-bench");
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        try (Stream<Path> files = Files.walk(out)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Benchmark
    public Path write() {
        return HtmlReport.write(data, out);
    }
}
