package org.trickbench.core.device;

import ai.djl.engine.Engine;
import ai.djl.util.Platform;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the process trains on: engine, libtorch version and flavour as DJL reports them, GPUs, and the
 * libtorch install behind them ({@link LibtorchInstall#describe()}: DJL is told 2.7.1 whatever torch it
 * really loads, so the real version is recorded beside it). Recorded with every run.
 */
public record Runtime(String engine, String djlVersion, String libtorchVersion, String flavor, int gpuCount,
        Map<String, String> install) {

    public Runtime {
        install = Collections.unmodifiableMap(new LinkedHashMap<>(install));
    }

    public static Runtime describe() {
        Map<String, String> install = LibtorchInstall.currentDescription();
        Engine engine = Engine.getInstance();
        String flavor;
        if (!"bundled".equals(install.getOrDefault("libtorch_source", "bundled")) && install.containsKey("djl_flavor")) {
            // Platform reads the jar's bundled properties, not the libtorch DJL was pointed at.
            flavor = install.get("djl_flavor");
        } else {
            try {
                flavor = Platform.detectPlatform("pytorch").getFlavor();
            } catch (RuntimeException e) {
                flavor = "unknown";
            }
        }
        return new Runtime(engine.getEngineName(), Engine.getDjlVersion(), engine.getVersion(), flavor,
                engine.getGpuCount(), install);
    }

    public Map<String, String> asMap() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("engine", engine);
        m.put("djl", djlVersion);
        m.put("libtorch", libtorchVersion);
        m.put("libtorch_flavor", flavor);
        m.put("gpu_count", Integer.toString(gpuCount));
        m.putAll(install);
        return m;
    }
}
