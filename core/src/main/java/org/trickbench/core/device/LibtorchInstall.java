package org.trickbench.core.device;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.trickbench.core.UserInputException;

/**
 * The libtorch DJL is to load ({@code --libtorch bundled|python|DIR}), checked before DJL's engine starts.
 *
 * <p>DJL 0.36's PyTorch engine is built for libtorch 2.7.1; pointed at another torch it loads whatever it
 * finds and fails late and obscurely (a JNI built for 2.7.1 against torch 2.11 dies with "Cannot access
 * data pointer of Tensor that doesn't have storage"; a missing cuDNN surfaces as an {@code
 * UnsatisfiedLinkError} deep in the engine). So this class reads the torch's real version from its files
 * (never importing torch, which may be broken), checks each piece DJL and the dynamic loader will need, and
 * only then sets the properties DJL reads. Every failure is one line naming the missing piece and the
 * command that fixes it.
 *
 * <p>DJL reads {@code PYTORCH_LIBRARY_PATH}, {@code PYTORCH_VERSION}, {@code PYTORCH_FLAVOR} and {@code
 * ENGINE_CACHE_DIR} as environment variables or, when no variable is set, as Java system properties
 * (DJL 0.36 {@code ai.djl.pytorch.jni.LibUtils} and {@code ai.djl.util.Utils.getEnvOrSystemProperty}). It
 * loads the JNI from {@code ENGINE_CACHE_DIR/pytorch/<PYTORCH_VERSION>-<PYTORCH_FLAVOR>-linux-x86_64/
 * 0.36.0-libdjl_torch.so} when that file exists, and otherwise extracts its own JNI for 2.7.1. A JNI for
 * another torch is built by {@code scripts/gpu/build-jni.sh} into the layout {@link #jniDir} names, so
 * DJL is told version 2.7.1 and the flavour of the JNI's folder while the real torch is recorded beside
 * every run.
 */
public final class LibtorchInstall {
    /** The libtorch version DJL 0.36's PyTorch engine is built for, and the version DJL is told. */
    public static final String DJL_TORCH_VERSION = "2.7.1";
    /** DJL's version: the prefix of the JNI file name DJL looks for. */
    public static final String DJL_VERSION = "0.36.0";
    /** The only platform the JNI layout and DJL's bundled JNI cover here. */
    public static final String CLASSIFIER = "linux-x86_64";
    /** The spec when {@code --libtorch} is absent. */
    public static final String ENV_SPEC = "TRICKBENCH_LIBTORCH";
    /** The interpreter {@code --libtorch python} asks (default {@code python3}). */
    public static final String ENV_PYTHON = "TRICKBENCH_PYTHON";
    /** Root of the JNI layout (default {@code ~/.trickbench/jni}). */
    public static final String ENV_JNI_HOME = "TRICKBENCH_JNI_HOME";
    /** The resource that marks DJL's bundled libtorch in the jar (DJL 0.36 {@code Platform.detectPlatform}). */
    public static final String BUNDLED_NATIVE_RESOURCE = "native/lib/pytorch.properties";
    /** The JNI build script and what it needs. */
    public static final String BUILD_SCRIPT = "scripts/gpu/build-jni.sh";
    static final String JNI_FILE = DJL_VERSION + "-libdjl_torch.so";
    static final String BUILD_INFO = "build-info.properties";
    /** Where DJL's own {@code 0.36.0-libdjl_torch.so} lookup in the libtorch folder would find a JNI first. */
    static final List<String> JNI_IN_LIB = List.of(JNI_FILE, "libdjl_torch.so");
    /** The variables DJL reads before the system properties this class sets. */
    static final List<String> DJL_VARIABLES = List.of("PYTORCH_LIBRARY_PATH", "PYTORCH_VERSION", "PYTORCH_FLAVOR");
    /** CUDA runtime libraries a CUDA torch links, by file-name prefix (a version follows). */
    static final List<String> CUDA_RUNTIME = List.of("libcudart.so.", "libcublas.so.", "libcudnn.so.");

