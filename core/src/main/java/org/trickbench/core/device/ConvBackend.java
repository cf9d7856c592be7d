package org.trickbench.core.device;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.util.Pair;
import com.sun.jna.NativeLibrary;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.trickbench.core.UserInputException;
import org.trickbench.core.train.ThreadGradientCollector;

/**
 * Which kernels compute CPU convolutions, chosen from evidence. libtorch 2.7.1 runs float32
 * convolutions through its bundled oneDNN 3.7.1, whose backward-data kernel returns wrong input
 * gradients when a channel count is not a multiple of the CPU's SIMD block (16 on AVX-512, 8 on AVX2):
 * garbage read from the blocked layout's padding on AVX-512 (NaN, run-to-run drift), stable but wrong
 * values on AVX2. libtorch's native kernels are exact but up to 9× slower at NAS-Bench-201's size,
 * where every channel count is a multiple of 16 and oneDNN is right.
 *
 * <p>So the choice is made from evidence, in two parts. First a rule: oneDNN may run only where every
 * blocked channel count is a multiple of {@link #BLOCK} ({@link ConvShape#blockAligned}). Elsewhere its
 * results depend on what earlier calls left in its buffers, so no test can prove them right: measured
 * here on AVX-512, a 3×3 convolution at 8 channels gave input gradients within 3e-7 of float64 in one
 * sequence of calls and off by 35% in another, and at 24 channels even the output was off by 21%.
 * Second, a self-test: every shape the rule admits is run forward and backward in float32 with oneDNN
 * on, at strides 1 and 2, twice, with glibc's allocator filling fresh and freed memory with a non-zero
 * byte ({@code mallopt(M_PERTURB)}, as {@code MALLOC_PERTURB_} does), and compared with the same
 * convolution in float64, which oneDNN never computes. If every output, input gradient and weight
 * gradient agrees within {@link #TOLERANCE}, oneDNN stays on; otherwise the process switches to the
 * native kernels ({@code at::Context::setUserEnabledMkldnn(false)}) for good. NNPACK is always off:
 * libtorch tries it once oneDNN is off and prints a warning per call on CPUs it does not support, and
 * keeping it off everywhere keeps the kernels the same from machine to machine.
 *
 * <p>libtorch's switch is process-wide and read at every convolution, so the choice is per process:
 * callers decide once, before training, for every network the process will run ({@link #decide});
 * {@link #ensureFor} checks a network's actual shapes again before it trains and only probes what was
 * not yet probed. Once native, a process never returns to oneDNN. {@value #ENV} (or the system
 * property {@value #PROPERTY}) forces {@code onednn} or {@code native} for measurement; the default is
 * {@code auto}.
 */
public final class ConvBackend {
    /** Environment variable that forces a backend: auto (default), onednn or native. */
    public static final String ENV = "TRICKBENCH_CONV_BACKEND";
    /** System property with the same meaning; it wins over the environment variable. */
    public static final String PROPERTY = "trickbench.convBackend";
    /**
     * Largest accepted relative error of a float32 result against float64, per tensor:
     * max|a32 − a64| ≤ TOLERANCE · max|a64|. float32 sums of a few hundred products are off by about
     * 1e-6 of that scale; oneDNN's wrong gradients were off by 6% and more.
     */
    public static final double TOLERANCE = 1e-4;

    static final String SET_USER_ENABLED_MKLDNN = "_ZN2at7Context20setUserEnabledMkldnnEb";
    static final String USER_ENABLED_MKLDNN = "_ZNK2at7Context17userEnabledMkldnnEv";
    static final String SET_USER_ENABLED_NNPACK = "_ZN2at7Context20setUserEnabledNNPACKEb";
    static final String USER_ENABLED_NNPACK = "_ZNK2at7Context17userEnabledNNPACKEv";
    private static final int M_PERTURB = -6; // glibc's mallopt parameter behind MALLOC_PERTURB_
    private static final int[] PERTURB_BYTES = {0xa5, 0x3c};
    private static final int SIDE = 9; // odd, so stride 2 leaves a ragged edge
    /**
     * oneDNN's widest float32 SIMD block on x86 (16 floats of AVX-512; a multiple of AVX2's 8), so a
     * rule in terms of it gives the same choice on both kinds of machine.
     */
    public static final int BLOCK = 16;

    private static Decision decision;
    private static final Map<ConvShape, List<Probe>> probed = new LinkedHashMap<>();
    private static final Supplier<NativeLibrary> library = LibtorchContext::libtorch;

    private ConvBackend() {}

    /** The kernels convolutions run on. */
    public enum Backend {
        ONEDNN("onednn"), NATIVE("native");

        private final String label;

