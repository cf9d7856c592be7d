package org.trickbench.tricks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.trickbench.core.search.AlgorithmParameter;
import org.trickbench.core.train.SupernetSession;
import org.trickbench.core.train.TrainingHook;
import org.trickbench.core.trick.Trick;
import org.trickbench.core.trick.TrickParameters;

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
 * pass touches (an op off the path) keeps its old value.
 */
public final class BnCalibration implements Trick {
    @Override
    public String id() {
        return "bn-calibration";
    }

    @Override
    public Set<String> phases() {
        return Set.of(SEARCH);
    }

    /** One-shot scoring always uses shared weights; a gradient search does whenever it scores a derived path. */
    @Override
    public Set<String> families() {
        return Set.of("one-shot", "gradient");
    }

    @Override
    public List<AlgorithmParameter> parameters() {
        return List.of(new AlgorithmParameter("batches", "int", 20,
                "training batches whose statistics replace the running ones; >= 1"));
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
        int batches = TrickParameters.of(this, params).integer("batches", 1, Integer.MAX_VALUE);
        return new TrainingHook() {
            @Override
            public void beforeScoring(SupernetSession session) {
                calibrate(session, batches);
            }
        };
    }

    /** Replaces every running statistic of the session's supernet by its average over the first batches. */
    static void calibrate(SupernetSession session, int batches) {
        List<NDArray> stats = new ArrayList<>();
        for (Pair<String, Parameter> p : session.supernet().getParameters()) {
            Parameter.Type type = p.getValue().getType();
            if (type == Parameter.Type.RUNNING_MEAN || type == Parameter.Type.RUNNING_VAR) {
                stats.add(p.getValue().getArray());
            }
        }
        int n = Math.min(batches, session.trainingBatches());
        try (NDScope scope = new NDScope()) {
            List<NDArray> saved = new ArrayList<>();
            List<NDArray> sums = new ArrayList<>();
            List<NDArray> last = new ArrayList<>();
            for (NDArray s : stats) {
                saved.add(s.duplicate());
                sums.add(s.zerosLike());
                last.add(null);
            }
            for (int b = 0; b < n; b++) {
                stats.forEach(s -> s.muli(0));
                session.forward(session.trainingBatch(b).images(), true);
                for (int i = 0; i < stats.size(); i++) {
                    sums.get(i).addi(stats.get(i));
                    last.set(i, stats.get(i).duplicate());
                }
            }
            stats.forEach(s -> s.muli(0).addi(1));
            session.forward(session.trainingBatch(n - 1).images(), true);
            for (int i = 0; i < stats.size(); i++) {
                NDArray s = stats.get(i);
                double momentum = s.sub(last.get(i)).mean().getFloat();
                s.muli(0);
                if (1 - momentum < 1e-6) {
                    s.addi(saved.get(i));
                } else {
                    s.addi(sums.get(i).div(n * (1 - momentum)));
                }
            }
        }
    }
}