    private static final String FIND_TORCH = "import importlib.util as u; s=u.find_spec('torch');"
            + " print(s.submodule_search_locations[0] if s else '')";
    private static final Pattern VERSION_LINE =
            Pattern.compile("^__version__\\s*(?::[^=]*)?=\\s*['\"]([^'\"]+)['\"]", Pattern.MULTILINE);
    private static final Pattern CUDA_LINE =
            Pattern.compile("^cuda\\s*(?::[^=]*)?=\\s*(?:['\"]([^'\"]*)['\"]|None)", Pattern.MULTILINE);
    private static final Pattern CU_SUFFIX = Pattern.compile("\\+cu(\\d+)(\\d)$");
    private static final Pattern NOT_FOUND = Pattern.compile("^\\s*(\\S+)\\s*=>\\s*not found", Pattern.MULTILINE);

    private static LibtorchInstall applied;

    /** Where the libtorch comes from. */
    public enum Source {
        /** The jar's own libtorch 2.7.1 (CPU), which DJL extracts; nothing to set. */
        BUNDLED,
        /** The torch package the Python interpreter finds. */
        PYTHON,
        /** A folder given on the command line. */
        DIR;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** What a command run printed, and how it ended. */
    public record Output(int exitCode, String stdout, String stderr) {}

    /** Runs a command; empty when it cannot be started (not installed) or does not end in time. */
    @FunctionalInterface
    public interface Commands {
        Optional<Output> run(List<String> command);
    }

    /**
     * What the checks read outside the JVM, passed so tests can use fake folders and commands.
     *
     * @param env the process environment ({@code System.getenv()})
     * @param home the user's home, under which the JNI layout lives by default
     * @param systemCudaLib the system CUDA toolkit's library folder ({@code /usr/local/cuda/lib64})
     * @param commands runs {@code python3}, {@code ldd} and {@code ldconfig}
     * @param classpath where the bundled libtorch and DJL's own JNIs are looked up as resources
     * @param loadedLibtorch the folder of the {@code libtorch.so} this process has already loaded, if any
     */
    public record Host(Map<String, String> env, Path home, Path systemCudaLib, Commands commands, ClassLoader classpath,
            Supplier<Optional<Path>> loadedLibtorch) {
        public Host {
            Objects.requireNonNull(env, "env");
            Objects.requireNonNull(home, "home");
            Objects.requireNonNull(systemCudaLib, "systemCudaLib");
            Objects.requireNonNull(commands, "commands");
            Objects.requireNonNull(classpath, "classpath");
            Objects.requireNonNull(loadedLibtorch, "loadedLibtorch");
        }

        /** This process's environment, home, commands and class path. */
        public static Host system() {
            return new Host(System.getenv(), Path.of(System.getProperty("user.home")), Path.of("/usr/local/cuda/lib64"),
                    LibtorchInstall::runCommand, LibtorchInstall.class.getClassLoader(), LibtorchInstall::mappedLibtorch);
        }
    }

    private final Source source;
    private final String torchVersion;
    private final String cuda;
    private final Path torchLib;
    private final String jni;
    private final Path engineCacheDir;
    private final String flavor;
    private final Path cudartDir;

    private LibtorchInstall(Source source, String torchVersion, String cuda, Path torchLib, String jni,
            Path engineCacheDir, String flavor, Path cudartDir) {
        this.source = source;
        this.torchVersion = torchVersion;
        this.cuda = cuda;
        this.torchLib = torchLib;
        this.jni = jni;
        this.engineCacheDir = engineCacheDir;
        this.flavor = flavor;
        this.cudartDir = cudartDir;
    }

    public Source source() {
        return source;
    }

    /** The torch's own version string ({@code 2.11.0+cu130}), not the one DJL is told. */
    public String torchVersion() {
        return torchVersion;
    }

    /** The CUDA version the torch is built for ({@code 13.0}); empty for a CPU build. */
    public Optional<String> cuda() {
        return Optional.ofNullable(cuda);
    }

