package org.trickbench.core.numerics;

import static org.junit.jupiter.api.Assertions.fail;

import ai.djl.engine.Engine;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.util.Pair;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.trickbench.core.device.ConvBackend;
import org.trickbench.core.nd.FreedNativeMemory;
import org.trickbench.core.train.ThreadGradientCollector;

/**
 * Checks the gradients of a block (or of a plain function of arrays) two ways, on tiny tensors:
 *
 * <ol>
 *   <li>{@link #finiteDifferences()}: in float64, the autograd gradient of every differentiated input
 *       and every trainable parameter against central differences (L(θ + h) − L(θ − h)) / 2h, on a
 *       sample of coordinates and along random directions (which see every coordinate at once);
 *   <li>{@link #float32AgainstFloat64()}: the float32 autograd gradients against the float64 ones of
 *       the same block with the same values, which is the only check that sees a float32 kernel that
 *       float64 never runs (libtorch's oneDNN convolutions are float32 only).
 * </ol>
 *
 * <p>The scalar differentiated is L = Σ_i Σ y_i · r_i over the outputs y_i, with r_i fixed random
 * arrays, so every output element gets its own weight and no error can cancel in a plain sum. Every
 * value (parameters, inputs, r) is drawn from a seeded generator and rounded to float32 first, so the
 * float32 and float64 blocks compute with exactly the same numbers. Blocks run in training mode unless
 * told otherwise: BatchNorm then normalises with the batch's own statistics, which is still a smooth,
 * deterministic function of the batch, so finite differences apply. Anything random inside the
 * forward pass (drop-path masks) must be fixed by the {@link Forward} itself, e.g. by handing a hook
 * the same step context before every pass, because the check runs it many times.
 *
 * <p>Error measures, each per tensor and scale-free, with G the largest |g64| of any tensor of the
 * check (see {@link #SCALE_FLOOR}):
 *
 * <ul>
 *   <li>coordinates: max_i |g_i − fd_i| / max(max|g|, 0.1 · G), over the sampled coordinates i;
 *   <li>direction d (Gaussian): |g·d − fd_d| / (max(‖g‖₂, 0.1 · G) ‖d‖₂), with fd_d the central
 *       difference along d;
 *   <li>float32: max|g32 − g64| / max(max|g64|, 0.1 · G) over the whole tensor.
 * </ul>
 *
 * <p>A tensor whose gradient is exactly zero in both has error 0; NaN anywhere is an infinite error.
 * The float32 path chooses the convolution backend as training does ({@link ConvBackend#ensureFor}).
 * libtorch runs on one thread during a check. With {@code -Dtrickbench.gradcheck.print=true} every
 * tensor's error is printed, to see how far from its tolerance a check passes.
 */
public final class GradientCheck {
    /** What the check differentiates: the outputs for {@code inputs}; {@code block} is null for a plain function. */
    @FunctionalInterface
    public interface Forward {
        NDList apply(Block block, ParameterStore ps, NDList inputs, boolean training);
    }

    /** Values for one parameter, or null for the default by parameter type. */
    @FunctionalInterface
    public interface ParameterValues {
        double[] values(String name, Parameter parameter, SplittableRandom random);
    }

    /** One tensor's error under one measure, and the gradient scale it is relative to. */
    public record TensorError(String tensor, String measure, double error, double scale) {
        /** The error relative to the scale; 0 when both are 0, infinite on NaN. */
        public double relative() {
            if (Double.isNaN(error) || Double.isNaN(scale)) {
                return Double.POSITIVE_INFINITY;
            }
            return error == 0 ? 0 : error / scale;
        }

        @Override
        public String toString() {
            return String.format("%s[%s]: %.3g (abs %.3g of %.3g)", tensor, measure, relative(), error, scale);
        }
    }

    /** The errors of one check over all its tensors. */
    public record Report(String check, List<TensorError> errors) {
        public TensorError worst() {
            TensorError worst = null;
            for (TensorError e : errors) {
                if (worst == null || e.relative() > worst.relative()) {
                    worst = e;
                }
            }
            return worst;
        }

