package org.trickbench.core.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trickbench.core.UserInputException;

/**
 * {@code --libtorch} checks on fake torch installs (empty files where libraries would be): each missing
 * piece is named with its fix, and what DJL is told is derived from the torch's own files. Nothing here
 * starts DJL's engine.
 */
class LibtorchInstallTest {
    private static final String CPU_VERSION_PY = "from typing import Optional\n\n__all__ = ['__version__', 'cuda']\n"
            + "__version__ = '2.11.0+cpu'\ndebug = False\ncuda = None\ngit_version = 'abc'\nhip: Optional[str] = None\n";
    private static final String CUDA_VERSION_PY = "from typing import Optional\n\n__version__ = '2.11.0+cu130'\n"
            + "debug = False\ncuda: Optional[str] = '13.0'\ngit_version = 'abc'\nhip: Optional[str] = None\n";

    @TempDir
    Path tmp;

    /** ldd, ldconfig and python answers by program name; an absent one is "not installed". */
    private final Map<String, LibtorchInstall.Output> answers = new HashMap<>();
    private final Map<String, String> env = new HashMap<>();
    private Path classpathDir;
    private Optional<Path> loaded = Optional.empty();

    private LibtorchInstall.Host host() throws IOException {
        if (classpathDir == null) {
            classpathDir = Files.createDirectories(tmp.resolve("classpath"));
        }
        ClassLoader cp = new URLClassLoader(new URL[] {classpathDir.toUri().toURL()}, null);
        return new LibtorchInstall.Host(env, tmp.resolve("home"), tmp.resolve("no-cuda-toolkit"), command -> {
            if (command.get(0).contains("/")) {
                return LibtorchInstall.runCommand(command); // a fake interpreter script
            }
            return Optional.ofNullable(answers.get(command.get(0)));
        }, cp, () -> loaded);
    }

    private LibtorchInstall resolve(Object spec) throws IOException {
        return LibtorchInstall.resolve(spec.toString(), host());
    }

    private UserInputException failure(Object spec) {
        return assertThrows(UserInputException.class, () -> resolve(spec));
    }

    private static Path touch(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        if (!Files.exists(file)) {
            Files.createFile(file);
        }
        return file;
    }

    /** site-packages/torch with version.py and lib/libtorch.so (and libtorch_cuda.so for a CUDA build). */
    private Path torch(String versionPy, boolean cudaLib) throws IOException {
        Path torch = tmp.resolve("venv/lib/python3.12/site-packages/torch");
        Files.createDirectories(torch.resolve("lib"));
        Files.writeString(torch.resolve("version.py"), versionPy);
        touch(torch.resolve("lib/libtorch.so"));
        touch(torch.resolve("lib/libtorch_cpu.so"));
        if (cudaLib) {
            touch(torch.resolve("lib/libtorch_cuda.so"));
        }
        return torch;
    }

    /** pip's nvidia-* wheels beside torch. */
    private Path nvidiaWheels(Path torch) throws IOException {
        Path nvidia = torch.getParent().resolve("nvidia");
        touch(nvidia.resolve("cuda_runtime/lib/libcudart.so.13"));
        touch(nvidia.resolve("cublas/lib/libcublas.so.13"));
        touch(nvidia.resolve("cudnn/lib/libcudnn.so.9"));
        return nvidia;
    }

    private Path builtJni(String version, String flavor, String builtFor) throws IOException {
        Path jni = touch(LibtorchInstall.jniFile(host(), version, flavor));
        Files.writeString(LibtorchInstall.jniDir(host(), version).resolve("build-info.properties"),
                "torch_version=" + builtFor + "\ncuda=none\ndjl_source=v0.36.0\n");
        return jni;
    }

    private void bundledNativeOnClasspath() throws IOException {
        classpathDir = Files.createDirectories(tmp.resolve("classpath"));
        Path p = touch(classpathDir.resolve(LibtorchInstall.BUNDLED_NATIVE_RESOURCE));
        Files.writeString(p, "version=2.7.1-20250812\nflavor=cpu\nclassifier=linux-x86_64\n");
    }