    /** The folder holding {@code libtorch.so}; empty for the bundled libtorch, which DJL extracts. */
    public Optional<Path> torchLib() {
        return Optional.ofNullable(torchLib);
    }

    /** The JNI DJL will load: a file, or the resource in DJL's jar. */
    public String jni() {
        return jni;
    }

    /** The flavour DJL is told: {@code cpu} or {@code cu128}. */
    public String flavor() {
        return flavor;
    }

    /** The folder holding {@code libcudart.so.*}, which DJL's GPU detection loads through JNA. */
    public Optional<Path> cudartDir() {
        return Optional.ofNullable(cudartDir);
    }

    /** The {@code ENGINE_CACHE_DIR} DJL is told, where the JNI layout puts a built JNI. */
    public Optional<Path> engineCacheDir() {
        return Optional.ofNullable(engineCacheDir);
    }

    /** The JNI layout root: {@code $TRICKBENCH_JNI_HOME}, else {@code ~/.trickbench/jni}. */
    public static Path jniHome(Host host) {
        String v = host.env().get(ENV_JNI_HOME);
        return v != null && !v.isBlank() ? Path.of(v) : host.home().resolve(".trickbench").resolve("jni");
    }

    /** The layout folder of a built JNI for torch {@code version}: DJL's {@code ENGINE_CACHE_DIR}. */
    public static Path jniDir(Host host, String version) {
        return jniHome(host).resolve("torch-" + version);
    }

    /** Where the JNI built for torch {@code version} and flavour {@code flavor} lies in the layout. */
    public static Path jniFile(Host host, String version, String flavor) {
        return jniDir(host, version).resolve("pytorch").resolve(DJL_TORCH_VERSION + "-" + flavor + "-" + CLASSIFIER)
                .resolve(JNI_FILE);
    }

    /**
     * Resolves and checks {@code spec} ({@code bundled}, {@code python} or a folder).
     *
     * @throws UserInputException naming the missing piece and the command that fixes it
     */
    public static LibtorchInstall resolve(String spec, Host host) {
        String s = spec == null || spec.isBlank() ? "bundled" : spec.trim();
        if (s.equals("bundled")) {
            return bundled(host);
        }
        requireNoDjlVariables(host, "--libtorch " + s);
        String cache = host.env().get("ENGINE_CACHE_DIR");
        if (cache != null && !cache.isEmpty()) {
            throw new UserInputException("--libtorch " + s + ": the environment variable ENGINE_CACHE_DIR=" + cache
                    + " would override where DJL looks for the checked JNI; run `unset ENGINE_CACHE_DIR`");
        }
        String os = System.getProperty("os.name", "") + "/" + System.getProperty("os.arch", "");
        if (!os.startsWith("Linux/") || !(os.endsWith("/amd64") || os.endsWith("/x86_64"))) {
            throw new UserInputException("--libtorch " + s + ": a libtorch other than the bundled one is supported on "
                    + CLASSIFIER + " only, this is " + os + "; use --libtorch bundled");
        }
        if (s.equals("python")) {
            return external(Source.PYTHON, pythonTorch(host), host);
        }
        return external(Source.DIR, Path.of(s).toAbsolutePath().normalize(), host);
    }

    private static LibtorchInstall bundled(Host host) {
        requireNoDjlVariables(host, "--libtorch bundled");
        Properties p = resource(host.classpath(), BUNDLED_NATIVE_RESOURCE);
        if (p == null) {
            throw new UserInputException("this jar carries no libtorch; pass --libtorch DIR|python (a torch install:"
                    + " `pip install torch`, then --libtorch python)");
        }
        String version = p.getProperty("version", DJL_TORCH_VERSION);
        int dash = version.indexOf('-');
        String flavor = p.getProperty("flavor", "cpu");
        return new LibtorchInstall(Source.BUNDLED, dash > 0 ? version.substring(0, dash) : version, null, null,
                "jar:jnilib/" + CLASSIFIER + "/" + flavor + "/libdjl_torch.so", null, flavor, null);
    }

