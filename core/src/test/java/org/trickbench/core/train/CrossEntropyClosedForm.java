package org.trickbench.core.train;

/**
 * The closed-form gradients of L = −(1/B) Σ_b Σ_k y_bk · log softmax(z_b)_k, the soft-target loss of
 * {@link TrainingLoop#crossEntropy}: ∂L/∂z_bk = (p_bk · Σ_j y_bj − y_bk) / B and ∂L/∂y_bk = −log p_bk / B.
 * A direct Java reference for gradient tests of the loss and of tricks that build on it.
 */
public final class CrossEntropyClosedForm {
    private CrossEntropyClosedForm() {}

    /** ∂L/∂z, row-major logits z and targets y of {@code batch} rows. */
    public static double[] logitGradient(double[] z, double[] y, int batch) {
        double[][] rows = logSoftmax(z, batch);
        int k = z.length / batch;
        double[] g = new double[z.length];
        for (int b = 0; b < batch; b++) {
            double mass = 0;
            for (int j = 0; j < k; j++) {
                mass += y[b * k + j];
            }
            for (int j = 0; j < k; j++) {
                g[b * k + j] = (Math.exp(rows[b][j]) * mass - y[b * k + j]) / batch;
            }
        }
        return g;
    }

    /** ∂L/∂y. */
    public static double[] targetGradient(double[] z, int batch) {
        double[][] rows = logSoftmax(z, batch);
        int k = z.length / batch;
        double[] g = new double[z.length];
        for (int b = 0; b < batch; b++) {
            for (int j = 0; j < k; j++) {
                g[b * k + j] = -rows[b][j] / batch;
            }
        }
        return g;
    }

    private static double[][] logSoftmax(double[] z, int batch) {
        int k = z.length / batch;
        double[][] out = new double[batch][k];
        for (int b = 0; b < batch; b++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < k; j++) {
                max = Math.max(max, z[b * k + j]);
            }
            double sum = 0;
            for (int j = 0; j < k; j++) {
                sum += Math.exp(z[b * k + j] - max);
            }
            for (int j = 0; j < k; j++) {
                out[b][j] = z[b * k + j] - max - Math.log(sum);
            }
        }
        return out;
    }
}