    @Test
    void aCpuTorchWithItsJniBuiltResolvesToItsRealVersionAndTheLayout() throws IOException {
        Path torch = torch(CPU_VERSION_PY, false);
        Path jni = builtJni("2.11.0+cpu", "cpu", "2.11.0+cpu");

        LibtorchInstall install = resolve(torch);

        assertEquals(LibtorchInstall.Source.DIR, install.source());
        assertEquals("2.11.0+cpu", install.torchVersion());
        assertTrue(install.cuda().isEmpty());
        assertEquals("cpu", install.flavor());
        assertEquals(jni.toString(), install.jni());
        assertEquals(tmp.resolve("home/.trickbench/jni/torch-2.11.0+cpu"), install.engineCacheDir().orElseThrow());
        Map<String, String> d = install.describe();
        assertEquals("dir", d.get("libtorch_source"));
        assertEquals("2.11.0+cpu", d.get("torch_version"));
        assertEquals("none", d.get("torch_cuda"));
        assertEquals(torch.resolve("lib").toString(), d.get("torch_lib"));
        assertEquals(jni.toString(), d.get("jni"));
        assertEquals("2.7.1", d.get("djl_told_version"));
        assertEquals("cpu", d.get("djl_flavor"));
        assertEquals("torch 2.11.0+cpu from " + torch.resolve("lib") + " (JNI " + jni + ")", install.summary());
    }

    @Test
    void theLibFolderTheSitePackagesFolderAndTrickbenchJniHomeAreAcceptedToo() throws IOException {
        Path torch = torch(CPU_VERSION_PY, false);
        env.put(LibtorchInstall.ENV_JNI_HOME, tmp.resolve("jnis").toString());
        Path jni = builtJni("2.11.0+cpu", "cpu", "2.11.0+cpu");
        assertTrue(jni.startsWith(tmp.resolve("jnis/torch-2.11.0+cpu/pytorch/2.7.1-cpu-linux-x86_64")), jni.toString());

        assertEquals(torch.resolve("lib"), resolve(torch.resolve("lib")).torchLib().orElseThrow());
        assertEquals(torch.resolve("lib"), resolve(torch.getParent()).torchLib().orElseThrow());
    }

    @Test
    void aCudaTorchWithNvidiaWheelsAndItsJniSetsWhatDjlReads() throws IOException {
        Path torch = torch(CUDA_VERSION_PY, true);
        Path nvidia = nvidiaWheels(torch);
        Path jni = builtJni("2.11.0+cu130", "cu128", "2.11.0+cu130");
        answers.put("ldd", new LibtorchInstall.Output(0, "\tlibcudart.so.13 => " + nvidia + "/cuda_runtime/lib/libcudart.so.13\n", ""));

        LibtorchInstall install = resolve(torch);

        assertEquals("13.0", install.cuda().orElseThrow());
        assertEquals("cu128", install.flavor());
        assertEquals(jni.toString(), install.jni());
        assertEquals(nvidia.resolve("cuda_runtime/lib"), install.cudartDir().orElseThrow());
        Properties props = new Properties();
        props.setProperty("jna.library.path", "/opt/other");
        install.applyTo(props, host());
        assertEquals(torch.resolve("lib").toString(), props.getProperty("PYTORCH_LIBRARY_PATH"));
        assertEquals("2.7.1", props.getProperty("PYTORCH_VERSION"));
        assertEquals("cu128", props.getProperty("PYTORCH_FLAVOR"));
        assertEquals(tmp.resolve("home/.trickbench/jni/torch-2.11.0+cu130").toString(), props.getProperty("ENGINE_CACHE_DIR"));
        assertEquals(nvidia.resolve("cuda_runtime/lib") + File.pathSeparator + "/opt/other",
                props.getProperty("jna.library.path"));
        install.applyTo(props, host()); // the same again: no second copy of the folder
        assertEquals(nvidia.resolve("cuda_runtime/lib") + File.pathSeparator + "/opt/other",
                props.getProperty("jna.library.path"));
        assertEquals("13.0", install.describe().get("torch_cuda"));
    }

    @Test
    void theCudaRuntimeIsAlsoFoundThroughLdLibraryPathAndLdconfig() throws IOException {
        Path torch = torch(CUDA_VERSION_PY, true);
        builtJni("2.11.0+cu130", "cu128", "2.11.0+cu130");
        Path cudart = touch(tmp.resolve("cuda/lib64/libcudart.so.13.0.48")).getParent();
        env.put("LD_LIBRARY_PATH", "/nonexistent:" + cudart);
        answers.put("ldconfig", new LibtorchInstall.Output(0, "2 libs found in cache `/etc/ld.so.cache'\n"
                + "\tlibcublas.so.13 (libc6,x86-64) => /usr/lib/x86_64-linux-gnu/libcublas.so.13\n"
                + "\tlibcudnn.so.9 (libc6,x86-64) => /usr/lib/x86_64-linux-gnu/libcudnn.so.9\n", ""));

        LibtorchInstall install = resolve(torch);

        assertEquals(cudart, install.cudartDir().orElseThrow());
    }

