package org.trickbench.core.device;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.util.Locale;
import org.trickbench.core.UserInputException;

/** {@code --device auto|cpu|gpu}: auto takes the first GPU DJL sees, else the CPU. */
public enum DeviceChoice {
    AUTO,
    CPU,
    GPU;

    public static DeviceChoice parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new UserInputException("--device '" + text + "' is not allowed; allowed: auto, cpu, gpu");
        }
    }

    public Device resolve() {
        return resolve(Engine.getInstance().getGpuCount());
    }

    Device resolve(int gpuCount) {
        return switch (this) {
            case CPU -> Device.cpu();
            case GPU -> {
                if (gpuCount == 0) {
                    throw new UserInputException("--device gpu: DJL sees no GPU on this machine (libtorch flavour "
                            + Runtime.describe().flavor() + "); use --device cpu or auto, or point bench at a CUDA torch with"
                            + " --libtorch python|DIR (see README, 'GPU')");
                }
                yield Device.gpu(0);
            }
            case AUTO -> gpuCount > 0 ? Device.gpu(0) : Device.cpu();
        };
    }
}