        /** Fails, naming every tensor over {@code tolerance}, unless all relative errors are within it. */
        public Report assertWithin(double tolerance) {
            if (Boolean.getBoolean("trickbench.gradcheck.print")) {
                for (TensorError e : errors) {
                    System.out.println("gradcheck " + check + " | " + e);
                }
            }
            List<String> over = new ArrayList<>();
            for (TensorError e : errors) {
                if (!(e.relative() <= tolerance)) {
                    over.add(e.toString());
                }
            }
            if (errors.isEmpty()) {
                fail(check + ": nothing was checked");
            }
            if (!over.isEmpty()) {
                fail(check + ": relative gradient error over " + tolerance + " in " + over.size() + " of "
                        + errors.size() + " tensor checks:\n  " + String.join("\n  ", over));
            }
            return this;
        }
    }

    private record Input(String name, Shape shape, double[] values, boolean differentiated) {}

    /** One evaluation of the check: the block, its inputs and the differentiable tensors, in order. */
    private record Instance(Block block, NDList inputs, Map<String, NDArray> tensors) {}

    /**
     * A tensor's error is relative to at least this share of the check's largest gradient. A gradient
     * that nearly cancels (a 1×1 convolution with one input channel before BatchNorm: BN ignores the
     * weight's scale, so dL/dw is only ε's trace) keeps the rounding of the terms it sums, which are the
     * size of the other gradients, not of the small result; finite differences likewise round at the
     * size of L, whatever the tensor. A gradient that is zero by design (the β of a BatchNorm whose
     * output a later training-mode BatchNorm centres again) is then held to that rounding too.
     */
    public static final double SCALE_FLOOR = 0.1;

    /**
     * Float64 against finite differences. At h = 1e-6 (relative to the value, at least 1e-6) the
     * truncation error is O(h²) and the rounding error about 1e-16 · |L| / h, both near 1e-9 of the
     * gradient on these tensors (seen: at most 4e-9); a wrong gradient term is off by far more.
     */
    public static final double FINITE_DIFFERENCE_TOLERANCE = 1e-6;

    /**
     * Float32 against float64: float32 rounds at 6e-8 per operation and the sums here are short, so
     * right kernels agree to about 1e-6 (seen: at most 6e-6); the oneDNN bug is off by 1e-1 to NaN.
     */
    public static final double FLOAT32_TOLERANCE = 1e-4;

    private final String name;
    private final Supplier<Block> factory;
    private final List<Input> inputs = new ArrayList<>();
    private Forward forward = (block, ps, in, training) -> block.forward(ps, in, training);
    private boolean training = true;
    private long seed = 1;
    private int coordinates = 16;
    private int directions = 1;
    private double step = 1e-6;
    private ParameterValues parameterValues = (n, p, r) -> null;
    private Predicate<String> finiteDifferenceExcluded = n -> false;
    private Consumer<Block> afterInitialization = b -> {};
    private List<double[]> weights;

    private GradientCheck(String name, Supplier<Block> factory) {
        this.name = Objects.requireNonNull(name, "name");
        this.factory = factory;
    }

    /** A check of the block {@code factory} builds; it is called once per evaluation and data type. */
    public static GradientCheck of(String name, Supplier<Block> factory) {
        return new GradientCheck(name, Objects.requireNonNull(factory, "factory"));
    }

    /** A check of a plain function of the inputs, given by {@link #forward}. */
    public static GradientCheck function(String name, Forward function) {
        return new GradientCheck(name, null).forward(function);
    }

    /**
     * What the float32 path does to a freshly initialised block before running it: choose a convolution
     * backend whose float32 gradients are right for the block's channel counts, as training does.
     */
    public static void prepareFloat32(Block block) {
        ConvBackend.ensureFor(block);
    }

    /** A differentiated input of {@code shape}, standard normal values. */
    public GradientCheck input(String inputName, Shape shape) {
        return input(inputName, shape, null);
    }

    /** A differentiated input with the given values (rounded to float32). */
    public GradientCheck input(String inputName, Shape shape, double[] values) {
        inputs.add(new Input(inputName, shape, values, true));
        return this;
    }

