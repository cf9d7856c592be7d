package org.trickbench.core.space.nb201;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import org.trickbench.core.space.Architecture;
import org.trickbench.core.space.GumbelSample;
import org.trickbench.core.space.TrainableSupernet;

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
 *
 * <p>Each edge may be restricted to a subset of the ops ({@link #restrict}, {@link #allow}): the others
 * get no weight, are never sampled or run, and never win the argmax. An edge restricted to one op is
 * <em>fixed</em>: it runs that op alone with weight 1 in every mode, its α row gets no gradient and is
 * held at its value from the moment it was fixed ({@link #holdFixedAlpha()}). Staged, perturbation-based
 * and few-shot selection decide edges this way. The stem can be frozen and bypassed
 * ({@link #freezeStem()}), so that the forward pass takes its cached output instead of images.
 */
public final class Nb201Supernet extends AbstractBlock implements TrainableSupernet {
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
    @SuppressWarnings("unchecked")
    private final EnumSet<Nb201Op>[] allowed = new EnumSet[Genotype.EDGES];
    private final float[][] heldAlpha = new float[Genotype.EDGES][];
    private boolean stemBypassed;

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
                .add(GlobalMeanPool.block())
                .add(Blocks.batchFlattenBlock())
                .add(Nb201Network.classifier(4L * config.channels(), config.classes())));
        skeleton.add(head);
        for (int e = 0; e < Genotype.EDGES; e++) {
            allowed[e] = EnumSet.allOf(Nb201Op.class);
        }
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

    /** Restricts every edge to the ops of {@code space} (a pre-optimised search space). */
    public void restrict(Nb201Space space) {
        for (int e = 0; e < Genotype.EDGES; e++) {
            allow(e, space.ops());
        }
    }

    /**
     * Lets edge {@code edge} choose only among {@code ops}; with one op the edge is fixed and its α row
     * held from now on. Widening a fixed edge again releases its row.
     */
    public void allow(int edge, Collection<Nb201Op> ops) {
        if (ops.isEmpty()) {
            throw new IllegalArgumentException("edge " + edge + " needs at least one op");
        }
        allowed[edge] = EnumSet.copyOf(ops);
        heldAlpha[edge] = null;
        if (ops.size() == 1) {
            try (NDScope scope = new NDScope()) {
                heldAlpha[edge] = alpha.getArray().get(edge).toType(DataType.FLOAT32, true).toFloatArray();
            }
        }
    }

    /** The ops edge {@code edge} may choose among. */
    public Set<Nb201Op> allowed(int edge) {
        return EnumSet.copyOf(allowed[edge]);
    }

    /**
     * A uniformly random path over the allowed ops, every edge independent. Over the unrestricted
     * supernet it draws exactly as {@code Genotype.fromIndex(random.nextInt(15625))}.
     */
    @Override
    public Genotype randomPath(SplittableRandom random) {
        int cells = 1;
        for (EnumSet<Nb201Op> ops : allowed) {
            cells *= ops.size();
        }
        int rest = random.nextInt(cells);
        Nb201Op[] chosen = new Nb201Op[Genotype.EDGES];
        for (int e = Genotype.EDGES - 1; e >= 0; e--) {
            List<Nb201Op> ops = List.copyOf(allowed[e]);
            chosen[e] = ops.get(rest % ops.size());
            rest /= ops.size();
        }
        return Genotype.of(chosen);
    }

    /** The op a fixed edge runs, or null while the edge is still mixed. */
    public Nb201Op fixedOp(int edge) {
        return allowed[edge].size() == 1 ? allowed[edge].iterator().next() : null;
    }

    /**
     * Writes the held α rows of fixed edges back, after an optimiser step: a fixed row has no gradient,
     * but Adam's decay and momentum would still move it.
     */
    @Override
    public void holdFixedAlpha() {
        NDArray a = alpha.getArray();
        try (NDScope scope = new NDScope()) {
            for (int e = 0; e < Genotype.EDGES; e++) {
                if (heldAlpha[e] != null) {
                    a.set(new NDIndex(e), a.getManager().create(heldAlpha[e]).toType(a.getDataType(), false)
                            .toDevice(a.getDevice(), false));
                }
            }
        }
    }

    /**
     * Freezes the stem at its current weights and bypasses it: from now on the forward pass takes the
     * stem's output ({@link #stemOutput}) as its input, so that output can be computed once and cached.
     */
    @Override
    public void freezeStem() {
        stem.freezeParameters(true);
        stemBypassed = true;
    }

    /** The stem: Conv 3×3 → normalisation. */
    public Block stem() {
        return stem;
    }

    @Override
    public boolean stemBypassed() {
        return stemBypassed;
    }

    /** The stem's output for normalised images, in inference mode (BatchNorm with its running statistics). */
    @Override
    public NDArray stemOutput(NDArray images) {
        return TrainableSupernet.inferenceOutput(stem, images);
    }

    /** The architecture parameters, 6 edges × 5 ops in {@link Nb201Op} order. */
    public Parameter alpha() {
        return alpha;
    }

    @Override
    public List<Parameter> alphas() {
        return List.of(alpha);
    }

    /** Every trainable parameter except α. */
    @Override
    public List<Parameter> weights() {
        List<Parameter> all = new ArrayList<>();
        for (Pair<String, Parameter> p : getParameters()) {
            if (p.getValue() != alpha && p.getValue().requiresGradient()) {
                all.add(p.getValue());
            }
        }
        return all;
    }

    /** All weights after a WEIGHTED pass, {@link #weights(Genotype)} of the ops the last other pass ran. */
    @Override
    public List<Parameter> weightsOfLastPass() {
        return mode == MixedOp.Mode.WEIGHTED ? weights() : weights(lastPath);
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

    /**
     * The BatchNorm running statistics the next forward pass uses: those of the skeleton (the stem's
     * only while it is not bypassed) and, on every edge, of the ops the current mode runs: the path's
     * op (or the fixed one) in single-path mode, every allowed op otherwise.
     */
    @Override
    public List<Parameter> runningStatistics() {
        Set<Parameter> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Parameter> stats = new ArrayList<>();
        for (Block block : skeleton) {
            if (block != stem || !stemBypassed) {
                addStatistics(block, seen, stats);
            }
        }
        for (Nb201SearchCell cell : cells) {
            for (int e = 0; e < Genotype.EDGES; e++) {
                Nb201Op fixed = fixedOp(e);
                Set<Nb201Op> running = fixed != null ? Set.of(fixed)
                        : mode == MixedOp.Mode.SINGLE_PATH ? Set.of(path.op(e)) : allowed[e];
                for (Nb201Op op : running) {
                    addStatistics(cell.edge(e).candidate(op), seen, stats);
                }
            }
        }
        return stats;
    }

    private static void addStatistics(Block block, Set<Parameter> seen, List<Parameter> into) {
        for (Pair<String, Parameter> p : block.getParameters()) {
            Parameter.Type type = p.getValue().getType();
            if ((type == Parameter.Type.RUNNING_MEAN || type == Parameter.Type.RUNNING_VAR) && seen.add(p.getValue())) {
                into.add(p.getValue());
            }
        }
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
    @Override
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
        GumbelSample.requireTemperature(tau);
        if (!gumbelNoise.getShape().equals(new Shape(Genotype.EDGES, OPS))) {
            throw new IllegalArgumentException("Gumbel noise must have shape (6, 5), got " + gumbelNoise.getShape());
        }
        mode = MixedOp.Mode.ONE_HOT;
        gumbel = gumbelNoise;
        this.tau = tau;
        path = null;
    }

    /** {@link #useGumbel(NDArray, double)} with the one α's noise. */
    @Override
    public void useGumbel(List<NDArray> noise, double tau) {
        if (noise.size() != 1) {
            throw new IllegalArgumentException("the NAS-Bench-201 supernet has one α, got " + noise.size()
                    + " noise tensors");
        }
        useGumbel(noise.get(0), tau);
    }

    /** {@link #useSinglePath(Genotype)} of the architecture as a NAS-Bench-201 genotype. */
    @Override
    public void useSinglePath(Architecture path) {
        useSinglePath(Genotype.from(path));
    }

    /**
     * SPOS and random search with weight sharing: every cell runs exactly the ops of {@code path}, except
     * on fixed edges, which run their own op.
     *
     * @throws IllegalArgumentException if the path takes an op a mixed edge does not allow
     */
    public void useSinglePath(Genotype path) {
        for (int e = 0; e < Genotype.EDGES; e++) {
            if (!allowed[e].contains(path.op(e)) && fixedOp(e) == null) {
                throw new IllegalArgumentException("edge " + e + " of path " + path + " takes " + path.op(e).id()
                        + ", which this supernet does not allow there; allowed: " + allowed[e]);
            }
        }
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
    @Override
    public void overrideAlphas(List<NDArray> alphas) {
        overrideAlpha(alphas == null ? null : alphas.get(0));
    }

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
     * {@code none} included, as the benchmark's {@code genotype()} does (ties go to the first op). Only
     * an edge's allowed ops compete; a fixed edge proposes its op.
     */
    public Genotype genotype() {
        double[][] a = alphaValues();
        Nb201Op[] ops = new Nb201Op[Genotype.EDGES];
        for (int e = 0; e < Genotype.EDGES; e++) {
            Nb201Op best = null;
            for (Nb201Op op : allowed[e]) {
                if (best == null || a[e][op.ordinal()] > a[e][best.ordinal()]) {
                    best = op;
                }
            }
            ops[e] = best;
        }
        return Genotype.of(ops);
    }

    /** {@link #genotype()}: the argmax of α over each edge's allowed ops. */
    @Override
    public Genotype architecture() {
        return genotype();
    }

    /** α copied to the host, edge by edge. */
    @Override
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
     * falling as the search commits. Read once per epoch, it shows how decided the search is. Each edge's
     * softmax runs over its allowed ops only, so a fixed edge counts as decided (0).
     */
    @Override
    public double meanEntropy() {
        double[][] a = alphaValues();
        double total = 0;
        for (int e = 0; e < a.length; e++) {
            double[] all = a[e];
            double[] row = allowed[e].stream().mapToDouble(op -> all[op.ordinal()]).toArray();
            total += TrainableSupernet.entropy(row);
        }
        return total / a.length;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        MixedOp.Selection[] selections = selections(alphaOverride != null ? alphaOverride
                : ps.getValue(alpha, x.getDevice(), training));
        if (!stemBypassed) {
            x = stem.forward(ps, new NDList(x), training, params).singletonOrThrow();
        }
        for (Block block : body) {
            x = block instanceof Nb201SearchCell cell
                    ? cell.forward(ps, x, selections, training, params)
                    : block.forward(ps, new NDList(x), training, params).singletonOrThrow();
        }
        return head.forward(ps, new NDList(x), training, params);
    }

    private MixedOp.Selection[] selections(NDArray a) {
        MixedOp.Selection[] s = new MixedOp.Selection[Genotype.EDGES];
        NDArray logits = masked(a);
        switch (mode) {
            case WEIGHTED -> {
                NDArray probabilities = logits.softmax(1);
                for (int e = 0; e < Genotype.EDGES; e++) {
                    s[e] = MixedOp.Selection.weighted(probabilities.get(e), allowed[e]);
                }
                lastPath = null;
            }
            case ONE_HOT -> {
                if (gumbel == null) {
                    throw new IllegalStateException("GDAS mode needs Gumbel noise: call useGumbel before the forward pass");
                }
                GumbelSample sample = GumbelSample.draw(logits, gumbel, tau);
                long[] chosen = sample.chosen();
                NDArray hard = sample.weights();
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
        for (int e = 0; e < Genotype.EDGES; e++) {
            Nb201Op fixed = fixedOp(e);
            if (fixed != null) {
                s[e] = MixedOp.Selection.single(fixed);
            }
        }
        if (mode != MixedOp.Mode.WEIGHTED) {
            Nb201Op[] ran = new Nb201Op[Genotype.EDGES];
            for (int e = 0; e < Genotype.EDGES; e++) {
                ran[e] = Nb201Op.values()[s[e].choice()];
            }
            lastPath = Genotype.of(ran);
        }
        return s;
    }

    /**
     * α with the ops an edge does not allow pushed to −1e9, so that softmax gives them exactly zero and
     * Gumbel noise can never lift them to the argmax; α itself when nothing is restricted.
     */
    private NDArray masked(NDArray a) {
        boolean restricted = false;
        float[] mask = new float[Genotype.EDGES * OPS];
        for (int e = 0; e < Genotype.EDGES; e++) {
            for (Nb201Op op : Nb201Op.values()) {
                if (!allowed[e].contains(op)) {
                    mask[e * OPS + op.ordinal()] = -1e9f;
                    restricted = true;
                }
            }
        }
        if (!restricted) {
            return a;
        }
        return a.add(a.getManager().create(mask, new Shape(Genotype.EDGES, OPS)).toType(a.getDataType(), false)
                .toDevice(a.getDevice(), false));
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