    /** DJL reads its variables before the system properties set here: one set in the shell would win silently. */
    private static void requireNoDjlVariables(Host host, String what) {
        for (String v : DJL_VARIABLES) {
            String value = host.env().get(v);
            if (value != null && !value.isEmpty()) {
                throw new UserInputException(what + ": the environment variable " + v + "=" + value
                        + " would override it inside DJL; run `unset " + v + "` and choose the libtorch with"
                        + " --libtorch bundled|python|DIR");
            }
        }
    }

    /** The torch package folder the interpreter finds, located without importing torch. */
    private static Path pythonTorch(Host host) {
        String python = host.env().getOrDefault(ENV_PYTHON, "python3");
        Optional<Output> out = host.commands().run(List.of(python, "-c", FIND_TORCH));
        if (out.isEmpty()) {
            throw new UserInputException("--libtorch python: cannot run " + python + "; set " + ENV_PYTHON
                    + "=/path/to/python3, or pass --libtorch DIR");
        }
        String printed = out.get().stdout().strip();
        if (out.get().exitCode() != 0) {
            String why = out.get().stderr().strip();
            throw new UserInputException("--libtorch python: " + python + " failed (exit " + out.get().exitCode() + ")"
                    + (why.isEmpty() ? "" : ": " + lastLine(why)) + "; set " + ENV_PYTHON
                    + " to a working interpreter, or pass --libtorch DIR");
        }
        if (printed.isEmpty()) {
            throw new UserInputException("--libtorch python: " + python + " finds no torch package; run `" + python
                    + " -m pip install torch`, or pass --libtorch DIR");
        }
        Path dir = Path.of(lastLine(printed)).toAbsolutePath().normalize();
        if (!Files.isRegularFile(dir.resolve("version.py"))) {
            throw new UserInputException("--libtorch python: " + python + " finds torch at " + dir
                    + ", which has no version.py; reinstall it: `" + python + " -m pip install --force-reinstall torch`");
        }
        return dir;
    }