    /** An input the check does not differentiate (targets, weights held fixed). */
    public GradientCheck constant(String inputName, Shape shape, double[] values) {
        inputs.add(new Input(inputName, shape, Objects.requireNonNull(values, "values"), false));
        return this;
    }

    public GradientCheck forward(Forward f) {
        this.forward = Objects.requireNonNull(f, "forward");
        return this;
    }

    public GradientCheck training(boolean t) {
        this.training = t;
        return this;
    }

    public GradientCheck seed(long s) {
        this.seed = s;
        return this;
    }

    /**
     * How many coordinates of each tensor finite differences visit (all when the tensor is smaller); 0
     * leaves a tensor of more than one element to the random directions alone.
     */
    public GradientCheck coordinates(int n) {
        this.coordinates = n;
        return this;
    }

    /** How many random directions of each tensor finite differences visit. */
    public GradientCheck directions(int n) {
        this.directions = n;
        return this;
    }

    public GradientCheck parameterValues(ParameterValues values) {
        this.parameterValues = Objects.requireNonNull(values, "values");
        return this;
    }

    /**
     * Tensors (by name, as {@link #gradients} keys them) that finite differences skip because the value is
     * locally constant in them by design (a straight-through estimator's α); float32 still compares them.
     */
    public GradientCheck excludeFromFiniteDifferences(Predicate<String> excluded) {
        this.finiteDifferenceExcluded = Objects.requireNonNull(excluded, "excluded");
        return this;
    }

    /** The weights r_i of the outputs in L = Σ_i Σ y_i · r_i, instead of random ones. */
    public GradientCheck outputWeights(double[]... r) {
        this.weights = List.of(r.clone());
        return this;
    }

    /** Something to do to the block once its parameters hold their values (e.g. fix a supernet edge). */
    public GradientCheck afterInitialization(Consumer<Block> action) {
        this.afterInitialization = Objects.requireNonNull(action, "action");
        return this;
    }

    /** Both checks at their tolerances: finite differences in float64, then float32 against float64. */
    public void verify() {
        finiteDifferences().assertWithin(FINITE_DIFFERENCE_TOLERANCE);
        float32AgainstFloat64().assertWithin(FLOAT32_TOLERANCE);
    }

    /**
     * The autograd gradients of L in {@code type}, as doubles, keyed "input:NAME" for the differentiated
     * inputs and by the block's parameter names (e.g. "alpha", "01Conv2d_weight") for its parameters.
     */
    public Map<String, double[]> gradients(DataType type) {
        return onOneThread(() -> gradientsOf(type));
    }

    private Map<String, double[]> gradientsOf(DataType type) {
        try (NDManager manager = NDManager.newBaseManager()) {
            Instance in = instance(manager, type);
            if (in.block() != null && type == DataType.FLOAT32) {
                prepareFloat32(in.block());
            }
            return gradients(manager, in, type);
        }
    }

    /** The outputs of one forward pass in {@code type}, as doubles (for fixtures that need the values). */
    public List<double[]> forwardValues(DataType type) {
        return onOneThread(() -> {
            try (NDManager manager = NDManager.newBaseManager()) {
                Instance in = instance(manager, type);
                List<double[]> values = new ArrayList<>();
                for (NDArray y : forward.apply(in.block(), new ParameterStore(manager, false), in.inputs(), training)) {
                    values.add(y.toType(DataType.FLOAT64, false).toDoubleArray());
                }
                return values;
            }
        });
    }

    /** Float64 autograd gradients against central differences; see the class comment for the measures. */
    public Report finiteDifferences() {
        return onOneThread(this::finiteDifferencesOnThisThread);
    }

