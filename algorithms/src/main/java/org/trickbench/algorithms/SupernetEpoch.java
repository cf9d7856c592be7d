package org.trickbench.algorithms;

import java.util.LinkedHashMap;
import java.util.Map;
import org.trickbench.core.space.Architecture;

/**
 * What one epoch of a supernet search measured. Training figures come from the weight steps, validation
 * figures from the architecture steps' passes (NaN while the hooks hold α still).
 *
 * @param alphaEntropy mean over edges of the entropy of softmax(α), in nats (log of the op count, e.g. log 5 ≈
 *     1.609 on NAS-Bench-201, = undecided);
 *     NaN for one-shot searches, which do not train α
 * @param temperature the Gumbel-softmax τ of the epoch (GDAS), NaN otherwise
 * @param genotype the argmax of α after the epoch; null for one-shot searches
 * @param argmaxAccuracy validation accuracy of {@code genotype} as a single path with the epoch's shared
 *     weights ({@link PathScorer}); NaN for one-shot searches and for a diverged epoch
 */
public record SupernetEpoch(int epoch, double trainLoss, double trainAccuracy, double validLoss, double validAccuracy,
        double alphaEntropy, double learningRate, double temperature, Architecture genotype, double seconds,
        double argmaxAccuracy) {

    /**
     * The epoch's metrics by the names the store keeps, those of the final training where they are the
     * same. α entropy, τ and the argmax's accuracy appear only where the search has them.
     */
    Map<String, Double> metrics() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("train_loss", trainLoss);
        m.put("train_acc", trainAccuracy);
        m.put("valid_loss", validLoss);
        m.put("valid_acc", validAccuracy);
        m.put("lr", learningRate);
        m.put("seconds", seconds);
        putIfKnown(m, "alpha_entropy", alphaEntropy);
        putIfKnown(m, "tau", temperature);
        putIfKnown(m, "argmax_valid_acc", argmaxAccuracy);
        return m;
    }

    private static void putIfKnown(Map<String, Double> m, String name, double value) {
        if (!Double.isNaN(value)) {
            m.put(name, value);
        }
    }
}