    /** A torch outside the jar: its folders, version, CUDA libraries and JNI, each checked. */
    private static LibtorchInstall external(Source source, Path given, Host host) {
        String what = "--libtorch " + (source == Source.PYTHON ? "python" : given.toString());
        Layout layout = Layout.of(given, what);
        Path lib = layout.lib();
        if (!Files.isRegularFile(lib.resolve("libtorch.so"))) {
            throw new UserInputException(what + ": no libtorch.so in " + lib + "; reinstall the torch (`pip install"
                    + " --force-reinstall torch`) or pass the folder that holds lib/libtorch.so");
        }
        String[] version = layout.version(what);
        String real = version[0];
        String cuda = version[1];
        String flavor = cuda == null ? "cpu" : "cu128";
        String reinstall = layout.packageDir() != null ? "`pip install --force-reinstall torch==" + real + "`"
                : "download the libtorch " + real + " distribution again";
        Path cudartDir = null;
        if (cuda != null) {
            if (!Files.isRegularFile(lib.resolve("libtorch_cuda.so"))) {
                throw new UserInputException(what + ": torch " + real + " is a CUDA " + cuda + " build but " + lib
                        + "/libtorch_cuda.so is missing; " + reinstall);
            }
            List<Path> nvidia = nvidiaLibDirs(layout);
            Map<String, Path> found = findCudaRuntime(lib, nvidia, host);
            List<String> missing = CUDA_RUNTIME.stream().filter(p -> !found.containsKey(p)).map(p -> p + "*").toList();
            if (!missing.isEmpty()) {
                throw new UserInputException(what + ": torch " + real + " (CUDA " + cuda + ") needs "
                        + String.join(", ", missing) + ", found in none of " + (layout.sitePackages() == null ? ""
                                : layout.sitePackages().resolve("nvidia") + "/*/lib, ") + lib
                        + ", LD_LIBRARY_PATH, " + host.systemCudaLib() + " or `ldconfig -p`; " + (layout.packageDir() != null
                                ? reinstall + " (it installs the nvidia-* CUDA wheels)"
                                : "install CUDA " + cuda + " and cuDNN") + ", or `export LD_LIBRARY_PATH=<their folder>`");
            }
            cudartDir = found.get(CUDA_RUNTIME.get(0));
            requireLinkable(what, real, lib.resolve("libtorch_cuda.so"), nvidia, found.values(), host);
        } else {
            requireLinkable(what, real, lib.resolve("libtorch.so"), List.of(), List.of(), host);
        }
        for (String name : JNI_IN_LIB) {
            if (Files.exists(lib.resolve(name))) {
                throw new UserInputException(what + ": " + lib.resolve(name) + " would be loaded by DJL before any"
                        + " checked JNI; remove it (`rm " + lib.resolve(name) + "`)");
            }
        }
        Path jniFile = jniFile(host, real, flavor);
        Path cacheDir = jniDir(host, real);
        String buildJni = BUILD_SCRIPT + " --torch " + (layout.packageDir() != null ? layout.packageDir() : layout.root())
                + " --djl-src <DJL checkout at tag v" + DJL_VERSION + ">";
        if (Files.isRegularFile(jniFile)) {
            Path info = cacheDir.resolve(BUILD_INFO);
            Properties built = readProperties(info);
            if (built == null) {
                throw new UserInputException(what + ": the JNI " + jniFile + " has no " + info + " beside it"
                        + " (an incomplete build); rebuild it: " + buildJni);
            }
            String builtFor = built.getProperty("torch_version", "");
            if (!builtFor.equals(real)) {
                throw new UserInputException(what + ": the JNI " + jniFile + " was built for torch '" + builtFor
                        + "' (" + info + "), not " + real + " (stale); rebuild it: " + buildJni);
            }
            return new LibtorchInstall(source, real, cuda, lib, jniFile.toString(), cacheDir, flavor, cudartDir);
        }
        String djlJni = "jnilib/" + CLASSIFIER + "/" + flavor + "/libdjl_torch.so";
        boolean djlBuiltFor = baseVersion(real).equals(DJL_TORCH_VERSION) && (cuda == null || cuda.equals("12.8"));
        if (djlBuiltFor && host.classpath().getResource(djlJni) != null) {
            return new LibtorchInstall(source, real, cuda, lib, "jar:" + djlJni, null, flavor, cudartDir);
        }
        throw new UserInputException(what + ": no JNI built for torch " + real + " (DJL " + DJL_VERSION
                + " ships one for libtorch " + DJL_TORCH_VERSION + " cpu/cu128 only); expected " + jniFile
                + "; build it: " + buildJni);
    }

    /** The three shapes a torch folder comes in, and which one {@code given} is. */
    private record Layout(Path root, Path lib, Path packageDir, Path buildVersion) {
        static Layout of(Path given, String what) {
            if (!Files.isDirectory(given)) {
                throw new UserInputException(what + ": no such folder; pass a torch package folder"
                        + " (site-packages/torch), its lib/, a libtorch distribution, or --libtorch python");
            }
            Path dir = given;
            if (!Files.isRegularFile(dir.resolve("version.py")) && Files.isRegularFile(dir.resolve("torch/version.py"))) {
                dir = dir.resolve("torch"); // site-packages
            }
            if (Files.isRegularFile(dir.resolve("version.py"))) {
                return new Layout(dir, dir.resolve("lib"), dir, null);
            }
            if (Files.isRegularFile(dir.resolve("build-version"))) {
                return new Layout(dir, dir.resolve("lib"), null, dir.resolve("build-version"));
            }
            if (Files.isRegularFile(dir.resolve("libtorch.so"))) {
                Path up = dir.getParent();
                if (up != null && Files.isRegularFile(up.resolve("version.py"))) {
                    return new Layout(up, dir, up, null);
                }
                if (up != null && Files.isRegularFile(up.resolve("build-version"))) {
                    return new Layout(up, dir, null, up.resolve("build-version"));
                }
                throw new UserInputException(what + ": cannot tell which torch " + dir + "/libtorch.so is: neither "
                        + up + "/version.py (a torch package) nor " + up + "/build-version (a libtorch distribution)"
                        + " exists; pass the torch package folder instead");
            }
            throw new UserInputException(what + ": not a torch install: it has neither version.py and lib/ (a torch"
                    + " package), libtorch.so (a lib folder) nor build-version and lib/ (a libtorch distribution);"
                    + " `pip install torch` and pass --libtorch python");
        }