        Backend(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** What the user asked for. */
    public enum Mode {
        AUTO, ONEDNN, NATIVE;

        /** Parses {@code auto}, {@code onednn} or {@code native}; {@code source} names where the value came from. */
        public static Mode parse(String value, String source) {
            return switch (value.trim().toLowerCase(Locale.ROOT)) {
                case "", "auto" -> AUTO;
                case "onednn", "mkldnn" -> ONEDNN;
                case "native" -> NATIVE;
                default -> throw new UserInputException(source + " is '" + value + "'; allowed: auto, onednn, native");
            };
        }

        /** From {@value #PROPERTY}, else {@value #ENV}, else auto. */
        static Mode configured() {
            String property = System.getProperty(PROPERTY);
            if (property != null) {
                return parse(property, "-D" + PROPERTY);
            }
            String env = System.getenv(ENV);
            return env == null ? AUTO : parse(env, ENV);
        }
    }

    /**
     * One convolution as the self-test runs it: channels in and out (groups of one), a square kernel,
     * and whether training needs its input gradient (a stem's input is the image, which needs none).
     */
    public record ConvShape(int in, int out, int kernel, boolean inputGradient) {
        public ConvShape {
            if (in < 1 || out < 1 || kernel < 1) {
                throw new IllegalArgumentException("convolution " + in + "→" + out + " k" + kernel);
            }
        }

        /**
         * Whether oneDNN may compute this convolution: every channel count it blocks is a multiple of
         * {@link #BLOCK}, so its blocked layouts have no padding to read. The input of a convolution that
         * needs no input gradient (a stem on 1 or 3 image channels) goes through oneDNN's plain-layout
         * first-layer path instead and is left to the probe.
         */
        public boolean blockAligned() {
            return out % BLOCK == 0 && (in % BLOCK == 0 || !inputGradient);
        }

        @Override
        public String toString() {
            return kernel + "x" + kernel + " " + in + "→" + out + (inputGradient ? "" : " (no input gradient)");
        }
    }

    /** Relative errors of one float32 convolution against float64 (the worse of the perturbed tries). */
    public record Probe(ConvShape shape, int stride, double output, double inputGradient, double weightGradient) {
        /** NaN never passes. */
        public boolean exact() {
            return output <= TOLERANCE && (!shape.inputGradient() || inputGradient <= TOLERANCE)
                    && weightGradient <= TOLERANCE;
        }

        public double worst() {
            double w = Math.max(output, weightGradient);
            if (shape.inputGradient()) {
                w = Math.max(w, inputGradient);
            }
            return Double.isNaN(output) || Double.isNaN(inputGradient) || Double.isNaN(weightGradient)
                    ? Double.NaN : w;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%s stride %d: output %.1e, input grad %s, weight grad %.1e", shape,
                    stride, output, shape.inputGradient() ? String.format(Locale.ROOT, "%.1e", inputGradient) : "-",
                    weightGradient);
        }
    }

    /** The backend in force, why, and the self-test's evidence. */
    public record Decision(Backend backend, Mode mode, String reason, List<Probe> probes) {
        public Decision {
            probes = List.copyOf(probes);
        }

        /** The environment rows recorded with every run. */
        public Map<String, String> asMap() {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("conv_backend", backend.label());
            m.put("conv_backend_mode", mode.name().toLowerCase(Locale.ROOT));
            m.put("conv_backend_reason", reason);
            long failed = probes.stream().filter(p -> !p.exact()).count();
            double worstPassing = probes.stream().filter(Probe::exact).mapToDouble(Probe::worst).max().orElse(0);
            m.put("conv_selftest", String.format(Locale.ROOT, "%d probe(s), %d wrong under oneDNN; worst exact %.1e",
                    probes.size(), failed, worstPassing));
            return m;
        }
    }

    /** The decision in force, or empty before the first one. */
    public static synchronized java.util.Optional<Decision> current() {
        return java.util.Optional.ofNullable(decision);
    }

