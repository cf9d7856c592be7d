package org.trickbench.core.train;

import org.trickbench.core.UserInputException;

/**
 * How an architecture is trained. The base is NAS-Bench-201's 200-epoch protocol (Dong & Yang 2020):
 * SGD with Nesterov momentum 0.9, lr 0.1 with one cosine cycle to 0 (per step), weight decay 5e-4,
 * batch 256, cross-entropy, random crop with padding 4 at 32 px and horizontal flip. The epoch count
 * comes from the fidelity; the optimiser settings stay.
 *
 * @param cropPadding padding of the random crop at the native resolution; scaled with resolution
 * @param labelSmoothing ε of label smoothing (0 = plain cross-entropy)
 */
public record Protocol(
        double learningRate,
        double minLearningRate,
        double momentum,
        boolean nesterov,
        double weightDecay,
        int batchSize,
        int epochs,
        String schedule,
        int cropPadding,
        boolean horizontalFlip,
        double labelSmoothing) {

    public Protocol {
        if (!(learningRate > 0)) {
            throw new UserInputException("protocol.learning-rate must be > 0, got " + learningRate);
        }
        if (minLearningRate < 0 || minLearningRate > learningRate) {
            throw new UserInputException("protocol.min-learning-rate must be in [0, learning-rate], got " + minLearningRate);
        }
        if (momentum < 0 || momentum >= 1) {
            throw new UserInputException("protocol.momentum must be in [0, 1), got " + momentum);
        }
        if (weightDecay < 0) {
            throw new UserInputException("protocol.weight-decay must be >= 0, got " + weightDecay);
        }
        if (batchSize <= 0) {
            throw new UserInputException("protocol.batch-size must be a positive integer, got " + batchSize);
        }
        if (epochs <= 0) {
            throw new UserInputException("protocol.epochs must be a positive integer, got " + epochs);
        }
        if (!"cosine".equals(schedule)) {
            throw new UserInputException("protocol.schedule '" + schedule + "' is not known; allowed: cosine");
        }
        if (cropPadding < 0) {
            throw new UserInputException("protocol.crop-padding must be >= 0, got " + cropPadding);
        }
        if (labelSmoothing < 0 || labelSmoothing >= 1) {
            throw new UserInputException("protocol.label-smoothing must be in [0, 1), got " + labelSmoothing);
        }
    }

    public static Protocol nasBench201() {
        return new Protocol(0.1, 0.0, 0.9, true, 5e-4, 256, 200, "cosine", 4, true, 0.0);
    }

    public Protocol withEpochs(int e) {
        return new Protocol(learningRate, minLearningRate, momentum, nesterov, weightDecay, batchSize, e, schedule,
                cropPadding, horizontalFlip, labelSmoothing);
    }

    public Protocol withBatchSize(int b) {
        return new Protocol(learningRate, minLearningRate, momentum, nesterov, weightDecay, b, epochs, schedule,
                cropPadding, horizontalFlip, labelSmoothing);
    }

    public Protocol withWeightDecay(double wd) {
        return new Protocol(learningRate, minLearningRate, momentum, nesterov, wd, batchSize, epochs, schedule,
                cropPadding, horizontalFlip, labelSmoothing);
    }

    /** This protocol at a fidelity: the fidelity's epochs, everything else unchanged. */
    public Protocol at(Fidelity fidelity) {
        return withEpochs(fidelity.epochs());
    }

    /**
     * Learning rate after {@code step} of {@code totalSteps}: one cosine cycle from the base rate to
     * the minimum, evaluated per step as the benchmark's scheduler does.
     */
    public double learningRateAt(long step, long totalSteps) {
        double t = totalSteps <= 0 ? 0 : Math.min(1.0, (double) step / totalSteps);
        return minLearningRate + 0.5 * (learningRate - minLearningRate) * (1 + Math.cos(Math.PI * t));
    }

    /** Crop padding scaled from the native side to the training resolution (4 at 28 → 2 at 16). */
    public int cropPaddingAt(int nativeSide, int side) {
        if (cropPadding == 0) {
            return 0;
        }
        return Math.max(1, (int) Math.round(cropPadding * (double) side / nativeSide));
    }
}