        Path sitePackages() {
            return packageDir == null ? null : packageDir.getParent();
        }

        /** {version, cuda or null}, from version.py or build-version, read as text. */
        String[] version(String what) {
            if (packageDir != null) {
                Path file = packageDir.resolve("version.py");
                String text = read(file);
                Matcher v = VERSION_LINE.matcher(text);
                if (!v.find()) {
                    throw new UserInputException(what + ": " + file + " has no __version__ line; reinstall torch"
                            + " (`pip install --force-reinstall torch`)");
                }
                Matcher c = CUDA_LINE.matcher(text);
                String cuda = c.find() && c.group(1) != null && !c.group(1).isEmpty() ? c.group(1) : null;
                return new String[] {v.group(1), cuda};
            }
            String version = read(buildVersion).strip();
            if (version.isEmpty()) {
                throw new UserInputException(what + ": " + buildVersion + " is empty; download the libtorch"
                        + " distribution again");
            }
            Matcher cu = CU_SUFFIX.matcher(version);
            String cuda = cu.find() ? cu.group(1) + "." + cu.group(2) : null;
            if (cuda == null && Files.isRegularFile(lib.resolve("libtorch_cuda.so"))) {
                cuda = "unknown";
            }
            return new String[] {version, cuda};
        }
    }

    /** {@code 2.7.1} of {@code 2.7.1+cu128}. */
    static String baseVersion(String version) {
        int plus = version.indexOf('+');
        return plus < 0 ? version : version.substring(0, plus);
    }

