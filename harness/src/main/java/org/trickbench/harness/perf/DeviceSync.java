package org.trickbench.harness.perf;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Waits until the device has finished the work queued so far, so that a step's wall time is the
 * device's time for it. CPU operations in libtorch run before they return: nothing to wait for. On a
 * GPU a copy to the host waits for the stream every operation runs on. Only the timing loops call
 * this; training never does.
 */
final class DeviceSync implements AutoCloseable {
    private final NDManager manager;
    private final boolean gpu;

    DeviceSync(Device device) {
        this.manager = NDManager.newBaseManager(device);
        this.gpu = device.isGpu();
    }

    void await() {
        if (gpu) {
            try (NDArray probe = manager.zeros(new Shape(1))) {
                probe.toFloatArray();
            }
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
