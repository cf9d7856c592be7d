package org.trickbench.core.train;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.trickbench.core.UserInputException;

/**
 * How an architecture is trained. The base is NAS-Bench-201's 200-epoch protocol (Dong & Yang 2020):
 * SGD with Nesterov momentum 0.9, lr 0.1 with one cosine cycle to 0 (per step), weight decay 5e-4,
 * batch 256, cross-entropy, random crop with padding 4 at 32 px and horizontal flip. The epoch count
 * comes from the fidelity; the optimiser settings stay.
 *
 * @param schedule {@code cosine} (one cycle over the whole training, evaluated per step),
 *     {@code cosine-epoch} (the same cycle evaluated once per epoch, as DARTS steps it) or
 *     {@code sgdr:t0=T0,tmult=M} (warm restarts; see {@link #learningRateAt}); a string, so that the run
 *     ids of cosine runs keep their canonical form
 * @param cropPadding padding of the random crop at the native resolution; scaled with resolution
 * @param labelSmoothing ε of label smoothing (0 = plain cross-entropy)
 * @param gradClip the largest global L2 norm of all trainable weights' gradients in one step, larger
 *     ones scaled down to it as PyTorch's {@code clip_grad_norm_} does (0 = no clipping); left out of
 *     the canonical JSON when 0, so that the run ids of runs without it are those they always had
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
        double labelSmoothing,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) double gradClip) {
    /** The schedule word of a cosine cycle evaluated once per epoch. */
    public static final String COSINE_EPOCH = "cosine-epoch";
    private static final Pattern SGDR = Pattern.compile("sgdr:t0=(auto|[0-9]{1,6}),tmult=([0-9]{1,3})");

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
        if (!"cosine".equals(schedule) && !COSINE_EPOCH.equals(schedule) && sgdr(schedule) == null) {
            throw new UserInputException("protocol.schedule '" + schedule + "' is not known; allowed: cosine, "
                    + COSINE_EPOCH + ", sgdr:t0=T0,tmult=M with integers T0 >= 1 (or auto) and M >= 1");
        }
        if (cropPadding < 0) {
            throw new UserInputException("protocol.crop-padding must be >= 0, got " + cropPadding);
        }
        if (labelSmoothing < 0 || labelSmoothing >= 1) {
            throw new UserInputException("protocol.label-smoothing must be in [0, 1), got " + labelSmoothing);
        }
        if (!(gradClip >= 0) || Double.isInfinite(gradClip)) {
            throw new UserInputException("protocol.grad-clip must be a finite number >= 0 (0 = off), got " + gradClip);
        }
    }

    /** A protocol without gradient clipping. */
    public Protocol(double learningRate, double minLearningRate, double momentum, boolean nesterov,
            double weightDecay, int batchSize, int epochs, String schedule, int cropPadding, boolean horizontalFlip,
            double labelSmoothing) {
        this(learningRate, minLearningRate, momentum, nesterov, weightDecay, batchSize, epochs, schedule, cropPadding,
                horizontalFlip, labelSmoothing, 0);
    }

    public static Protocol nasBench201() {
        return new Protocol(0.1, 0.0, 0.9, true, 5e-4, 256, 200, "cosine", 4, true, 0.0);
    }

    public Protocol withEpochs(int e) {
        return new Protocol(learningRate, minLearningRate, momentum, nesterov, weightDecay, batchSize, e, schedule,
                cropPadding, horizontalFlip, labelSmoothing, gradClip);
    }

    public Protocol withBatchSize(int b) {
        return new Protocol(learningRate, minLearningRate, momentum, nesterov, weightDecay, b, epochs, schedule,
                cropPadding, horizontalFlip, labelSmoothing, gradClip);
    }

    public Protocol withWeightDecay(double wd) {
        return new Protocol(learningRate, minLearningRate, momentum, nesterov, wd, batchSize, epochs, schedule,
                cropPadding, horizontalFlip, labelSmoothing, gradClip);
    }

    public Protocol withSchedule(String s) {
        return new Protocol(learningRate, minLearningRate, momentum, nesterov, weightDecay, batchSize, epochs, s,
                cropPadding, horizontalFlip, labelSmoothing, gradClip);
    }

    public Protocol withGradClip(double clip) {
        return new Protocol(learningRate, minLearningRate, momentum, nesterov, weightDecay, batchSize, epochs, schedule,
                cropPadding, horizontalFlip, labelSmoothing, clip);
    }

    /** The schedule string of SGDR with a first cycle of {@code t0} epochs (0 = auto) and growth {@code tmult}. */
    public static String sgdrSchedule(int t0, int tmult) {
        return "sgdr:t0=" + (t0 == 0 ? "auto" : Integer.toString(t0)) + ",tmult=" + tmult;
    }

    /** This protocol at a fidelity: the fidelity's epochs, everything else unchanged. */
    public Protocol at(Fidelity fidelity) {
        return withEpochs(fidelity.epochs());
    }

    /**
     * Learning rate after {@code step} of {@code totalSteps}, evaluated per step. (The benchmark's own
     * scheduler, xautodl {@code CosineAnnealingLR} with no warm-up, evaluates the cosine at the integer
     * epoch, so its rate is constant within an epoch; the two differ by at most one epoch's decay.)
     * {@code cosine}: one cycle from the base rate to the minimum. {@code cosine-epoch}: the same cycle at
     * whole epochs, η_e = η_min + ½(η − η_min)(1 + cos(π·e/E)) for the 0-based epoch e of the step, as
     * PyTorch's {@code CosineAnnealingLR(T_max=E)} stepped once after each epoch gives it (DARTS's
     * {@code train.py} and {@code train_search.py}; run with PyTorch 0.3, which stepped the scheduler
     * before each epoch, the original code used e + 1). {@code sgdr}: cosine
     * annealing with warm restarts (Loshchilov &amp; Hutter, ICLR 2017, arXiv 1608.03983, eq. 5):
     * cycle i lasts T_i = t0·tmult^i epochs and starts again at the base rate; {@code t0=auto} is
     * round(epochs / 7), so that with tmult = 2 three cycles (1 + 2 + 4) fill the training.
     */
    public double learningRateAt(long step, long totalSteps) {
        int[] restarts = sgdr(schedule);
        if (COSINE_EPOCH.equals(schedule)) {
            // The loop's steps divide into its epochs, so this is the step's epoch exactly.
            long epoch = totalSteps <= 0 ? 0 : Math.min(step, totalSteps) * epochs / totalSteps;
            return minLearningRate + 0.5 * (learningRate - minLearningRate) * (1 + Math.cos(Math.PI * epoch / epochs));
        }
        if (restarts == null) {
            double t = totalSteps <= 0 ? 0 : Math.min(1.0, (double) step / totalSteps);
            return minLearningRate + 0.5 * (learningRate - minLearningRate) * (1 + Math.cos(Math.PI * t));
        }
        int t0 = restarts[0] == 0 ? Math.max(1, (int) Math.round(epochs / 7.0)) : restarts[0];
        // Positions in steps, exact at epoch boundaries when the steps divide into epochs (as in the loop).
        double stepsPerEpoch = totalSteps <= 0 ? 1 : (double) totalSteps / epochs;
        double position = Math.min(step, Math.max(totalSteps, 0));
        double cycle = t0 * stepsPerEpoch;
        while (position >= cycle) {
            position -= cycle;
            cycle *= restarts[1];
        }
        return minLearningRate + 0.5 * (learningRate - minLearningRate) * (1 + Math.cos(Math.PI * position / cycle));
    }

    /** {t0 (0 = auto), tmult} of an SGDR schedule string, or null when it is not one. */
    private static int[] sgdr(String schedule) {
        if (schedule == null) {
            return null;
        }
        Matcher m = SGDR.matcher(schedule);
        if (!m.matches()) {
            return null;
        }
        int t0 = "auto".equals(m.group(1)) ? 0 : Integer.parseInt(m.group(1));
        int tmult = Integer.parseInt(m.group(2));
        return ("auto".equals(m.group(1)) || t0 >= 1) && tmult >= 1 ? new int[] {t0, tmult} : null;
    }

    /** Crop padding scaled from the native side to the training resolution (4 at 28 → 2 at 16). */
    public int cropPaddingAt(int nativeSide, int side) {
        if (cropPadding == 0) {
            return 0;
        }
        return Math.max(1, (int) Math.round(cropPadding * (double) side / nativeSide));
    }
}