    @Test
    void noTorchAtTheFolderNamesTheLayoutsAndPipInstallTorch() throws IOException {
        UserInputException e = failure(Files.createDirectories(tmp.resolve("empty")));
        assertTrue(e.getMessage().contains("not a torch install"), e.getMessage());
        assertTrue(e.getMessage().contains("pip install torch"), e.getMessage());
        e = failure(tmp.resolve("missing"));
        assertTrue(e.getMessage().contains("no such folder"), e.getMessage());
    }

    @Test
    void noLibtorchSoInLibIsNamed() throws IOException {
        Path torch = torch(CPU_VERSION_PY, false);
        Files.delete(torch.resolve("lib/libtorch.so"));
        UserInputException e = failure(torch);
        assertTrue(e.getMessage().contains("no libtorch.so in " + torch.resolve("lib")), e.getMessage());
        assertTrue(e.getMessage().contains("pip install --force-reinstall torch"), e.getMessage());
    }

    @Test
    void aCudaBuildWithoutLibtorchCudaIsNamedWithTheReinstallCommand() throws IOException {
        Path torch = torch(CUDA_VERSION_PY, false);
        UserInputException e = failure(torch);
        assertTrue(e.getMessage().contains("CUDA 13.0 build but " + torch.resolve("lib") + "/libtorch_cuda.so is missing"),
                e.getMessage());
        assertTrue(e.getMessage().contains("`pip install --force-reinstall torch==2.11.0+cu130`"), e.getMessage());
    }

    @Test
    void missingCudaRuntimeLibrariesAreNamedOneByOne() throws IOException {
        Path torch = torch(CUDA_VERSION_PY, true);
        UserInputException e = failure(torch);
        for (String lib : List.of("libcudart.so.*", "libcublas.so.*", "libcudnn.so.*")) {
            assertTrue(e.getMessage().contains(lib), e.getMessage());
        }
        assertTrue(e.getMessage().contains("pip install --force-reinstall torch==2.11.0+cu130"), e.getMessage());

        Path nvidia = nvidiaWheels(torch);
        Files.delete(nvidia.resolve("cudnn/lib/libcudnn.so.9"));
        e = failure(torch);
        assertTrue(e.getMessage().contains("needs libcudnn.so.*, found in none of"), e.getMessage());
        assertFalse(e.getMessage().contains("libcudart"), e.getMessage());
    }

    @Test
    void librariesLddCannotFindAreNamedWithTheExportLine() throws IOException {
        Path torch = torch(CUDA_VERSION_PY, true);
        Path nvidia = nvidiaWheels(torch);
        builtJni("2.11.0+cu130", "cu128", "2.11.0+cu130");
        answers.put("ldd", new LibtorchInstall.Output(0, "\tlinux-vdso.so.1 (0x00007ffd)\n"
                + "\tlibcudnn_graph.so.9 => not found\n\tlibnvrtc.so.13 => not found\n"
                + "\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f)\n", ""));

        UserInputException e = failure(torch);

        assertTrue(e.getMessage().contains("libtorch_cuda.so cannot be loaded, `ldd` finds no libcudnn_graph.so.9,"
                + " libnvrtc.so.13"), e.getMessage());
        assertTrue(e.getMessage().contains("export LD_LIBRARY_PATH=" + nvidia.resolve("cublas/lib") + ":"
                + nvidia.resolve("cuda_runtime/lib") + ":" + nvidia.resolve("cudnn/lib")), e.getMessage());
        assertFalse(e.getMessage().contains("libc.so.6"), e.getMessage());
    }

    @Test
    void noJniForTheTorchNamesTheExpectedFileAndTheBuildScript() throws IOException {
        Path torch = torch(CUDA_VERSION_PY, true);
        nvidiaWheels(torch);
        UserInputException e = failure(torch);
        assertTrue(e.getMessage().contains("no JNI built for torch 2.11.0+cu130"), e.getMessage());
        assertTrue(e.getMessage().contains(LibtorchInstall.jniFile(host(), "2.11.0+cu130", "cu128").toString()),
                e.getMessage());
        assertTrue(e.getMessage().contains("scripts/gpu/build-jni.sh --torch " + torch
                + " --djl-src <DJL checkout at tag v0.36.0>"), e.getMessage());
    }

