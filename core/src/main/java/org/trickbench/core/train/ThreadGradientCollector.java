package org.trickbench.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;

/**
 * A gradient collector for the calling thread only. DJL 0.36's {@code PtGradientCollector} allows one
 * collector per process (a static flag), so two trainings on two threads fail; libtorch itself keeps
 * the autograd switch per thread and runs backward passes of separate graphs concurrently. This one
 * does what DJL's does (autograd on while open, restored on close, backward from a gradient of ones)
 * without the process-wide flag.
 */
public final class ThreadGradientCollector implements GradientCollector {
    private final boolean wasRecording;

    public ThreadGradientCollector() {
        wasRecording = JniUtils.isGradMode();
        JniUtils.setGradMode(true);
    }

    @Override
    public void backward(NDArray target) {
        NDArray ones = target.onesLike();
        JniUtils.backward((PtNDArray) target, (PtNDArray) ones, false, false);
    }

    /** Not offered: DJL's zeroes every array of the process, another training's included; zero your own. */
    @Override
    public void zeroGradients() {
        throw new UnsupportedOperationException("zero the gradients of the arrays this training owns");
    }

    @Override
    public void close() {
        if (!wasRecording) {
            JniUtils.setGradMode(false);
        }
    }
}
