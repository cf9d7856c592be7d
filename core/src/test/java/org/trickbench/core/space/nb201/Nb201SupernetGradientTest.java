package org.trickbench.core.space.nb201;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.trickbench.core.numerics.GradientCheck;

/**
 * Gradients of the supernet's edges in its three modes, for the weights, the inputs and the
 * architecture parameters α, against finite differences (float64) and float32 against float64.
 *
 * <p>GDAS's forward value does not depend on α (the edge runs the argmax op with weight exactly 1, the
 * straight-through h = one_hot − stop_gradient(p) + p), so finite differences in α see nothing. What
 * is checked instead is the estimator's formula: ∂L/∂α = Jᵀ ∂L/∂h with p = softmax((log softmax(α) +
 * g)/τ), J = ∂p/∂α computed here in closed form, and ∂L/∂h taken by finite differences of the same
 * network run with h as a free input (the forward pass is smooth in h).
 */
@Tag("numerics")
class Nb201SupernetGradientTest {
    private static final int OPS = Nb201Op.values().length;
    /** Exact in float32: Scalars makes its constants in float32, whatever the array's type. */
    private static final double TAU = 0.625;

    private static Shape maps(int channels) {
        return new Shape(2, channels, 5, 5);
    }

    /** A probability row over the five ops, none of them zero, rounded to float32. */
    private static double[] weightsRow() {
        double[] w = {0.1f, 0.15f, 0.3f, 0.25f, 0.2f};
        return w;
    }

    private static double[] oneHot(int k) {
        double[] h = new double[OPS];
        h[k] = 1;
        return h;
    }

    // ---- MixedOp, one edge -----------------------------------------------------------------------

    /** DARTS: Σ_k w_k op_k(x); the weights are an input, so ∂L/∂w_k = Σ op_k(x)·r is checked too. */
    @ParameterizedTest
    @ValueSource(ints = {1, 3, 4, 8, 12, 16, 24})
    void weightedEdgeGradientsAreExactForInputWeightsAndOps(int channels) {
        GradientCheck.of("weighted edge C=" + channels, () -> MixedOp.of(channels, Nb201Supernet.searchCellOps()))
                .input("x", maps(channels))
                .input("w", new Shape(OPS), weightsRow())
                .verify();
    }

