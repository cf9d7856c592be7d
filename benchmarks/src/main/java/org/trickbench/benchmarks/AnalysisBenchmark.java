package org.trickbench.benchmarks;

import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Warmup;
import org.trickbench.harness.analysis.Observation;
import org.trickbench.harness.report.AnalysisSummary;

/**
 * The report's whole analysis (relative improvement, trick effects with their seed bootstrap,
 * variance decomposition, seed, architecture and rank statistics) over a large synthetic study
 * ({@link SyntheticRuns}). Goal: under 5 s for 100,000 runs. One call is seconds long, so each
 * measurement is a single call.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgsAppend = "-Xmx4g")
public class AnalysisBenchmark {
    @Param({"100000"})
    int runs;

    private List<Observation> observations;

    @Setup(Level.Trial)
    public void setUp() {
        observations = SyntheticRuns.observations(runs);
    }

    @Benchmark
    public List<AnalysisSummary> analysis() {
        return AnalysisSummary.of(observations, new TreeSet<>(SyntheticRuns.TRICKS));
    }
}