    /**
     * Decides the backend for these shapes: probes those not yet probed (while oneDNN is still in force)
     * and switches to the native kernels if any is wrong. Idempotent and thread-safe.
     */
    public static synchronized Decision decide(Collection<ConvShape> shapes) {
        Mode mode = Mode.configured();
        LibtorchContext context = new LibtorchContext(library.get());
        context.set(SET_USER_ENABLED_NNPACK, false);
        if (mode == Mode.NATIVE) {
            context.set(SET_USER_ENABLED_MKLDNN, false);
            decision = new Decision(Backend.NATIVE, mode, "forced by " + source(), List.of());
            return decision;
        }
        if (decision != null && decision.backend() == Backend.NATIVE) {
            return decision; // native is exact; oneDNN is never switched back on under running trainings
        }
        Set<ConvShape> unaligned = new LinkedHashSet<>();
        for (ConvShape shape : shapes) {
            if (!shape.blockAligned()) {
                unaligned.add(shape);
            }
        }
        if (mode == Mode.AUTO && !unaligned.isEmpty()) {
            context.set(SET_USER_ENABLED_MKLDNN, false);
            List<Probe> all = probed.values().stream().flatMap(List::stream).toList();
            decision = new Decision(Backend.NATIVE, mode, "channel counts not a multiple of " + BLOCK + " ("
                    + describeShapes(unaligned) + "), where oneDNN reads the padding of its blocked layouts and"
                    + " its results depend on what earlier calls left there; libtorch's native kernels are exact",
                    all);
            return decision;
        }
        context.set(SET_USER_ENABLED_MKLDNN, true);
        List<Probe> fresh = new ArrayList<>();
        for (ConvShape shape : new LinkedHashSet<>(shapes)) {
            if (!probed.containsKey(shape)) {
                List<Probe> probes = List.of(probe(shape, 1), probe(shape, 2));
                probed.put(shape, probes);
                fresh.addAll(probes);
            }
        }
        List<Probe> all = probed.values().stream().flatMap(List::stream).toList();
        List<Probe> wrong = all.stream().filter(p -> !p.exact()).toList();
        if (mode == Mode.ONEDNN) {
            decision = new Decision(Backend.ONEDNN, mode, "forced by " + source()
                    + (wrong.isEmpty() ? "" : "; the self-test found it wrong for " + describe(wrong)), all);
        } else if (wrong.isEmpty()) {
            decision = new Decision(Backend.ONEDNN, mode, "oneDNN matched float64 for every convolution probed ("
                    + probed.size() + " shape(s))", all);
        } else {
            context.set(SET_USER_ENABLED_MKLDNN, false);
            decision = new Decision(Backend.NATIVE, mode, "oneDNN disagreed with float64 for " + describe(wrong)
                    + "; libtorch's native kernels are exact", all);
        }
        if (!fresh.isEmpty() && decision.backend() != readBackend(context)) {
            throw new IllegalStateException("libtorch did not take the convolution backend " + decision.backend());
        }
        return decision;
    }

    /** {@link #decide} for the convolutions of an initialised network ({@link #shapesOf}). */
    public static Decision ensureFor(Block network) {
        return decide(shapesOf(network));
    }

    /**
     * The convolution shapes of an initialised network, from its 4-d weights in parameter order. The
     * first is taken as the stem, whose input (the image) needs no gradient.
     */
    public static Set<ConvShape> shapesOf(Block network) {
        Set<ConvShape> shapes = new LinkedHashSet<>();
        boolean first = true;
        for (Pair<String, Parameter> p : network.getParameters()) {
            Parameter parameter = p.getValue();
            if (parameter.getType() != Parameter.Type.WEIGHT || !parameter.isInitialized()) {
                continue;
            }
            Shape s = parameter.getArray().getShape();
            if (s.dimension() == 4) {
                shapes.add(new ConvShape((int) s.get(1), (int) s.get(0), (int) Math.max(s.get(2), s.get(3)), !first));
                first = false;
            }
        }
        return shapes;
    }

    /** The backend libtorch has now. */
    public static Backend inForce() {
        return readBackend(new LibtorchContext(library.get()));
    }

    /**
     * Forgets every decision and probe and restores libtorch's defaults (oneDNN on). For tests that
     * compare backends in one process; never while something trains.
     */
    public static synchronized void resetForTesting() {
        decision = null;
        probed.clear();
        new LibtorchContext(library.get()).set(SET_USER_ENABLED_MKLDNN, true);
    }

    /** Sets oneDNN on or off with no self-test, for tests that show what each backend computes. */
    public static synchronized void setOneDnnForTesting(boolean on) {
        LibtorchContext context = new LibtorchContext(library.get());
        context.set(SET_USER_ENABLED_NNPACK, false);
        context.set(SET_USER_ENABLED_MKLDNN, on);
    }

    private static Backend readBackend(LibtorchContext context) {
        return context.get(USER_ENABLED_MKLDNN) ? Backend.ONEDNN : Backend.NATIVE;
    }

    private static String source() {
        return System.getProperty(PROPERTY) != null ? "-D" + PROPERTY + "=" + System.getProperty(PROPERTY)
                : ENV + "=" + System.getenv(ENV);
    }

    private static String describe(List<Probe> wrong) {
        Probe first = wrong.stream().max((a, b) -> Double.compare(nanHigh(a.worst()), nanHigh(b.worst()))).orElseThrow();
        return first + (wrong.size() > 1 ? " (and " + (wrong.size() - 1) + " more probe(s))" : "");
    }