    /** The {@code lib} folders of pip's nvidia-* CUDA wheels beside the torch package. */
    private static List<Path> nvidiaLibDirs(Layout layout) {
        if (layout.sitePackages() == null) {
            return List.of();
        }
        Path nvidia = layout.sitePackages().resolve("nvidia");
        if (!Files.isDirectory(nvidia)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(nvidia, 4)) {
            return walk.filter(p -> Files.isDirectory(p) && p.getFileName().toString().equals("lib")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** For each of {@link #CUDA_RUNTIME}, the first folder holding it. */
    private static Map<String, Path> findCudaRuntime(Path lib, List<Path> nvidia, Host host) {
        Set<Path> dirs = new LinkedHashSet<>(nvidia);
        dirs.add(lib);
        String ld = host.env().get("LD_LIBRARY_PATH");
        if (ld != null) {
            for (String d : ld.split(":")) {
                if (!d.isBlank()) {
                    dirs.add(Path.of(d));
                }
            }
        }
        dirs.add(host.systemCudaLib());
        Map<String, Path> found = new LinkedHashMap<>();
        for (Path dir : dirs) {
            for (String prefix : CUDA_RUNTIME) {
                if (!found.containsKey(prefix) && holds(dir, prefix)) {
                    found.put(prefix, dir);
                }
            }
        }
        if (found.size() < CUDA_RUNTIME.size()) {
            host.commands().run(List.of("ldconfig", "-p")).ifPresent(out -> {
                for (String line : out.stdout().split("\n")) {
                    int arrow = line.indexOf("=>");
                    String name = line.strip().split("\\s+", 2)[0];
                    for (String prefix : CUDA_RUNTIME) {
                        if (arrow > 0 && name.startsWith(prefix) && !found.containsKey(prefix)) {
                            Path file = Path.of(line.substring(arrow + 2).strip());
                            found.put(prefix, file.getParent() == null ? file : file.getParent());
                        }
                    }
                }
            });
        }
        return found;
    }

    private static boolean holds(Path dir, String prefix) {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.anyMatch(f -> {
                String n = f.getFileName().toString();
                return n.startsWith(prefix) && n.length() > prefix.length() && Character.isDigit(n.charAt(prefix.length()));
            });
        } catch (IOException e) {
            return false;
        }
    }

    /** What the dynamic loader cannot find for {@code library}, as {@code ldd} reports it (skipped without ldd). */
    private static void requireLinkable(String what, String real, Path library, List<Path> nvidia,
            Collection<Path> runtimeDirs, Host host) {
        Optional<Output> out = host.commands().run(List.of("ldd", library.toString()));
        if (out.isEmpty()) {
            return;
        }
        Set<String> missing = new TreeSet<>();
        Matcher m = NOT_FOUND.matcher(out.get().stdout());
        while (m.find()) {
            missing.add(m.group(1));
        }
        if (missing.isEmpty()) {
            return;
        }
        Set<Path> dirs = new LinkedHashSet<>(nvidia);
        dirs.addAll(runtimeDirs);
        String fix = dirs.isEmpty() ? "install them (`pip install --force-reinstall torch==" + real + "`) or add their"
                + " folder to LD_LIBRARY_PATH"
                : "export LD_LIBRARY_PATH=" + String.join(":", dirs.stream().map(Path::toString).toList())
                        + "${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}";
        throw new UserInputException(what + ": " + library + " cannot be loaded, `ldd` finds no "
                + String.join(", ", missing) + "; " + fix + " (before starting bench)");
    }

    /**
     * Tells DJL to load this libtorch: sets {@code PYTORCH_LIBRARY_PATH}, {@code PYTORCH_VERSION}, {@code
     * PYTORCH_FLAVOR}, {@code ENGINE_CACHE_DIR} (for a built JNI) and prepends the CUDA runtime's folder to
     * {@code jna.library.path} (DJL finds GPUs by loading {@code cudart} through JNA). Nothing is set for the
     * bundled libtorch. Applying the same install again does nothing.
     *
     * @throws IllegalStateException if another install was applied, or DJL already loaded another libtorch
     */
    public static synchronized void apply(LibtorchInstall install, Host host) {
        if (applied != null) {
            if (!applied.equals(install)) {
                throw new IllegalStateException("libtorch " + applied.summary() + " is already in use in this process;"
                        + " cannot switch to " + install.summary());
            }
            return;
        }
        install.applyTo(System.getProperties(), host);
        applied = install;
    }

    /** {@link #apply(LibtorchInstall, Host)} onto {@code properties}, without recording it as this process's. */
    void applyTo(Properties properties, Host host) {
        Optional<Path> loaded = host.loadedLibtorch().get();
        if (source == Source.BUNDLED) {
            if (properties.getProperty("PYTORCH_LIBRARY_PATH") != null) {
                throw new IllegalStateException("the bundled libtorch was asked for, but PYTORCH_LIBRARY_PATH="
                        + properties.getProperty("PYTORCH_LIBRARY_PATH") + " is already set in this process");
            }
            return;
        }
        if (loaded.isPresent() && !sameFolder(loaded.get(), torchLib)) {
            throw new IllegalStateException("DJL's engine already loaded libtorch from " + loaded.get()
                    + "; --libtorch " + torchLib + " must be applied before anything starts the engine");
        }
        properties.setProperty("PYTORCH_LIBRARY_PATH", torchLib.toString());
        properties.setProperty("PYTORCH_VERSION", DJL_TORCH_VERSION);
        properties.setProperty("PYTORCH_FLAVOR", flavor);
        if (engineCacheDir != null) {
            properties.setProperty("ENGINE_CACHE_DIR", engineCacheDir.toString());
        }
        if (cudartDir != null) {
            String before = properties.getProperty("jna.library.path");
            List<String> parts = new ArrayList<>();
            parts.add(cudartDir.toString());
            if (before != null && !before.isEmpty()) {
                for (String p : before.split(File.pathSeparator)) {
                    if (!p.equals(cudartDir.toString())) {
                        parts.add(p);
                    }
                }
            }
            properties.setProperty("jna.library.path", String.join(File.pathSeparator, parts));
        }
    }

    private static boolean sameFolder(Path a, Path b) {
        try {
            return Files.isSameFile(a, b);
        } catch (IOException e) {
            return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
        }
    }

    /** The install applied in this process, if any. */
    public static synchronized Optional<LibtorchInstall> applied() {
        return Optional.ofNullable(applied);
    }

    /** The applied install, else what {@code bundled} would be; for the record when no command applied one. */
    public static Map<String, String> currentDescription() {
        Optional<LibtorchInstall> a = applied();
        if (a.isPresent()) {
            return a.get().describe();
        }
        try {
            return resolve("bundled", Host.system()).describe();
        } catch (UserInputException e) {
            return Map.of("libtorch_source", "unchecked");
        }
    }

    /** For every run's environment: where the libtorch came from, its real version, the JNI and what DJL was told. */
    public Map<String, String> describe() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("libtorch_source", source.label());
        m.put("torch_version", torchVersion);
        m.put("torch_cuda", cuda == null ? "none" : cuda);
        m.put("torch_lib", torchLib == null ? "jar (extracted by DJL)" : torchLib.toString());
        m.put("jni", jni);
        m.put("djl_told_version", DJL_TORCH_VERSION);
        m.put("djl_flavor", flavor);
        return m;
    }

    /** {@code torch 2.11.0+cu130 from DIR (JNI PATH)}: the line printed at start. */
    public String summary() {
        return "torch " + torchVersion + (torchLib == null ? " bundled in the jar" : " from " + torchLib)
                + " (JNI " + jni + ")";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LibtorchInstall other && describe().equals(other.describe())
                && Objects.equals(engineCacheDir, other.engineCacheDir) && Objects.equals(cudartDir, other.cudartDir);
    }

    @Override
    public int hashCode() {
        return describe().hashCode();
    }

    @Override
    public String toString() {
        return summary();
    }

    private static String lastLine(String text) {
        String[] lines = text.strip().split("\n");
        return lines[lines.length - 1].strip();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UserInputException("cannot read " + file + ": " + e.getMessage());
        }
    }

    private static Properties readProperties(Path file) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        } catch (IOException e) {
            throw new UserInputException("cannot read " + file + ": " + e.getMessage());
        }
        return p;
    }

