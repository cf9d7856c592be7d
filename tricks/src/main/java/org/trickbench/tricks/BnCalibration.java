package org.trickbench.tricks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Parameter;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.trickbench.core.nd.Fill;
import org.trickbench.core.param.ParameterSpec;
import org.trickbench.core.search.Family;
import org.trickbench.core.train.SupernetSearchHook;
import org.trickbench.core.train.SupernetSession;
import org.trickbench.core.train.TrainingHook;
import org.trickbench.core.trick.Phase;
import org.trickbench.core.trick.Trick;

/**
 * BatchNorm calibration before a sub-network is scored with shared weights: the supernet's running
 * statistics were gathered over many different paths, so they fit none of them. Reset them and
 * recompute them as the plain average of the sub-network's own batch statistics over {@code batches}
 * training batches (Guo et al., Single Path One-Shot, ECCV 2020, arXiv 1904.00420, §3.3; Bender et
 * al., Understanding and Simplifying One-Shot Architecture Search, ICML 2018).
 *
 * <p>DJL's BatchNorm folds each batch into its running statistics with a momentum m it does not
 * expose: r ← m·r + (1 − m)·s. Starting each batch from r = 0 leaves (1 − m)·s; one more pass from
 * r = 1 leaves m + (1 − m)·s, which gives m, and the average of s follows exactly. A statistic no
 * pass touches keeps its old value. Only the statistics the scored path uses are touched.
 */
public final class BnCalibration implements Trick {
    @Override
    public String id() {
        return "bn-calibration";
    }

    @Override
    public Set<Phase> phases() {
        return Set.of(Phase.SEARCH);
    }

    /** One-shot scoring always uses shared weights; a gradient search does whenever it scores a derived path. */
    @Override
    public Set<Family> families() {
        return Set.of(Family.ONE_SHOT, Family.GRADIENT);
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(ParameterSpec.integer("batches", 20, 1, Integer.MAX_VALUE,
                "training batches whose statistics replace the running ones").withUnit("batches"));
    }

    @Override
    public String reference() {
        return "Guo et al., Single Path One-Shot Neural Architecture Search with Uniform Sampling, ECCV 2020"
                + " (arXiv 1904.00420)";
    }

    @Override
    public String description() {
        return "before a sub-network is scored with shared weights, its BN statistics are recomputed on"
                + " training batches";
    }

    @Override
    public TrainingHook hook(Map<String, Object> params) {
        int batches = resolve(params).integer("batches");
        Map<Parameter, Double> momentum = new IdentityHashMap<>();
        return new SupernetSearchHook() {
            @Override
            public void beforeScoring(SupernetSession session) {
                calibrate(session, batches, momentum);
            }
        };
    }

    /**
     * Replaces every running statistic the supernet's next pass uses by its average over the first
     * {@code batches} training batches. {@code momentum} remembers each statistic's m once measured, so
     * the extra pass that measures it runs only while some statistic's m is unknown.
     */
    static void calibrate(SupernetSession session, int batches, Map<Parameter, Double> momentum) {
        List<Parameter> stats = session.supernet().runningStatistics();
        List<Parameter> unknown = stats.stream().filter(p -> !momentum.containsKey(p)).toList();
        int n = Math.min(batches, session.trainingBatches());
        try (NDScope scope = new NDScope()) {
            Map<Parameter, NDArray> sums = new IdentityHashMap<>();
            Map<Parameter, NDArray> saved = new IdentityHashMap<>();
            Map<Parameter, NDArray> last = new IdentityHashMap<>();
            stats.forEach(p -> sums.put(p, p.getArray().zerosLike()));
            unknown.forEach(p -> saved.put(p, p.getArray().duplicate()));
            for (int b = 0; b < n; b++) {
                stats.forEach(p -> Fill.zero(p.getArray()));
                session.forward(session.trainingBatch(b).images(), true);
                stats.forEach(p -> sums.get(p).addi(p.getArray()));
            }
            if (!unknown.isEmpty()) {
                unknown.forEach(p -> last.put(p, p.getArray().duplicate()));
                unknown.forEach(p -> Fill.constant(p.getArray(), 1));
                session.forward(session.trainingBatch(n - 1).images(), true);
                for (Parameter p : unknown) {
                    double m = p.getArray().sub(last.get(p)).mean().getFloat();
                    if (1 - m > 1e-6) {
                        momentum.put(p, m);
                    }
                }
            }
            for (Parameter p : stats) {
                NDArray s = p.getArray();
                Fill.zero(s);
                Double m = momentum.get(p);
                // A statistic no pass touched (m would be 1) keeps its value.
                s.addi(m == null ? saved.get(p) : sums.get(p).div(n * (1 - m)));
            }
        }
    }
}
