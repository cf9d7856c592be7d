package org.trickbench.core.space.darts;

/**
 * How a DARTS evaluation network is trained beyond the protocol, as DARTS's {@code train.py} does it: the
 * auxiliary head and its loss weight (the loss is main + weight·auxiliary; 0: no head), and drop-path's
 * final probability, ramped linearly from 0 as p·epoch/epochs (0: off).
 */
public record DartsTraining(double auxiliaryWeight, double dropPathProb) {
    public DartsTraining {
        if (!(auxiliaryWeight >= 0) || Double.isInfinite(auxiliaryWeight)) {
            throw new IllegalArgumentException("auxiliary weight must be a finite number >= 0, got " + auxiliaryWeight);
        }
        if (!(dropPathProb >= 0 && dropPathProb < 1)) {
            throw new IllegalArgumentException("drop-path probability must be in [0, 1), got " + dropPathProb);
        }
    }

    /** No auxiliary head, no drop-path: the network as built. */
    public static DartsTraining none() {
        return new DartsTraining(0, 0);
    }

    /** The auxiliary head on, its loss weighted by {@code weight} (DARTS: 0.4). */
    public DartsTraining withAuxiliary(double weight) {
        return new DartsTraining(weight, dropPathProb);
    }

    /** Drop-path reaching {@code prob} at the end of training (DARTS: 0.2 on CIFAR-10). */
    public DartsTraining withDropPath(double prob) {
        return new DartsTraining(auxiliaryWeight, prob);
    }

    /** Whether the network carries the auxiliary head. */
    public boolean auxiliary() {
        return auxiliaryWeight > 0;
    }

    /** Drop-path's probability in 0-based epoch {@code epoch} of {@code epochs}: p·epoch/epochs, as DARTS sets it. */
    public double dropPathAt(int epoch, int epochs) {
        return epochs <= 0 ? 0 : dropPathProb * epoch / epochs;
    }
}
