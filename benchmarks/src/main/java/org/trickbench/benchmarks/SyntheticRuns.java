package org.trickbench.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.trickbench.core.space.nb201.Genotype;
import org.trickbench.harness.analysis.Observation;
import org.trickbench.harness.report.AnalysisSummary;
import org.trickbench.harness.report.ReportData;
import org.trickbench.harness.report.RunView;
import org.trickbench.harness.store.EpochRow;

/**
 * Finished runs of a large study, made up: one data set, ten algorithms (the random baseline among
 * them) × the full factorial over eight tricks (256 rows) × as many seeds as the run count needs.
 * Accuracy is a planted algorithm and trick effect, a seed effect and noise, so every part of the
 * analysis has something to estimate.
 */
final class SyntheticRuns {
    static final List<String> ALGORITHMS = List.of("darts-v1", "darts-v2", "gdas", "local-search", "random",
            "random-search", "rea", "rsws", "spos", "setn");
    static final List<String> TRICKS = List.of("autoaugment", "aux-tower", "cutout", "drop-path", "label-smoothing",
            "mixup", "sgdr", "swish");
    private static final String DATASET = "fashion-mnist";
    private static final int EPOCHS = 20;

    private SyntheticRuns() {}

    static List<Observation> observations(int runs) {
        SplittableRandom random = new SplittableRandom(runs);
        int rows = 1 << TRICKS.size();
        int perSeed = rows * ALGORITHMS.size();
        double[] seedEffect = new double[(runs + perSeed - 1) / perSeed];
        for (int s = 0; s < seedEffect.length; s++) {
            seedEffect[s] = 0.3 * gaussian(random);
        }
        List<Observation> out = new ArrayList<>(runs);
        for (int i = 0; i < runs; i++) {
            int a = i % ALGORITHMS.size();
            int row = (i / ALGORITHMS.size()) % rows;
            int seed = i / perSeed;
            Map<String, Boolean> tricks = new TreeMap<>();
            double accuracy = 85 + 0.3 * a + seedEffect[seed] + gaussian(random);
            for (int t = 0; t < TRICKS.size(); t++) {
                boolean on = (row >> t & 1) == 1;
                tricks.put(TRICKS.get(t), on);
                accuracy += on ? 0.25 * (t - 3) : 0;
            }
            String algorithm = ALGORITHMS.get(a);
            boolean baseline = algorithm.equals("random");
            out.add(new Observation(algorithm, DATASET, seed, tricks, accuracy,
                    baseline ? null : accuracy + 2 * gaussian(random), baseline ? null : 100 + 50 * random.nextDouble(),
                    Genotype.fromIndex(random.nextInt(Genotype.SPACE_SIZE)).toString(), baseline));
        }
        return out;
    }

    /** What {@code bench report} renders for these runs: one view per run with a 20-epoch curve, and the analysis. */
    static ReportData report(List<Observation> observations) {
        List<RunView> views = new ArrayList<>(observations.size());
        for (int i = 0; i < observations.size(); i++) {
            Observation o = observations.get(i);
            String id = String.format("%064x", (long) i * 0x9E3779B97F4A7C15L);
            List<EpochRow> curve = new ArrayList<>(EPOCHS * 5);
            for (int e = 0; e < EPOCHS; e++) {
                double progress = (e + 1.0) / EPOCHS;
                curve.add(new EpochRow(id, "final", e, "train_loss", 2.3 * (1 - progress) + 0.2));
                curve.add(new EpochRow(id, "final", e, "train_acc", progress * o.accuracy() / 100));
                curve.add(new EpochRow(id, "final", e, "test_acc", progress * o.accuracy() / 100));
                curve.add(new EpochRow(id, "final", e, "lr", 0.05 * (1 + Math.cos(Math.PI * progress))));
                curve.add(new EpochRow(id, "final", e, "seconds", 12.5));
            }
            views.add(new RunView(id, "e" + id, o.algorithm(), o.seed(), o.dataset(), "done", o.genotype(), 401_000L,
                    55_000_000L, o.accuracy() / 100, o.accuracy() / 100 + 0.02, o.proxyScore(),
                    o.searchCost(), 250.0, null, curve));
        }
        List<AnalysisSummary> analysis = AnalysisSummary.of(observations, new java.util.TreeSet<>(TRICKS));
        return new ReportData("synthetic", "2026-01-01T00:00:00Z", views, Map.of("done", views.size()),
                Map.of("device", "cpu"), "bench run --matrix synthetic", analysis);
    }

    private static double gaussian(SplittableRandom random) {
        // Box–Muller: SplittableRandom has no nextGaussian before Java 17's RandomGenerator default.
        return Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
    }
}
