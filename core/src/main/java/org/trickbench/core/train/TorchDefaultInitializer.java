package org.trickbench.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.initializer.Initializer;

/**
 * PyTorch's default initialisation of convolution and linear weights, which the benchmark's networks
 * use: kaiming_uniform with a = √5, i.e. U(−1/√fan_in, 1/√fan_in), fan_in = in-channels × kernel
 * area. DJL's default (Xavier) would make our networks start elsewhere than the benchmark's.
 */
public final class TorchDefaultInitializer implements Initializer {
    @Override
    public NDArray initialize(NDManager manager, Shape shape, DataType dataType) {
        long fanIn = 1;
        for (int i = 1; i < shape.dimension(); i++) {
            fanIn *= shape.get(i);
        }
        float bound = (float) (1.0 / Math.sqrt(Math.max(1, fanIn)));
        return manager.randomUniform(-bound, bound, shape, dataType);
    }
}
