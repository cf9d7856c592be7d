package org.trickbench.core.device;

import ai.djl.engine.Engine;
import ai.djl.util.Platform;
import java.util.LinkedHashMap;
import java.util.Map;

/** What the process trains on: engine, libtorch version and flavour, GPUs. Recorded with every run. */
public record Runtime(String engine, String djlVersion, String libtorchVersion, String flavor, int gpuCount) {

    public static Runtime describe() {
        Engine engine = Engine.getInstance();
        String flavor;
        try {
            flavor = Platform.detectPlatform("pytorch").getFlavor();
        } catch (RuntimeException e) {
            flavor = "unknown";
        }
        return new Runtime(engine.getEngineName(), Engine.getDjlVersion(), engine.getVersion(), flavor,
                engine.getGpuCount());
    }

    public Map<String, String> asMap() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("engine", engine);
        m.put("djl", djlVersion);
        m.put("libtorch", libtorchVersion);
        m.put("libtorch_flavor", flavor);
        m.put("gpu_count", Integer.toString(gpuCount));
        return m;
    }
}