    private Report finiteDifferencesOnThisThread() {
        List<TensorError> errors = new ArrayList<>();
        try (NDManager manager = NDManager.newBaseManager()) {
            Instance in = instance(manager, DataType.FLOAT64);
            Map<String, double[]> analytic = gradients(manager, in, DataType.FLOAT64);
            double largest = 0;
            for (double[] g : analytic.values()) {
                largest = nanMax(largest, maxAbs(g));
            }
            SplittableRandom random = new SplittableRandom(seed ^ 0x5eed_fdL);
            for (Map.Entry<String, NDArray> t : in.tensors().entrySet()) {
                String tensor = t.getKey();
                if (finiteDifferenceExcluded.test(tensor)) {
                    continue;
                }
                NDArray array = t.getValue();
                double[] base = array.toDoubleArray();
                double[] g = analytic.get(tensor);
                double[] work = base.clone();
                // Coordinates: all of a small tensor; of a larger one the largest gradient and random others.
                Set<Integer> chosen = new LinkedHashSet<>();
                if (base.length <= coordinates || base.length == 1) {
                    for (int i = 0; i < base.length; i++) {
                        chosen.add(i);
                    }
                } else if (coordinates > 0) {
                    chosen.add(argMaxAbs(g));
                    while (chosen.size() < coordinates) {
                        chosen.add(random.nextInt(base.length));
                    }
                }
                double maxError = 0;
                double scale = nanMax(maxAbs(g), SCALE_FLOOR * largest);
                for (int i : chosen) {
                    double h = step * Math.max(1, Math.abs(base[i]));
                    work[i] = base[i] + h;
                    array.set(work);
                    double plus = loss(manager, in);
                    work[i] = base[i] - h;
                    array.set(work);
                    double minus = loss(manager, in);
                    work[i] = base[i];
                    double fd = (plus - minus) / (2 * h);
                    maxError = nanMax(maxError, Math.abs(g[i] - fd));
                    scale = nanMax(scale, Math.abs(fd));
                }
                array.set(base);
                if (!chosen.isEmpty()) {
                    errors.add(new TensorError(tensor, "coordinates " + chosen.size() + "/" + base.length, maxError, scale));
                }
                for (int k = 0; k < directions && base.length > 1; k++) {
                    double[] d = new double[base.length];
                    double dNorm = 0;
                    double gd = 0;
                    for (int i = 0; i < d.length; i++) {
                        d[i] = random.nextGaussian();
                        dNorm += d[i] * d[i];
                        gd += g[i] * d[i];
                    }
                    dNorm = Math.sqrt(dNorm);
                    double h = step * Math.max(1, maxAbs(base)) / dNorm * Math.sqrt(d.length);
                    for (int i = 0; i < d.length; i++) {
                        work[i] = base[i] + h * d[i];
                    }
                    array.set(work);
                    double plus = loss(manager, in);
                    for (int i = 0; i < d.length; i++) {
                        work[i] = base[i] - h * d[i];
                    }
                    array.set(work);
                    double minus = loss(manager, in);
                    System.arraycopy(base, 0, work, 0, base.length);
                    array.set(base);
                    double fd = (plus - minus) / (2 * h);
                    errors.add(new TensorError(tensor, "direction " + k, Math.abs(gd - fd),
                            Math.max(norm(g), SCALE_FLOOR * largest) * dNorm));
                }
            }
        }
        return new Report(name + " (float64 autograd vs finite differences)", errors);
    }

    /** Float32 autograd gradients against float64 ones of the same values, per tensor over all of it. */
    public Report float32AgainstFloat64() {
        Map<String, double[]> g64 = gradients(DataType.FLOAT64);
        Map<String, double[]> g32 = gradients(DataType.FLOAT32);
        return new Report(name + " (float32 vs float64 autograd)", compare(g64, g32));
    }

    /** Per tensor, max|b − a| relative to max(max|a|, {@link #SCALE_FLOOR} · the largest |a| of all). */
    private static List<TensorError> compare(Map<String, double[]> g64, Map<String, double[]> g32) {
        double largest = 0;
        for (double[] g : g64.values()) {
            largest = Math.max(largest, maxAbs(g));
        }
        List<TensorError> errors = new ArrayList<>();
        for (Map.Entry<String, double[]> e : g64.entrySet()) {
            double[] a = e.getValue();
            double[] b = g32.get(e.getKey());
            double maxError = 0;
            for (int i = 0; i < a.length; i++) {
                maxError = nanMax(maxError, Math.abs(a[i] - b[i]));
            }
            errors.add(new TensorError(e.getKey(), "float32", maxError, Math.max(maxAbs(a), SCALE_FLOOR * largest)));
        }
        return errors;
    }

