package org.trickbench.harness.cli;

import java.util.Map;
import org.trickbench.core.device.LibtorchInstall;
import picocli.CommandLine.Option;

/**
 * {@code --libtorch bundled|python|DIR}: shared by every command that starts DJL's engine, and applied
 * first in each, since DJL reads where libtorch is only once, when its engine starts.
 */
public final class LibtorchOption {
    @Option(names = "--libtorch", paramLabel = "bundled|python|DIR", description = {
        "Which libtorch DJL loads (default: $" + LibtorchInstall.ENV_SPEC + ", else bundled). bundled: the jar's own"
                + " libtorch " + LibtorchInstall.DJL_TORCH_VERSION + " CPU build. python: the torch package that python3"
                + " (or $" + LibtorchInstall.ENV_PYTHON + ") finds, e.g. a CUDA torch from pip. DIR: a torch package"
                + " folder (site-packages/torch, with version.py and lib/), its lib/ folder, or a libtorch distribution"
                + " (lib/ and build-version).",
        "DJL " + LibtorchInstall.DJL_VERSION + " is built for libtorch " + LibtorchInstall.DJL_TORCH_VERSION + "; any"
                + " other torch needs a JNI built for it once, by " + LibtorchInstall.BUILD_SCRIPT + " --torch DIR"
                + " --djl-src <DJL checkout at tag v" + LibtorchInstall.DJL_VERSION + ">, which installs it as"
                + " $" + LibtorchInstall.ENV_JNI_HOME + "/torch-<version>/pytorch/" + LibtorchInstall.DJL_TORCH_VERSION
                + "-<cpu|cu128>-" + LibtorchInstall.CLASSIFIER + "/0.36.0-libdjl_torch.so ($"
                + LibtorchInstall.ENV_JNI_HOME + " defaults to ~/.trickbench/jni). Before the engine starts, the torch's"
                + " version (read from its files), libtorch.so, a CUDA build's libtorch_cuda.so and CUDA runtime"
                + " (libcudart, libcublas, libcudnn) and the JNI are checked; anything missing exits 2 naming it and"
                + " the fix. The torch's real version and the JNI are recorded with every run."})
    String libtorch;

    /** The spec: the option, else {@code $TRICKBENCH_LIBTORCH}, else {@code bundled}. */
    String spec(Map<String, String> env) {
        if (libtorch != null && !libtorch.isBlank()) {
            return libtorch.trim();
        }
        String fromEnv = env.get(LibtorchInstall.ENV_SPEC);
        return fromEnv != null && !fromEnv.isBlank() ? fromEnv.trim() : "bundled";
    }

    /** Resolves, checks and applies the libtorch; call before anything touches DJL. */
    LibtorchInstall apply() {
        LibtorchInstall.Host host = LibtorchInstall.Host.system();
        LibtorchInstall install = LibtorchInstall.resolve(spec(host.env()), host);
        LibtorchInstall.apply(install, host);
        return install;
    }
}