    @Test
    void aJniBuiltForAnotherTorchIsStaleAndOneWithoutBuildInfoIncomplete() throws IOException {
        Path torch = torch(CPU_VERSION_PY, false);
        builtJni("2.11.0+cpu", "cpu", "2.10.0+cpu");
        UserInputException e = failure(torch);
        assertTrue(e.getMessage().contains("was built for torch '2.10.0+cpu'"), e.getMessage());
        assertTrue(e.getMessage().contains("not 2.11.0+cpu (stale); rebuild it: scripts/gpu/build-jni.sh --torch"),
                e.getMessage());

        Files.delete(LibtorchInstall.jniDir(host(), "2.11.0+cpu").resolve("build-info.properties"));
        e = failure(torch);
        assertTrue(e.getMessage().contains("build-info.properties beside it (an incomplete build)"), e.getMessage());
    }

    @Test
    void torch271Cu128NeedsNoBuildWhenDjlsOwnJniIsOnTheClasspath() throws IOException {
        Path torch = torch(CUDA_VERSION_PY.replace("2.11.0+cu130", "2.7.1+cu128").replace("'13.0'", "'12.8'"), true);
        Path nvidia = torch.getParent().resolve("nvidia");
        touch(nvidia.resolve("cuda_runtime/lib/libcudart.so.12"));
        touch(nvidia.resolve("cublas/lib/libcublas.so.12"));
        touch(nvidia.resolve("cudnn/lib/libcudnn.so.9"));
        assertTrue(failure(torch).getMessage().contains("build it:"), "without DJL's JNI a build is asked for");

        classpathDir = Files.createDirectories(tmp.resolve("classpath"));
        touch(classpathDir.resolve("jnilib/linux-x86_64/cu128/libdjl_torch.so"));
        LibtorchInstall install = resolve(torch);

        assertEquals("jar:jnilib/linux-x86_64/cu128/libdjl_torch.so", install.jni());
        assertTrue(install.engineCacheDir().isEmpty());
        Properties props = new Properties();
        install.applyTo(props, host());
        assertNull(props.getProperty("ENGINE_CACHE_DIR"), "DJL extracts its own JNI into its own cache");
        assertEquals("cu128", props.getProperty("PYTORCH_FLAVOR"));
    }

    @Test
    void torch271ForAnotherCudaStillNeedsABuild() throws IOException {
        Path torch = torch(CUDA_VERSION_PY.replace("2.11.0+cu130", "2.7.1+cu126").replace("'13.0'", "'12.6'"), true);
        nvidiaWheels(torch);
        touch(Files.createDirectories(tmp.resolve("classpath")).resolve("jnilib/linux-x86_64/cu128/libdjl_torch.so"));
        classpathDir = tmp.resolve("classpath");
        assertTrue(failure(torch).getMessage().contains("no JNI built for torch 2.7.1+cu126"));
    }

    @Test
    void aLibtorchDistributionReadsBuildVersion() throws IOException {
        Path root = tmp.resolve("libtorch");
        touch(root.resolve("lib/libtorch.so"));
        touch(root.resolve("lib/libtorch_cuda.so"));
        Files.writeString(root.resolve("build-version"), "2.7.1+cu128\n");
        touch(root.resolve("lib/libcudart.so.12"));
        touch(root.resolve("lib/libcublas.so.12"));
        touch(root.resolve("lib/libcudnn.so.9"));
        classpathDir = Files.createDirectories(tmp.resolve("classpath"));
        touch(classpathDir.resolve("jnilib/linux-x86_64/cu128/libdjl_torch.so"));

        LibtorchInstall install = resolve(root);

        assertEquals("2.7.1+cu128", install.torchVersion());
        assertEquals("12.8", install.cuda().orElseThrow());
        assertEquals(root.resolve("lib"), install.cudartDir().orElseThrow());
    }

    @Test
    void pythonAsksTheInterpreterWhereTorchIsWithoutImportingIt() throws IOException {
        Path torch = torch(CPU_VERSION_PY, false);
        builtJni("2.11.0+cpu", "cpu", "2.11.0+cpu");
        Path python = script("python", "case \"$2\" in *find_spec*) echo " + torch + ";; *) exit 9;; esac");
        env.put(LibtorchInstall.ENV_PYTHON, python.toString());

        LibtorchInstall install = resolve("python");

        assertEquals(LibtorchInstall.Source.PYTHON, install.source());
        assertEquals("python", install.describe().get("libtorch_source"));
        assertEquals(torch.resolve("lib"), install.torchLib().orElseThrow());
    }