    /**
     * GDAS on one edge, each op chosen in turn: h_k·op_k(x) + Σ_{j≠k} h_j. With h a free input,
     * ∂L/∂h_k = Σ op_k(x)·r and ∂L/∂h_j = Σ r for the others, which finite differences see.
     */
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4})
    void oneHotEdgeGradientsAreExactForEveryChoice(int choice) {
        int channels = 4;
        GradientCheck.of("one-hot edge, " + Nb201Op.values()[choice].id(),
                        () -> MixedOp.of(channels, Nb201Supernet.searchCellOps()))
                .input("x", maps(channels))
                .input("h", new Shape(OPS), oneHot(choice))
                .forward((block, ps, in, training) -> new NDList(((MixedOp) block).forward(ps, in.get(0),
                        MixedOp.Selection.oneHot(in.get(1), choice), training, null)))
                .verify();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4})
    void singlePathEdgeGradientsAreExactForEveryOp(int choice) {
        int channels = 3;
        Nb201Op op = Nb201Op.values()[choice];
        GradientCheck.of("single-path edge, " + op.id(), () -> MixedOp.of(channels, Nb201Supernet.searchCellOps()))
                .input("x", maps(channels))
                .forward((block, ps, in, training) -> new NDList(((MixedOp) block).forward(ps, in.get(0),
                        MixedOp.Selection.single(op), training, null)))
                .verify();
    }

    // ---- The supernet ----------------------------------------------------------------------------

    private static NetworkConfig config(int channels) {
        return new NetworkConfig(3, 8, 8, 4, channels, 1);
    }

    /** α with clear gaps between each edge's ops, so no argmax is near a tie. */
    private static double[] alpha() {
        SplittableRandom random = new SplittableRandom(21);
        double[] a = new double[Genotype.EDGES * OPS];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) random.nextGaussian();
        }
        return a;
    }

    /** Fixed Gumbel noise, −log(−log U). */
    private static double[] gumbel() {
        SplittableRandom random = new SplittableRandom(22);
        double[] g = new double[Genotype.EDGES * OPS];
        for (int i = 0; i < g.length; i++) {
            g[i] = (float) -Math.log(-Math.log(random.nextDouble(1e-6, 1)));
        }
        return g;
    }

    private static GradientCheck supernet(String name, int channels, SupernetMode mode) {
        NetworkConfig config = config(channels);
        double[] a = alpha();
        return GradientCheck.of(name + " C=" + channels, () -> Nb201Supernet.standard(config))
                .afterInitialization(block -> mode.restrict((Nb201Supernet) block))
                .input("images", Nb201Network.inputShape(config, 2))
                .parameterValues((n, p, random) -> n.equals("alpha") ? a : null)
                .forward((block, ps, in, training) -> {
                    Nb201Supernet net = (Nb201Supernet) block;
                    mode.select(net, in.head());
                    return net.forward(ps, in, training);
                })
                // About fifty tensors, whose ops the edge checks visit coordinate by coordinate: here a
                // random direction each, which sees every coordinate of the tensor at once.
                .coordinates(0);
    }

    /** How a supernet check sets the mode before every forward pass. */
    private interface SupernetMode {
        void select(Nb201Supernet net, NDArray like);

        default void restrict(Nb201Supernet net) {}
    }

    private static final Genotype PATH =
            Genotype.parse("|nor_conv_3x3~0|+|nor_conv_1x1~0|avg_pool_3x3~1|+|skip_connect~0|none~1|nor_conv_3x3~2|");

    private static void gumbelMode(Nb201Supernet net, NDArray like) {
        NDArray g = like.getManager().create(toFloats(gumbel()), new Shape(Genotype.EDGES, OPS))
                .toType(like.getDataType(), false);
        net.useGumbel(g, TAU);
    }

    @Test
    void weightedSupernetGradientsAreExactForAlphaWeightsAndImages() {
        supernet("DARTS supernet", 4, (net, like) -> net.useWeighted()).verify();
    }

    /**
     * Restricted edges at C=3: masked ops get no weight and no gradient; a fixed edge's α row gets none
     * either, while the rest of α does.
     */
    @Test
    void restrictedWeightedSupernetGradientsAreExact() {
        SupernetMode restricted = new SupernetMode() {
            @Override
            public void select(Nb201Supernet net, NDArray like) {
                net.useWeighted();
            }

            @Override
            public void restrict(Nb201Supernet net) {
                net.allow(0, EnumSet.of(Nb201Op.NOR_CONV_3X3, Nb201Op.SKIP_CONNECT));
                net.allow(3, EnumSet.of(Nb201Op.NOR_CONV_1X1));
            }
        };
        GradientCheck check = supernet("restricted DARTS supernet", 3, restricted);
        check.verify();
        double[] da = check.gradients(DataType.FLOAT64).get("alpha");
        for (Nb201Op op : Nb201Op.values()) {
            boolean allowed = op == Nb201Op.NOR_CONV_3X3 || op == Nb201Op.SKIP_CONNECT;
            double g0 = da[op.ordinal()];
            assertTrue(allowed ? g0 != 0 : g0 == 0, "edge 0, " + op.id() + ": " + g0);
            assertEquals(0, da[3 * OPS + op.ordinal()], "fixed edge 3, " + op.id());
            assertTrue(da[5 * OPS + op.ordinal()] != 0, "free edge 5, " + op.id());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {4})
    void singlePathSupernetGradientsAreExactAndLeaveAlphaAlone(int channels) {
        GradientCheck check = supernet("SPOS supernet", channels, (net, like) -> net.useSinglePath(PATH));
        check.verify();
        double[] da = check.gradients(DataType.FLOAT64).get("alpha");
        assertArrayEquals(new double[da.length], da, 0);
    }

    /** GDAS: images and weights by finite differences; α in float32 against float64 only (see class comment). */
    @ParameterizedTest
    @ValueSource(ints = {4})
    void gumbelSupernetGradientsAreExactForWeightsAndImages(int channels) {
        supernet("GDAS supernet", channels, Nb201SupernetGradientTest::gumbelMode)
                .excludeFromFiniteDifferences("alpha"::equals)
                .verify();
    }

    @ParameterizedTest
    @ValueSource(ints = {3})
    void gumbelAlphaGradientIsTheStraightThroughEstimator(int channels) {
        double[] a = alpha();
        double[] g = gumbel();
        int[] chosen = new int[Genotype.EDGES];
        double[] hot = new double[Genotype.EDGES * OPS];
        for (int e = 0; e < Genotype.EDGES; e++) {
            for (int k = 1; k < OPS; k++) {
                // argmax of (log softmax(α) + g)/τ is the argmax of α + g
                if (a[e * OPS + k] + g[e * OPS + k] > a[e * OPS + chosen[e]] + g[e * OPS + chosen[e]]) {
                    chosen[e] = k;
                }
            }
            hot[e * OPS + chosen[e]] = 1;
        }
        // The supernet's own α gradient (float64 autograd).
        GradientCheck real = supernet("GDAS supernet", channels, Nb201SupernetGradientTest::gumbelMode);
        double[] da = real.gradients(DataType.FLOAT64).get("alpha");

        // ∂L/∂h from the same network with h free: stem, cells and reductions in the supernet's own order.
        NetworkConfig config = config(channels);
        GradientCheck free = GradientCheck.of("GDAS supernet, h free, C=" + channels, () -> Nb201Supernet.standard(config))
                .input("images", Nb201Network.inputShape(config, 2))
                .input("h", new Shape(Genotype.EDGES, OPS), hot)
                .parameterValues((n, p, random) -> n.equals("alpha") ? a : null)
                .forward((block, ps, in, training) -> {
                    MixedOp.Selection[] s = new MixedOp.Selection[Genotype.EDGES];
                    for (int e = 0; e < Genotype.EDGES; e++) {
                        s[e] = MixedOp.Selection.oneHot(in.get(1).get(e), chosen[e]);
                    }
                    NDArray x = in.get(0);
                    for (Block child : block.getChildren().values()) {
                        x = child instanceof Nb201SearchCell cell ? cell.forward(ps, x, s, training, null)
                                : child.forward(ps, new NDList(x), training).singletonOrThrow();
                    }
                    return new NDList(x);
                })
                // The weights' gradients are checked in GDAS mode above; here ∂L/∂h is what matters.
                .excludeFromFiniteDifferences(n -> !n.equals("input:h"))
                .coordinates(Genotype.EDGES * OPS);
        assertEquals(List.of("stem", "cell0_0", "reduction1", "cell1_0", "reduction2", "cell2_0", "head"),
                childNames(Nb201Supernet.standard(config)), "the supernet's order, which the free network follows");
        free.finiteDifferences().assertWithin(GradientCheck.FINITE_DIFFERENCE_TOLERANCE);
        double[] u = free.gradients(DataType.FLOAT64).get("input:h");

        double[] expected = new double[da.length];
        for (int e = 0; e < Genotype.EDGES; e++) {
            double[] row = new double[OPS];
            double[] noise = new double[OPS];
            double[] du = new double[OPS];
            System.arraycopy(a, e * OPS, row, 0, OPS);
            System.arraycopy(g, e * OPS, noise, 0, OPS);
            System.arraycopy(u, e * OPS, du, 0, OPS);
            System.arraycopy(straightThrough(row, noise, du), 0, expected, e * OPS, OPS);
        }
        double scale = 0;
        double error = 0;
        for (int i = 0; i < da.length; i++) {
            scale = Math.max(scale, Math.abs(expected[i]));
            error = Math.max(error, Math.abs(da[i] - expected[i]));
        }
        assertTrue(scale > 0, "α receives a gradient");
        // Both sides are float64 arithmetic on the same numbers: only rounding may differ.
        new GradientCheck.Report("GDAS straight-through estimator C=" + channels,
                List.of(new GradientCheck.TensorError("alpha", "Jᵀ ∂L/∂h", error, scale))).assertWithin(1e-9);
    }

    /**
     * Jᵀu for one edge: z = α − logsumexp(α) + g, p = softmax(z/τ); ∂L/∂z_j = p_j (u_j − Σ_i p_i u_i) / τ,
     * ∂L/∂α_m = ∂L/∂z_m − s_m Σ_j ∂L/∂z_j with s = softmax(α).
     */
    static double[] straightThrough(double[] alpha, double[] g, double[] u) {
        double[] s = softmax(alpha, 1);
        double[] z = new double[alpha.length];
        double lse = 0;
        double max = Double.NEGATIVE_INFINITY;
        for (double v : alpha) {
            max = Math.max(max, v);
        }
        for (double v : alpha) {
            lse += Math.exp(v - max);
        }
        lse = max + Math.log(lse);
        for (int j = 0; j < z.length; j++) {
            z[j] = alpha[j] - lse + g[j];
        }
        double[] p = softmax(z, TAU);
        double pu = 0;
        for (int j = 0; j < p.length; j++) {
            pu += p[j] * u[j];
        }
        double[] dz = new double[p.length];
        double sum = 0;
        for (int j = 0; j < p.length; j++) {
            dz[j] = p[j] * (u[j] - pu) / TAU;
            sum += dz[j];
        }
        double[] da = new double[p.length];
        for (int m = 0; m < p.length; m++) {
            da[m] = dz[m] - s[m] * sum;
        }
        return da;
    }

    private static double[] softmax(double[] v, double temperature) {
        double max = Double.NEGATIVE_INFINITY;
        for (double x : v) {
            max = Math.max(max, x / temperature);
        }
        double[] p = new double[v.length];
        double z = 0;
        for (int i = 0; i < v.length; i++) {
            p[i] = Math.exp(v[i] / temperature - max);
            z += p[i];
        }
        for (int i = 0; i < v.length; i++) {
            p[i] /= z;
        }
        return p;
    }

    private static List<String> childNames(Block block) {
        List<String> names = new ArrayList<>();
        for (Pair<String, Block> child : block.getChildren()) {
            names.add(child.getKey().replaceFirst("^\\d+", ""));
        }
        return names;
    }

    private static float[] toFloats(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }

    /** Sanity of the fixture: the chosen ops are the ones the supernet reports having run. */
    @Test
    void gumbelFixtureChoosesTheArgmaxOfAlphaPlusNoise() {
        NetworkConfig config = config(3);
        double[] a = alpha();
        Map<String, double[]> gradients = GradientCheck.of("GDAS path", () -> Nb201Supernet.standard(config))
                .input("images", Nb201Network.inputShape(config, 2))
                .parameterValues((n, p, random) -> n.equals("alpha") ? a : null)
                .forward((block, ps, in, training) -> {
                    Nb201Supernet net = (Nb201Supernet) block;
                    gumbelMode(net, in.head());
                    NDList out = net.forward(ps, in, training);
                    double[] g = gumbel();
                    for (int e = 0; e < Genotype.EDGES; e++) {
                        int best = 0;
                        for (int k = 1; k < OPS; k++) {
                            if (a[e * OPS + k] + g[e * OPS + k] > a[e * OPS + best] + g[e * OPS + best]) {
                                best = k;
                            }
                        }
                        assertEquals(Nb201Op.values()[best], net.lastPath().op(e), "edge " + e);
                    }
                    return out;
                })
                .gradients(DataType.FLOAT64);
        assertTrue(gradients.containsKey("alpha"), "α is a differentiated parameter, named 'alpha'");
    }
}
