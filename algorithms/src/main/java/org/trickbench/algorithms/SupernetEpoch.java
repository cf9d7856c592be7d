package org.trickbench.algorithms;

import org.trickbench.core.space.nb201.Genotype;

/**
 * What one epoch of a supernet search measured. Training figures come from the weight steps, validation
 * figures from the architecture steps' passes (NaN while the hooks hold α still).
 *
 * @param alphaEntropy mean over edges of the entropy of softmax(α), in nats (log 5 ≈ 1.609 = undecided);
 *     NaN for one-shot searches, which do not train α
 * @param temperature the Gumbel-softmax τ of the epoch (GDAS), NaN otherwise
 * @param genotype the argmax of α after the epoch; null for one-shot searches
 */
public record SupernetEpoch(int epoch, double trainLoss, double trainAccuracy, double validLoss, double validAccuracy,
        double alphaEntropy, double learningRate, double temperature, Genotype genotype, double seconds) {}
