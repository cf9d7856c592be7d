package org.trickbench.harness.matrix;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.trickbench.core.train.Protocol;
import org.trickbench.core.train.ProtocolPreset;

/**
 * The {@code protocol:} section of a matrix file: a named preset to start from ({@code preset}, default
 * {@code nb201}: NAS-Bench-201's protocol; {@code darts-eval}, {@code darts-search}), and any field to
 * override on it; a field left out keeps the preset's value. Epochs are not here: they belong to the
 * fidelity. {@code grad-clip} clips the global gradient norm (0: off) and {@code schedule} is {@code cosine},
 * {@code cosine-epoch} or {@code sgdr:t0=T0,tmult=M}. The fields added after the first version are left out of
 * the stored definition when not set, so that the definitions of older matrices read the same.
 */
public record ProtocolOverrides(Double learningRate, Double minLearningRate, Double momentum, Boolean nesterov,
        Double weightDecay, Integer batchSize, Integer cropPadding, Boolean horizontalFlip, Double labelSmoothing,
        @JsonInclude(JsonInclude.Include.NON_NULL) String preset,
        @JsonInclude(JsonInclude.Include.NON_NULL) Double gradClip,
        @JsonInclude(JsonInclude.Include.NON_NULL) String schedule) {

    public static ProtocolOverrides none() {
        return new ProtocolOverrides(null, null, null, null, null, null, null, null, null, null, null, null);
    }

    /** The protocol this section describes: its preset with its overrides applied. */
    public Protocol resolve() {
        return apply((preset == null ? ProtocolPreset.NB201 : ProtocolPreset.of(preset)).protocol());
    }

    /** The overrides applied to {@code base}, whatever preset this section names. */
    public Protocol apply(Protocol base) {
        return new Protocol(
                or(learningRate, base.learningRate()),
                or(minLearningRate, base.minLearningRate()),
                or(momentum, base.momentum()),
                or(nesterov, base.nesterov()),
                or(weightDecay, base.weightDecay()),
                or(batchSize, base.batchSize()),
                base.epochs(),
                or(schedule, base.schedule()),
                or(cropPadding, base.cropPadding()),
                or(horizontalFlip, base.horizontalFlip()),
                or(labelSmoothing, base.labelSmoothing()),
                or(gradClip, base.gradClip()));
    }

    private static <T> T or(T value, T fallback) {
        return value == null ? fallback : value;
    }
}
