package org.trickbench.harness.runner;

import ai.djl.Device;
import ai.djl.pytorch.jni.JniUtils;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.trickbench.core.device.Determinism;
import org.trickbench.core.device.Runtime;

/**
 * What a run ran on, recorded beside it: code version, Java, DJL, libtorch and its flavour, device, OS,
 * intra-op threads and libtorch's determinism switches.
 */
public final class Environment {
    private Environment() {}

    /** The environment with libtorch's determinism switches as they stand. */
    public static Map<String, String> collect(Device device) {
        return collect(device, Determinism.current());
    }

    /** The environment, with the outcome of setting libtorch's determinism switches. */
    public static Map<String, String> collect(Device device, Determinism.Outcome determinism) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("code_version", codeVersion());
        env.put("java", System.getProperty("java.vendor") + " " + System.getProperty("java.version"));
        Runtime runtime = Runtime.describe();
        env.putAll(runtime.asMap());
        env.put("device", deviceName(device));
        env.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        env.put("cpus", Integer.toString(java.lang.Runtime.getRuntime().availableProcessors()));
        env.put("host", host());
        env.put("intra_op_threads", Integer.toString(JniUtils.getNumThreads()));
        env.put("deterministic", determinismSummary(device, determinism));
        env.putAll(determinism.asMap());
        return env;
    }

    /** One line on how reproducible the runs are: seeded CPU training is; GPU training only as far as libtorch allows. */
    static String determinismSummary(Device device, Determinism.Outcome determinism) {
        if (!device.isGpu()) {
            return determinism.requested() && determinism.flags().isPresent()
                    ? "yes (CPU, seeded; deterministic algorithms on)" : "yes (CPU, seeded)";
        }
        if (!determinism.requested()) {
            return "not guaranteed on GPU (deterministic mode off)";
        }
        if (determinism.flags().isEmpty()) {
            return "not guaranteed on GPU: " + determinism.warning();
        }
        return System.getenv(Determinism.CUBLAS_WORKSPACE_CONFIG) == null
                ? "not guaranteed on GPU: deterministic cuDNN and algorithms on, but " + Determinism.CUBLAS_WORKSPACE_CONFIG
                        + " is unset (start through the bench launcher), so cuBLAS may vary"
                : "as far as libtorch allows on GPU: deterministic cuDNN and algorithms (warn only), cuBLAS workspace fixed";
    }

    /** {@code cpu} or {@code gpu:N}, as printed and stored. */
    public static String deviceName(Device device) {
        return device.isGpu() ? "gpu:" + device.getDeviceId() : "cpu";
    }

    /** The project version from the jar, plus the git commit when run from a checkout. */
    public static String codeVersion() {
        String version = "unknown";
        try (InputStream in = Environment.class.getClassLoader().getResourceAsStream("trickbench-version.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                version = p.getProperty("version", version);
            }
        } catch (IOException e) {
            // The version stays "unknown": the run is still valid, only less traceable.
        }
        String commit = gitCommit();
        return commit == null ? version : version + "+" + commit;
    }

    private static String gitCommit() {
        try {
            Process p = new ProcessBuilder("git", "describe", "--always", "--dirty", "--abbrev=12")
                    .redirectErrorStream(true).start();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.exitValue() == 0 && !out.isEmpty() ? out : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** This machine's host name, as recorded with runs and used to recognise this host's dead owners. */
    public static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
