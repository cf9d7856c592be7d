package org.trickbench.core.device;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.LibUtils;
import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The {@code at::Context} of the loaded libtorch, and calls on it. DJL 0.36 exposes none of libtorch's
 * process-wide switches, so they are reached through JNA: {@code at::globalContext()} returns the
 * context, and its setters and getters are ordinary exported member functions that take the context as
 * their first argument (Itanium C++ ABI). Mangled names are as {@code nm -D --defined-only
 * libtorch_cpu.so | c++filt} lists them for libtorch 2.7.1.
 */
final class LibtorchContext {
    static final String GLOBAL_CONTEXT = "_ZN2at13globalContextEv"; // at::globalContext()

    private final NativeLibrary library;
    private final Pointer self;

    LibtorchContext(NativeLibrary library) {
        this.library = library;
        this.self = library.getFunction(GLOBAL_CONTEXT).invokePointer(new Object[0]);
        if (self == null) {
            throw new IllegalStateException("at::globalContext() returned null");
        }
    }

    void set(String symbol, boolean... values) {
        Object[] args = new Object[values.length + 1];
        args[0] = self;
        for (int i = 0; i < values.length; i++) {
            args[i + 1] = values[i];
        }
        library.getFunction(symbol).invokeVoid(args);
    }

    boolean get(String symbol) {
        Function f = library.getFunction(symbol);
        // A C++ bool comes back in the low byte of the return register; the rest is undefined.
        return (f.invokeInt(new Object[] {self}) & 0xff) != 0;
    }

    Determinism.Flags read() {
        return new Determinism.Flags(get(Determinism.DETERMINISTIC_CUDNN), get(Determinism.BENCHMARK_CUDNN),
                get(Determinism.DETERMINISTIC_ALGORITHMS), get(Determinism.DETERMINISTIC_ALGORITHMS_WARN_ONLY));
    }

    /**
     * The libtorch DJL loaded ({@code at::Context} lives in libtorch_cpu, in the CPU and the CUDA
     * builds alike): from DJL's libtorch folder, else from this process's mapped libraries.
     */
    static NativeLibrary libtorch() {
        Engine.getInstance(); // loads libtorch if nothing has yet
        String name = System.mapLibraryName("torch_cpu");
        try {
            Path folder = Path.of(LibUtils.getLibtorchPath());
            Path file = Files.isDirectory(folder) ? folder.resolve(name) : folder.resolveSibling(name);
            if (Files.isRegularFile(file)) {
                return NativeLibrary.getInstance(file.toString());
            }
        } catch (RuntimeException e) {
            // fall through to the mapped libraries
        }
        Path maps = Path.of("/proc/self/maps");
        if (Files.isReadable(maps)) {
            try {
                List<String> lines = Files.readAllLines(maps);
                for (String line : lines) {
                    int slash = line.indexOf('/');
                    if (slash >= 0 && line.endsWith("/" + name)) {
                        return NativeLibrary.getInstance(line.substring(slash));
                    }
                }
            } catch (IOException e) {
                // reported below
            }
        }
        throw new IllegalStateException(name + " not found beside DJL's libtorch nor among the loaded libraries");
    }
}