    private static Properties resource(ClassLoader loader, String name) {
        try (InputStream in = loader.getResourceAsStream(name)) {
            if (in == null) {
                return null;
            }
            Properties p = new Properties();
            p.load(in);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs {@code command} with a 60 s limit; empty when it cannot start or hangs. */
    static Optional<Output> runCommand(List<String> command) {
        Path out = null;
        Path err = null;
        try {
            out = Files.createTempFile("trickbench-cmd", ".out");
            err = Files.createTempFile("trickbench-cmd", ".err");
            Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return Optional.empty();
            }
            return Optional.of(new Output(p.exitValue(), Files.readString(out), Files.readString(err)));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // a leftover temporary file is harmless
            }
        }
    }

    /** The folder of the {@code libtorch.so} mapped into this process, read from {@code /proc/self/maps}. */
    static Optional<Path> mappedLibtorch() {
        Path maps = Path.of("/proc/self/maps");
        if (!Files.isReadable(maps)) {
            return Optional.empty();
        }
        try (Stream<String> lines = Files.lines(maps)) {
            return lines.map(l -> l.indexOf('/') < 0 ? "" : l.substring(l.indexOf('/')))
                    .filter(l -> l.endsWith("/libtorch.so")).findFirst().map(l -> Path.of(l).getParent());
        } catch (IOException | UncheckedIOException e) {
            return Optional.empty();
        }
    }
}