    /**
     * Runs {@code work} with libtorch on one intra-op thread, as it stood before afterwards. The tensors
     * here are tiny: with two threads on a busy machine each operation waited milliseconds at OpenMP's
     * barriers (17 ms against 0.4 ms for one small convolution block), and the check runs thousands.
     */
    private static <T> T onOneThread(Supplier<T> work) {
        Engine.getInstance();
        int before = JniUtils.getNumThreads();
        JniUtils.setNumThreads(1);
        try {
            return work.get();
        } finally {
            JniUtils.setNumThreads(before);
        }
    }

    // ---------------------------------------------------------------------------------------------

    private Instance instance(NDManager manager, DataType type) {
        SplittableRandom random = new SplittableRandom(seed);
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        NDList in = new NDList();
        for (Input input : inputs) {
            double[] v = input.values() != null ? input.values() : gaussian(random, input.shape().size());
            if (v.length != input.shape().size()) {
                throw new IllegalArgumentException("input " + input.name() + " of shape " + input.shape()
                        + " got " + v.length + " values");
            }
            NDArray array = create(manager, v, input.shape(), type);
            if (input.differentiated()) {
                array.setRequiresGradient(true);
                tensors.put("input:" + input.name(), array);
            }
            in.add(array);
        }
        Block block = null;
        if (factory != null) {
            block = factory.get();
            // Every value is overwritten below; the initialiser only has to exist for DJL to allocate.
            block.setInitializer(new ConstantInitializer(0f), p -> true);
            Shape[] shapes = new Shape[inputs.size()];
            for (int i = 0; i < shapes.length; i++) {
                shapes[i] = inputs.get(i).shape();
            }
            block.initialize(manager, type, shapes);
            SplittableRandom parameterRandom = new SplittableRandom(seed ^ 0x9a4a_3e7eL);
            for (Pair<String, Parameter> p : block.getParameters()) {
                Parameter parameter = p.getValue();
                NDArray array = parameter.getArray();
                double[] v = parameterValues.values(p.getKey(), parameter, parameterRandom);
                if (v == null) {
                    v = defaultValues(parameter, array.getShape(), parameterRandom);
                }
                set(array, v);
                if (parameter.requiresGradient()) {
                    tensors.put(p.getKey(), array);
                }
            }
            afterInitialization.accept(block);
        }
        return new Instance(block, in, tensors);
    }

    private Map<String, double[]> gradients(NDManager manager, Instance in, DataType type) {
        Map<String, double[]> out = new LinkedHashMap<>();
        try (NDScope scope = new NDScope()) {
            try (GradientCollector collector = new ThreadGradientCollector()) {
                NDArray l = objective(manager, in, type);
                // In float32 (compared with float64 below), freed native memory holds NaN when backward
                // runs: a constant that autograd saved without keeping its memory alive shows at once.
                List<ByteBuffer> poisoned = type == DataType.FLOAT32 ? poisonFreedMemory() : List.of();
                try {
                    collector.backward(l);
                } catch (EngineException e) {
                    // An output that depends on no tensor (the 'none' op) has no graph: every gradient is 0.
                    if (!String.valueOf(e.getMessage()).contains("does not require grad")) {
                        throw e;
                    }
                }
                Reference.reachabilityFence(poisoned); // the NaN blocks stay taken until backward is done
            }
            for (Map.Entry<String, NDArray> t : in.tensors().entrySet()) {
                NDArray array = t.getValue();
                double[] g = array.hasGradient() ? array.getGradient().toType(DataType.FLOAT64, true).toDoubleArray()
                        : new double[(int) array.getShape().size()];
                out.put(t.getKey(), g);
            }
        }
        return out;
    }

