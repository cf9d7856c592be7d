package org.trickbench.core.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.trickbench.core.UserInputException;

/**
 * Finds the directory a data set lives in. An explicit {@code --data-dir} is final: if it is
 * incomplete that is an error, since silently training on another copy than the one asked for
 * would make results irreproducible. Without it, {@code $TRICKBENCH_DATA} and then (Fashion-MNIST
 * only) the directory of Debian's {@code dataset-fashion-mnist} package are tried, and failure
 * lists every place searched and the fix.
 */
public final class DataLocator {
    /** A directory holding the data sets, each directly or in its conventional subdirectory. */
    public static final String ENV_VAR = "TRICKBENCH_DATA";
    /** Where Debian's {@code dataset-fashion-mnist} package installs the four files. */
    public static final Path DEBIAN_DIR = Path.of("/usr/share/datasets/fashion-mnist");
    public static final String DEBIAN_PACKAGE = "dataset-fashion-mnist";
    public static final String FASHION_MNIST_SUBDIR = "fashion-mnist";
    /** What the CIFAR binary tarballs unpack to. */
    public static final String CIFAR10_SUBDIR = Cifar.CIFAR10_UNPACKED;
    public static final String CIFAR100_SUBDIR = Cifar.CIFAR100_UNPACKED;

    private DataLocator() {}

    /** {@link #locateFashionMnist(Path, Map, Path)} with the system directory {@link #DEBIAN_DIR}. */
    public static Path locateFashionMnist(Path dataDirOrNull, Map<String, String> env) {
        return locateFashionMnist(dataDirOrNull, env, DEBIAN_DIR);
    }

    /**
     * Searches {@code dataDirOrNull}, then {@code $TRICKBENCH_DATA} and its {@code fashion-mnist/}
     * subdirectory, then {@code systemDir}, and returns the first that holds all four files.
     *
     * @param env the process environment ({@code System.getenv()}), passed so tests control it
     * @throws UserInputException if {@code dataDirOrNull} is given but incomplete, or if no place
     *     holds the files; the message lists each place searched and how to install the data
     */
    public static Path locateFashionMnist(Path dataDirOrNull, Map<String, String> env, Path systemDir) {
        Objects.requireNonNull(env, "env");
        Objects.requireNonNull(systemDir, "systemDir");
        if (dataDirOrNull != null) {
            return requireExplicit(dataDirOrNull, "Fashion-MNIST", FashionMnist.missingFiles(dataDirOrNull),
                    "it must hold " + String.join(", ", FashionMnist.FILES));
        }
        List<String> searched = new ArrayList<>();
        Path envDir = envDir(env, searched);
        if (envDir != null) {
            for (Path candidate : List.of(envDir, envDir.resolve(FASHION_MNIST_SUBDIR))) {
                if (found(candidate, FashionMnist.missingFiles(candidate), searched)) {
                    return candidate;
                }
            }
        }
        if (found(systemDir, FashionMnist.missingFiles(systemDir), searched)) {
            return systemDir;
        }
        throw new UserInputException("Fashion-MNIST not found; searched " + String.join("; ", searched)
                + ". Fix: run `apt-get install " + DEBIAN_PACKAGE + "` as root, or pass --data-dir DIR"
                + " for a directory holding " + String.join(", ", FashionMnist.FILES));
    }

    /**
     * Searches {@code dataDirOrNull}, then {@code $TRICKBENCH_DATA/cifar-10-batches-bin} (for
     * {@code cifar10}) or {@code $TRICKBENCH_DATA/cifar-100-binary} (for {@code cifar100}). There
     * is no system default: no distribution packages CIFAR.
     *
     * @throws UserInputException for an id other than {@code cifar10} or {@code cifar100}, an
     *     incomplete {@code dataDirOrNull}, or when nothing is found
     */
    public static Path locateCifar(String id, Path dataDirOrNull, Map<String, String> env) {
        Objects.requireNonNull(env, "env");
        String subdir;
        String name;
        if (Cifar.CIFAR10_ID.equals(id)) {
            subdir = CIFAR10_SUBDIR;
            name = "CIFAR-10";
        } else if (Cifar.CIFAR100_ID.equals(id)) {
            subdir = CIFAR100_SUBDIR;
            name = "CIFAR-100";
        } else {
            throw new UserInputException("Unknown CIFAR data set '" + id + "'; known: "
                    + Cifar.CIFAR10_ID + ", " + Cifar.CIFAR100_ID);
        }
        String fix = "download " + Cifar.binaryVersionHint(id) + ", unpack it and pass --data-dir DIR/" + subdir
                + " (or set " + ENV_VAR + " to DIR)";
        if (dataDirOrNull != null) {
            return requireExplicit(dataDirOrNull, name, Cifar.missingFiles(dataDirOrNull, id),
                    "expected " + Cifar.binaryVersionHint(id));
        }
        List<String> searched = new ArrayList<>();
        Path envDir = envDir(env, searched);
        if (envDir != null) {
            Path candidate = envDir.resolve(subdir);
            if (found(candidate, Cifar.missingFiles(candidate, id), searched)) {
                return candidate;
            }
        }
        throw new UserInputException(name + " not found; searched " + String.join("; ", searched) + ". Fix: " + fix);
    }

    private static Path requireExplicit(Path dir, String name, List<String> missing, String expectation) {
        if (!Files.isDirectory(dir)) {
            throw new UserInputException("--data-dir " + dir + (Files.exists(dir) ? " is not a directory" : " does not exist")
                    + "; " + expectation);
        }
        if (!missing.isEmpty()) {
            throw new UserInputException("--data-dir " + dir + " does not hold " + name + ": missing "
                    + String.join(", ", missing) + "; " + expectation);
        }
        return dir;
    }

    /** The directory {@code $TRICKBENCH_DATA} names, or null, noting in {@code searched} when it is unset. */
    private static Path envDir(Map<String, String> env, List<String> searched) {
        String value = env.get(ENV_VAR);
        if (value == null || value.isBlank()) {
            searched.add("$" + ENV_VAR + " (not set)");
            return null;
        }
        return Path.of(value);
    }

    /** Whether {@code dir} is complete; if not, records in {@code searched} why. */
    private static boolean found(Path dir, List<String> missing, List<String> searched) {
        if (!Files.isDirectory(dir)) {
            searched.add(dir + " (" + (Files.exists(dir) ? "not a directory" : "does not exist") + ")");
            return false;
        }
        if (!missing.isEmpty()) {
            searched.add(dir + " (missing " + String.join(", ", missing) + ")");
            return false;
        }
        return true;
    }
}
