package org.trickbench.harness.perf;

import java.util.Arrays;

/**
 * Step times of one training loop after its warm-up: the median and 90th percentile of the per-step
 * wall times, and throughput over all measured steps (images ÷ their summed time).
 *
 * @param steps measured steps
 * @param medianMillis median step time, ms
 * @param p90Millis 90th percentile of the step times (nearest rank), ms
 * @param imagesPerSecond batch × steps ÷ the steps' summed time
 */
public record StepStats(int steps, double medianMillis, double p90Millis, double imagesPerSecond) {

    public static StepStats of(long[] stepNanos, int batch) {
        if (stepNanos.length == 0) {
            throw new IllegalArgumentException("no steps were measured");
        }
        long[] sorted = stepNanos.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
        long p90 = sorted[Math.max(0, (int) Math.ceil(0.9 * n) - 1)];
        long total = Arrays.stream(sorted).sum();
        return new StepStats(n, median / 1e6, p90 / 1e6, (double) batch * n / (total / 1e9));
    }
}