    @Test
    void pythonWithoutTorchOrWithoutAnInterpreterSaysHowToInstall() throws IOException {
        env.put(LibtorchInstall.ENV_PYTHON, script("python", "echo").toString());
        UserInputException e = failure("python");
        assertTrue(e.getMessage().contains("finds no torch package; run `" + tmp.resolve("python")
                + " -m pip install torch`"), e.getMessage());

        env.put(LibtorchInstall.ENV_PYTHON, script("broken", "echo 'SyntaxError: bad' >&2; exit 1").toString());
        e = failure("python");
        assertTrue(e.getMessage().contains("failed (exit 1): SyntaxError: bad"), e.getMessage());

        env.put(LibtorchInstall.ENV_PYTHON, tmp.resolve("no-such-python").toString());
        e = failure("python");
        assertTrue(e.getMessage().contains("cannot run " + tmp.resolve("no-such-python") + "; set TRICKBENCH_PYTHON"),
                e.getMessage());
    }

    private Path script(String name, String body) throws IOException {
        Path p = tmp.resolve(name);
        Files.writeString(p, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    @Test
    void theSlimJarAsksForALibtorch() throws IOException {
        UserInputException e = failure("bundled");
        assertEquals("this jar carries no libtorch; pass --libtorch DIR|python (a torch install: `pip install torch`,"
                + " then --libtorch python)", e.getMessage());

        bundledNativeOnClasspath();
        LibtorchInstall install = resolve("bundled");
        assertEquals("2.7.1", install.torchVersion());
        assertEquals("bundled", install.describe().get("libtorch_source"));
        assertEquals("jar:jnilib/linux-x86_64/cpu/libdjl_torch.so", install.jni());
        Properties props = new Properties();
        install.applyTo(props, host());
        assertTrue(props.isEmpty(), props.toString());
    }

    @Test
    void djlsOwnVariablesInTheShellWouldOverrideTheChoiceAndAreRefused() throws IOException {
        bundledNativeOnClasspath();
        env.put("PYTORCH_LIBRARY_PATH", "/opt/libtorch/lib");
        UserInputException e = failure("bundled");
        assertTrue(e.getMessage().contains("PYTORCH_LIBRARY_PATH=/opt/libtorch/lib"), e.getMessage());
        assertTrue(e.getMessage().contains("`unset PYTORCH_LIBRARY_PATH`"), e.getMessage());

        env.clear();
        env.put("ENGINE_CACHE_DIR", "/var/cache/djl");
        e = failure(torch(CPU_VERSION_PY, false));
        assertTrue(e.getMessage().contains("`unset ENGINE_CACHE_DIR`"), e.getMessage());
    }

    @Test
    void applyingIsRefusedOnceTheEngineLoadedAnotherLibtorch() throws IOException {
        Path torch = torch(CPU_VERSION_PY, false);
        builtJni("2.11.0+cpu", "cpu", "2.11.0+cpu");
        LibtorchInstall install = resolve(torch);
        loaded = Optional.of(tmp.resolve("home/.djl.ai/pytorch/2.7.1-cpu-linux-x86_64"));
        Properties props = new Properties();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> install.applyTo(props, host()));
        assertTrue(e.getMessage().contains("already loaded libtorch from"), e.getMessage());
        assertTrue(props.isEmpty(), "nothing set after the refusal");

        loaded = Optional.of(torch.resolve("lib"));
        install.applyTo(props, host());
        assertEquals(torch.resolve("lib").toString(), props.getProperty("PYTORCH_LIBRARY_PATH"));
    }

    @Test
    void theProcessWideApplyIsIdempotentAndRefusesASwitch() throws IOException {
        // The real class path carries the bundled libtorch; applying it sets no property.
        LibtorchInstall bundled = LibtorchInstall.resolve("bundled", LibtorchInstall.Host.system());
        LibtorchInstall.apply(bundled, LibtorchInstall.Host.system());
        LibtorchInstall.apply(LibtorchInstall.resolve("bundled", LibtorchInstall.Host.system()),
                LibtorchInstall.Host.system());
        assertEquals(bundled, LibtorchInstall.applied().orElseThrow());

        Path torch = torch(CPU_VERSION_PY, false);
        builtJni("2.11.0+cpu", "cpu", "2.11.0+cpu");
        LibtorchInstall other = resolve(torch);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> LibtorchInstall.apply(other, LibtorchInstall.Host.system()));
        assertTrue(e.getMessage().contains("is already in use in this process"), e.getMessage());
        assertNull(System.getProperty("PYTORCH_LIBRARY_PATH"));
    }
}