    private static String describeShapes(Set<ConvShape> shapes) {
        List<String> first = shapes.stream().limit(3).map(ConvShape::toString).toList();
        return String.join(", ", first) + (shapes.size() > 3 ? " and " + (shapes.size() - 3) + " more" : "");
    }

    private static double nanHigh(double x) {
        return Double.isNaN(x) ? Double.POSITIVE_INFINITY : x;
    }

    /**
     * One shape at one stride: float64 reference once, float32 under each perturbation byte; returns
     * the largest relative errors seen. Two float32 tries that differ from each other also show up as an
     * error against the reference.
     */
    static Probe probe(ConvShape shape, int stride) {
        SplittableRandom random = new SplittableRandom(31L * shape.hashCode() + stride);
        int batch = 2;
        int pad = shape.kernel() / 2;
        int outSide = (SIDE + 2 * pad - shape.kernel()) / stride + 1;
        double[] x = gaussian(random, batch * shape.in() * SIDE * SIDE);
        double[] w = gaussian(random, shape.out() * shape.in() * shape.kernel() * shape.kernel());
        double[] r = gaussian(random, batch * shape.out() * outSide * outSide);
        Shape xs = new Shape(batch, shape.in(), SIDE, SIDE);
        Shape ws = new Shape(shape.out(), shape.in(), shape.kernel(), shape.kernel());
        Shape rs = new Shape(batch, shape.out(), outSide, outSide);
        double[][] reference = run(x, w, r, xs, ws, rs, stride, pad, DataType.FLOAT64, shape.inputGradient());
        double[] worst = new double[3];
        for (int b : PERTURB_BYTES) {
            double[][] single;
            setPerturb(b);
            try {
                single = run(x, w, r, xs, ws, rs, stride, pad, DataType.FLOAT32, shape.inputGradient());
            } finally {
                setPerturb(defaultPerturb());
            }
            for (int i = 0; i < 3; i++) {
                worst[i] = worse(worst[i], relativeError(single[i], reference[i]));
            }
        }
        return new Probe(shape, stride, worst[0], worst[1], worst[2]);
    }

    /** Output, input gradient (empty when not needed) and weight gradient of Σ r·conv(x, w). */
    private static double[][] run(double[] x, double[] w, double[] r, Shape xs, Shape ws, Shape rs, int stride,
            int pad, DataType type, boolean inputGradient) {
        try (NDManager manager = NDManager.newBaseManager(ai.djl.Device.cpu());
                ThreadGradientCollector collector = new ThreadGradientCollector()) {
            NDArray xa = manager.create(x, xs).toType(type, false);
            NDArray wa = manager.create(w, ws).toType(type, false);
            NDArray ra = manager.create(r, rs).toType(type, false);
            if (inputGradient) {
                xa.setRequiresGradient(true);
            }
            wa.setRequiresGradient(true);
            NDArray y = Conv2d.conv2d(xa, wa, null, new Shape(stride, stride), new Shape(pad, pad)).singletonOrThrow();
            collector.backward(y.mul(ra).sum());
            return new double[][] {
                y.toType(DataType.FLOAT64, false).toDoubleArray(),
                inputGradient ? xa.getGradient().toType(DataType.FLOAT64, false).toDoubleArray() : new double[0],
                wa.getGradient().toType(DataType.FLOAT64, false).toDoubleArray()
            };
        }
    }

    /** max|a − b| / max|b|; NaN when a holds a NaN or an infinity. */
    static double relativeError(double[] a, double[] b) {
        double diff = 0;
        double scale = 0;
        for (int i = 0; i < a.length; i++) {
            if (!Double.isFinite(a[i])) {
                return Double.NaN;
            }
            diff = Math.max(diff, Math.abs(a[i] - b[i]));
            scale = Math.max(scale, Math.abs(b[i]));
        }
        return scale == 0 ? diff : diff / scale;
    }

    private static double worse(double a, double b) {
        return Double.isNaN(a) || Double.isNaN(b) ? Double.NaN : Math.max(a, b);
    }

    private static double[] gaussian(SplittableRandom random, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            // Box–Muller; values need only be varied and reproducible, not fast.
            v[i] = Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
        }
        return v;
    }

    /** glibc's perturbation byte as MALLOC_PERTURB_ set it at start-up (0: off). */
    private static int defaultPerturb() {
        String v = System.getenv("MALLOC_PERTURB_");
        try {
            return v == null ? 0 : Integer.parseInt(v.trim()) & 0xff;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static void setPerturb(int value) {
        try {
            NativeLibrary.getInstance("c").getFunction("mallopt").invokeInt(new Object[] {M_PERTURB, value});
        } catch (UnsatisfiedLinkError e) {
            // Not glibc: the probe still runs, on whatever the allocator leaves in memory.
        }
    }
}
