package org.trickbench.core.space.nb201;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The NAS-Bench-201 supernet (xautodl {@code TinyNetworkDarts} / {@code TinyNetworkGDAS}): the
 * skeleton of {@link Nb201Network} with {@link Nb201SearchCell}s in place of fixed cells, and one
 * architecture tensor α (6 edges × 5 ops) shared by every cell, as the benchmark's search models share
 * it. α is a {@link Parameter.Type#OTHER} parameter with its own initialiser, 1e-3 · N(0, 1) as in
 * DARTS (Liu, Simonyan & Yang, ICLR 2019, arXiv 1806.09055), so a training config's weight
 * initialiser never touches it.
 *
 * <p>How the edges combine their ops is set before each forward pass: {@link #useWeighted()} (DARTS),
 * {@link #useGumbel} (GDAS) or {@link #useSinglePath} (SPOS, random search with weight sharing).
 * Edge weights are computed once per pass from α and shared by all cells.
 */
public final class Nb201Supernet extends AbstractBlock {
    private static final byte VERSION = 1;
    private static final int OPS = Nb201Op.values().length;

    private final NetworkConfig config;
    private final Parameter alpha;
    private final Block stem;
    private final List<Block> body = new ArrayList<>();
    private final List<Nb201SearchCell> cells = new ArrayList<>();
    private final List<Block> skeleton = new ArrayList<>();
    private final Block head;

    private MixedOp.Mode mode = MixedOp.Mode.WEIGHTED;
    private NDArray gumbel;
    private double tau = 1;
    private Genotype path;
    private Genotype lastPath;
    private NDArray alphaOverride;

    /**
     * @param skeletonOps op factories of the stem, the reduction blocks and the head
     * @param cellOps op factories of the candidate operations on the edges
     */
    public Nb201Supernet(NetworkConfig config, Nb201Ops skeletonOps, Nb201Ops cellOps) {
        super(VERSION);
        this.config = config;
        alpha = addParameter(Parameter.builder()
                .setName("alpha")
                .setType(Parameter.Type.OTHER)
                .optShape(new Shape(Genotype.EDGES, OPS))
                .optInitializer(new NormalInitializer(1e-3f))
                .build());
        int c = config.channels();
        stem = addChildBlock("stem", new SequentialBlock()
                .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1))
                        .setFilters(c).optBias(false).build())
                .add(skeletonOps.normalization()));
        skeleton.add(stem);
        int[] stageChannels = {c, 2 * c, 4 * c};
        for (int stage = 0; stage < stageChannels.length; stage++) {
            if (stage > 0) {
                Block reduction = addChildBlock("reduction" + stage, new ResNetReduction(stageChannels[stage], skeletonOps));
                body.add(reduction);
                skeleton.add(reduction);
            }
            for (int i = 0; i < config.cellsPerStage(); i++) {
                Nb201SearchCell cell = addChildBlock("cell" + stage + "_" + i,
                        new Nb201SearchCell(stageChannels[stage], cellOps));
                body.add(cell);
                cells.add(cell);
            }
        }
        head = addChildBlock("head", new SequentialBlock()
                .add(skeletonOps.normalization())
                .add(skeletonOps.activation())
                .add(Pool.globalAvgPool2dBlock())
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(config.classes()).build()));
        skeleton.add(head);
    }

    /**
     * The benchmark's search model: stem, reductions and head as in the standalone network, and
     * candidate ops whose BatchNorm has no affine parameters ({@code affine=False} in the
     * benchmark's search scripts, so that learnable scales cannot stand in for α).
     */
    public static Nb201Supernet standard(NetworkConfig config) {
        return new Nb201Supernet(config, Nb201Ops.standard(), searchCellOps());
    }

    /** ReLU and BatchNorm without affine parameters, the candidate ops' setting during search. */
    public static Nb201Ops searchCellOps() {
        return new Nb201Ops(Activation::reluBlock, () -> BatchNorm.builder().optCenter(false).optScale(false).build());
    }

    public NetworkConfig config() {
        return config;
    }

    /** The architecture parameters, 6 edges × 5 ops in {@link Nb201Op} order. */
    public Parameter alpha() {
        return alpha;
    }

    /** Every trainable parameter except α. */
    public List<Parameter> weights() {
        List<Parameter> all = new ArrayList<>();
        for (Pair<String, Parameter> p : getParameters()) {
            if (p.getValue() != alpha && p.getValue().requiresGradient()) {
                all.add(p.getValue());
            }
        }
        return all;
    }

    /**
     * The trainable parameters a forward pass along {@code path} uses: the stem, reductions and head,
     * and on every edge of every cell only the chosen op's. A single-path step updates only these, as
     * PyTorch's optimisers skip parameters that received no gradient.
     */
    public List<Parameter> weights(Genotype path) {
        Set<Parameter> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Parameter> used = new ArrayList<>();
        for (Block block : skeleton) {
            addTrainable(block, seen, used);
        }
        for (Nb201SearchCell cell : cells) {
            for (int e = 0; e < Genotype.EDGES; e++) {
                addTrainable(cell.edge(e).candidate(path.op(e)), seen, used);
            }
        }
        return used;
    }

    private static void addTrainable(Block block, Set<Parameter> seen, List<Parameter> into) {
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (p.getValue().requiresGradient() && seen.add(p.getValue())) {
                into.add(p.getValue());
            }
        }
    }

    /** The search cells, stage by stage. */
    public List<Nb201SearchCell> cells() {
        return List.copyOf(cells);
    }

    public MixedOp.Mode mode() {
        return mode;
    }

    /** DARTS: every edge is the softmax(α)-weighted sum of its ops. */
    public void useWeighted() {
        mode = MixedOp.Mode.WEIGHTED;
        gumbel = null;
        path = null;
    }

    /**
     * GDAS: the next forward pass draws, per edge, the op argmax(log softmax(α) + g) and runs it alone,
     * with the straight-through weights of p = softmax((log softmax(α) + g) / τ) (Dong & Yang, CVPR
     * 2019, arXiv 1910.04465; xautodl {@code TinyNetworkGDAS.forward}). The caller draws fresh noise
     * for every step; passes that reuse it (a recomputed gradient) see the same sample.
     *
     * @param gumbelNoise g, standard Gumbel samples of shape 6×5 on α's device and of α's type
     * @param tau the softmax temperature τ &gt; 0
     */
    public void useGumbel(NDArray gumbelNoise, double tau) {
        if (!(tau > 0)) {
            throw new IllegalArgumentException("the Gumbel-softmax temperature must be > 0, got " + tau);
        }
        if (!gumbelNoise.getShape().equals(new Shape(Genotype.EDGES, OPS))) {
            throw new IllegalArgumentException("Gumbel noise must have shape (6, 5), got " + gumbelNoise.getShape());
        }
        mode = MixedOp.Mode.ONE_HOT;
        gumbel = gumbelNoise;
        this.tau = tau;
        path = null;
    }

    /** SPOS and random search with weight sharing: every cell runs exactly the ops of {@code path}. */
    public void useSinglePath(Genotype path) {
        mode = MixedOp.Mode.SINGLE_PATH;
        this.path = Objects.requireNonNull(path, "path");
        gumbel = null;
    }

    /**
     * The architecture weights the next forward passes use in place of the stored α, until cleared with
     * null (e.g. α plus noise during a weight step). No gradient reaches the stored α through it.
     *
     * @param alpha shape 6×5 on α's device, or null for the stored α
     */
    public void overrideAlpha(NDArray alpha) {
        if (alpha != null && !alpha.getShape().equals(new Shape(Genotype.EDGES, OPS))) {
            throw new IllegalArgumentException("α must have shape (6, 5), got " + alpha.getShape());
        }
        alphaOverride = alpha == null ? null : alpha.stopGradient();
    }

    /** The path {@link #useSinglePath} set, which the coming passes run; null in the other modes. */
    public Genotype singlePath() {
        return path;
    }

    /** The ops the last ONE_HOT or SINGLE_PATH forward pass ran; null after a WEIGHTED one. */
    public Genotype lastPath() {
        return lastPath;
    }

    /**
     * The architecture the search proposes: per edge the op with the largest α, over all five ops with
     * {@code none} included, as the benchmark's {@code genotype()} does (ties go to the first op).
     */
    public Genotype genotype() {
        double[][] a = alphaValues();
        Nb201Op[] ops = new Nb201Op[Genotype.EDGES];
        for (int e = 0; e < Genotype.EDGES; e++) {
            int best = 0;
            for (int k = 1; k < OPS; k++) {
                if (a[e][k] > a[e][best]) {
                    best = k;
                }
            }
            ops[e] = Nb201Op.values()[best];
        }
        return Genotype.of(ops);
    }

    /** α copied to the host, edge by edge. */
    public double[][] alphaValues() {
        double[] flat;
        try (NDArray host = alpha.getArray().toType(DataType.FLOAT64, true)) {
            flat = host.toDoubleArray();
        }
        double[][] a = new double[Genotype.EDGES][OPS];
        for (int e = 0; e < Genotype.EDGES; e++) {
            System.arraycopy(flat, e * OPS, a[e], 0, OPS);
        }
        return a;
    }

    /**
     * Mean over edges of the entropy of softmax(α_e), in nats: log 5 ≈ 1.609 at a uniform start, and
     * falling as the search commits. Read once per epoch, it shows how decided the search is.
     */
    public double meanEntropy() {
        double[][] a = alphaValues();
        double total = 0;
        for (double[] row : a) {
            double max = Double.NEGATIVE_INFINITY;
            for (double v : row) {
                max = Math.max(max, v);
            }
            double z = 0;
            for (double v : row) {
                z += Math.exp(v - max);
            }
            double h = 0;
            for (double v : row) {
                double p = Math.exp(v - max) / z;
                if (p > 0) {
                    h -= p * Math.log(p);
                }
            }
            total += h;
        }
        return total / a.length;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        MixedOp.Selection[] selections = selections(alphaOverride != null ? alphaOverride
                : ps.getValue(alpha, x.getDevice(), training));
        x = stem.forward(ps, new NDList(x), training, params).singletonOrThrow();
        for (Block block : body) {
            x = block instanceof Nb201SearchCell cell
                    ? cell.forward(ps, x, selections, training, params)
                    : block.forward(ps, new NDList(x), training, params).singletonOrThrow();
        }
        return head.forward(ps, new NDList(x), training, params);
    }

    private MixedOp.Selection[] selections(NDArray a) {
        MixedOp.Selection[] s = new MixedOp.Selection[Genotype.EDGES];
        switch (mode) {
            case WEIGHTED -> {
                NDArray probabilities = a.softmax(1);
                for (int e = 0; e < Genotype.EDGES; e++) {
                    s[e] = MixedOp.Selection.weighted(probabilities.get(e));
                }
                lastPath = null;
            }
            case ONE_HOT -> {
                if (gumbel == null) {
                    throw new IllegalStateException("GDAS mode needs Gumbel noise: call useGumbel before the forward pass");
                }
                NDArray p = a.logSoftmax(1).add(gumbel).div(tau).softmax(1);
                NDArray index = p.argMax(1);
                long[] chosen = index.toLongArray();
                NDArray hot = index.oneHot(OPS, p.getDataType());
                NDArray hard = hot.sub(p.stopGradient()).add(p);
                Nb201Op[] ops = new Nb201Op[Genotype.EDGES];
                for (int e = 0; e < Genotype.EDGES; e++) {
                    s[e] = MixedOp.Selection.oneHot(hard.get(e), (int) chosen[e]);
                    ops[e] = Nb201Op.values()[(int) chosen[e]];
                }
                lastPath = Genotype.of(ops);
            }
            case SINGLE_PATH -> {
                for (int e = 0; e < Genotype.EDGES; e++) {
                    s[e] = MixedOp.Selection.single(path.op(e));
                }
                lastPath = path;
            }
        }
        return s;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), config.classes())};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        stem.initialize(manager, dataType, inputShapes[0]);
        Shape[] shape = stem.getOutputShapes(new Shape[] {inputShapes[0]});
        for (Block block : body) {
            block.initialize(manager, dataType, shape);
            shape = block.getOutputShapes(shape);
        }
        head.initialize(manager, dataType, shape);
    }
}