    private static List<ByteBuffer> poisonFreedMemory() {
        try {
            return FreedNativeMemory.poison(1, 20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while poisoning freed memory", e);
        }
    }

    private double loss(NDManager manager, Instance in) {
        try (NDScope scope = new NDScope()) {
            return objective(manager, in, DataType.FLOAT64).toType(DataType.FLOAT64, false).getDouble();
        }
    }

    /** L = Σ_i Σ y_i · r_i, with r drawn once, on the first pass, from the outputs' shapes. */
    private NDArray objective(NDManager manager, Instance in, DataType type) {
        ParameterStore ps = new ParameterStore(manager, false);
        NDList outputs = forward.apply(in.block(), ps, in.inputs(), training);
        if (weights == null) {
            SplittableRandom random = new SplittableRandom(seed ^ 0x0b_7ec7L);
            List<double[]> w = new ArrayList<>();
            for (NDArray y : outputs) {
                w.add(gaussian(random, y.getShape().size()));
            }
            weights = w;
        }
        NDArray total = null;
        for (int i = 0; i < outputs.size(); i++) {
            NDArray y = outputs.get(i);
            NDArray r = create(manager, weights.get(i), y.getShape(), y.getDataType());
            NDArray term = y.mul(r).sum();
            total = total == null ? term : total.add(term);
        }
        return total;
    }

    private static double[] defaultValues(Parameter parameter, Shape shape, SplittableRandom random) {
        int n = (int) shape.size();
        double[] v = new double[n];
        long fanIn = 1;
        for (int i = 1; i < shape.dimension(); i++) {
            fanIn *= shape.get(i);
        }
        double bound = 1 / Math.sqrt(Math.max(1, fanIn));
        for (int i = 0; i < n; i++) {
            v[i] = switch (parameter.getType()) {
                case WEIGHT -> uniform(random, -bound, bound);
                case GAMMA, RUNNING_VAR -> uniform(random, 0.5, 1.5);
                case BIAS, BETA, RUNNING_MEAN -> uniform(random, -0.5, 0.5);
                default -> 0.5 * random.nextGaussian();
            };
        }
        return v;
    }

    private static double uniform(SplittableRandom random, double lo, double hi) {
        return lo + (hi - lo) * random.nextDouble();
    }

    private static double[] gaussian(SplittableRandom random, long n) {
        double[] v = new double[(int) n];
        for (int i = 0; i < v.length; i++) {
            v[i] = random.nextGaussian();
        }
        return v;
    }

    /** Values rounded to float32, so both data types hold exactly the same numbers. */
    private static NDArray create(NDManager manager, double[] values, Shape shape, DataType type) {
        float[] f = new float[values.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) values[i];
        }
        NDArray array = manager.create(f, shape);
        return type == DataType.FLOAT32 ? array : array.toType(type, false);
    }

    private static void set(NDArray array, double[] values) {
        if (values.length != array.getShape().size()) {
            throw new IllegalArgumentException("parameter of shape " + array.getShape() + " got " + values.length + " values");
        }
        float[] f = new float[values.length];
        double[] d = new double[values.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) values[i];
            d[i] = f[i];
        }
        if (array.getDataType() == DataType.FLOAT32) {
            array.set(f);
        } else {
            array.set(d);
        }
    }

    private static int argMaxAbs(double[] g) {
        int best = 0;
        for (int i = 1; i < g.length; i++) {
            if (!(Math.abs(g[i]) <= Math.abs(g[best]))) {
                best = i;
            }
        }
        return best;
    }

    private static double maxAbs(double[] g) {
        double m = 0;
        for (double v : g) {
            m = nanMax(m, Math.abs(v));
        }
        return m;
    }

    private static double norm(double[] g) {
        double s = 0;
        for (double v : g) {
            s += v * v;
        }
        return Math.sqrt(s);
    }

    /** Math.max that keeps a NaN, so a NaN gradient shows as an infinite error. */
    private static double nanMax(double a, double b) {
        return Double.isNaN(a) || Double.isNaN(b) ? Double.NaN : Math.max(a, b);
    }
}
