package org.trickbench.core.space.darts;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
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
import java.util.SplittableRandom;
import org.trickbench.core.UserInputException;
import org.trickbench.core.space.Architecture;
import org.trickbench.core.space.GumbelSample;
import org.trickbench.core.space.TrainableSupernet;

/**
 * The DARTS search network (the authors' {@code Network} in {@code cnn/model_search.py}; Liu, Simonyan
 * & Yang, ICLR 2019, arXiv 1806.09055): the stem of the evaluation network (3×3 conv to 3C, affine
 * BN), L {@link DartsSearchCell}s with reductions at L/3 and 2L/3, global average pool and a linear
 * classifier. Every cell has fourteen mixed edges over the eight ops; DARTS searches at C=16, L=8 on
 * CIFAR-10 ({@link DartsConfig#cifar10Search()}). There is no auxiliary head.
 *
 * <p>The architecture is two tensors, α_normal and α_reduce (14 edges × 8 ops in {@link DartsOp}
 * order, edges numbered by {@link #edge}), shared by all normal and all reduction cells respectively.
 * As in {@link org.trickbench.core.space.nb201.Nb201Supernet} they are {@link Parameter.Type#OTHER}
 * parameters with their own initialiser, 1e-3 · N(0, 1) as in DARTS, so a weight initialiser never
 * touches them, and {@link #weights()} lists everything else, so that an architecture optimiser can own
 * α and a weight optimiser the rest.
 *
 * <p>How the edges combine their ops is set before a forward pass: {@link #useWeighted()} (DARTS: each
 * edge is the softmax(α)-weighted sum of its ops), {@link #useGumbel} (GDAS: each edge runs one op of a
 * hard Gumbel-softmax sample of its α row, straight-through weighted, as the NAS-Bench-201 supernet does
 * with {@link GumbelSample}) or {@link #useSinglePath} (random search with weight sharing: each node runs
 * only the two ops a genotype gives it, on the edges it takes). The stem can be frozen and bypassed
 * ({@link #freezeStem()}), so that the forward pass takes its cached output instead of images.
 */
public final class DartsSupernet extends AbstractBlock implements TrainableSupernet {
    private static final byte VERSION = 1;
    /** Mixed edges per cell: node i (0..3) has one from each of the states 0..i+1. */
    public static final int MIXED_EDGES = 14;
    private static final int OPS = DartsOp.values().length;

    private final DartsConfig config;
    private final Parameter alphaNormal;
    private final Parameter alphaReduce;
    private final Block stem;
    private final List<DartsSearchCell> cells = new ArrayList<>();
    private final Block head;
    private DartsGenotype path;
    private List<NDArray> gumbel;
    private double tau = 1;
    private final long[][] lastChosen = new long[2][];
    private List<NDArray> alphaOverride;
    private boolean stemBypassed;

    public DartsSupernet(DartsConfig config) {
        super(VERSION);
        this.config = Objects.requireNonNull(config, "config");
        if (config.auxiliary()) {
            throw new UserInputException("auxiliary=true is not allowed for the DARTS search network, which has no"
                    + " auxiliary head; allowed: auxiliary=false");
        }
        alphaNormal = addParameter(alpha("alpha_normal"));
        alphaReduce = addParameter(alpha("alpha_reduce"));
        stem = addChildBlock("stem", DartsNetwork.stem(config.channels()));
        int current = config.channels();
        boolean reductionPrev = false;
        for (int i = 0; i < config.layers(); i++) {
            boolean reduction = DartsCost.isReduction(i, config.layers());
            if (reduction) {
                current *= 2;
            }
            cells.add(addChildBlock("cell" + i, new DartsSearchCell(current, reduction, reductionPrev)));
            reductionPrev = reduction;
        }
        head = addChildBlock("classifier", DartsNetwork.head(current, config.classes()));
    }

    private static Parameter alpha(String name) {
        return Parameter.builder()
                .setName(name)
                .setType(Parameter.Type.OTHER)
                .optShape(new Shape(MIXED_EDGES, OPS))
                .optInitializer(new NormalInitializer(1e-3f))
                .build();
    }

    /**
     * The index of the mixed edge from state {@code input} (0 and 1 the cell's inputs, 2.. the earlier
     * nodes) into node {@code node} (0..3), in the authors' order: node 0's two edges, then node 1's
     * three, and so on, each node's by input.
     */
    public static int edge(int node, int input) {
        if (node < 0 || node >= DartsGenotype.NODES || input < 0 || input > node + 1) {
            throw new IllegalArgumentException("no edge from state " + input + " into node " + node
                    + "; node i (0..3) takes states 0..i+1");
        }
        return node * (node + 3) / 2 + input;
    }

    /** The input shape of one batch, for {@code Block.initialize}. */
    public static Shape inputShape(DartsConfig config, int batch) {
        return DartsNetwork.inputShape(config, batch);
    }

    public DartsConfig config() {
        return config;
    }

    /** α of the normal cells, 14 edges × 8 ops. */
    public Parameter alphaNormal() {
        return alphaNormal;
    }

    /** α of the reduction cells, 14 edges × 8 ops. */
    public Parameter alphaReduce() {
        return alphaReduce;
    }

    /** Both architecture tensors, normal first: what an architecture optimiser owns. */
    @Override
    public List<Parameter> alphas() {
        return List.of(alphaNormal, alphaReduce);
    }

    /** Every trainable parameter except α. */
    @Override
    public List<Parameter> weights() {
        List<Parameter> all = new ArrayList<>();
        for (Pair<String, Parameter> p : getParameters()) {
            Parameter parameter = p.getValue();
            if (parameter != alphaNormal && parameter != alphaReduce && parameter.requiresGradient()) {
                all.add(parameter);
            }
        }
        return all;
    }

    /** The number of trainable values other than α, PyTorch's count of the authors' search model. */
    public long weightCount() {
        long total = 0;
        for (Parameter p : weights()) {
            total += p.getArray().getShape().size();
        }
        return total;
    }

    /** DARTS: every edge is the softmax(α)-weighted sum of its ops. */
    @Override
    public void useWeighted() {
        path = null;
        gumbel = null;
    }

    /**
     * GDAS: the next forward passes draw, per edge of each cell type, the op argmax(log softmax(α) + g)
     * and run it alone, with the straight-through weights of p = softmax((log softmax(α) + g) / τ)
     * ({@link GumbelSample}); all cells of a type share their sample. Passes that reuse the noise see the
     * same sample.
     *
     * @param noise g for α_normal and for α_reduce, each 14 × 8 on α's device and of α's type
     */
    @Override
    public void useGumbel(List<NDArray> noise, double tau) {
        GumbelSample.requireTemperature(tau);
        if (noise.size() != 2) {
            throw new IllegalArgumentException("the DARTS supernet has two α (normal, reduce), got " + noise.size()
                    + " noise tensors");
        }
        for (NDArray g : noise) {
            if (!g.getShape().equals(new Shape(MIXED_EDGES, OPS))) {
                throw new IllegalArgumentException("Gumbel noise must have shape (14, 8), got " + g.getShape());
            }
        }
        gumbel = List.copyOf(noise);
        this.tau = tau;
        path = null;
    }

    /**
     * Random search with weight sharing: node i sums the outputs of its two genotype edges, each the
     * named op of the mixed edge from the named input; the other edges do not run, and α is not used.
     */
    public void useSinglePath(DartsGenotype genotype) {
        path = Objects.requireNonNull(genotype, "genotype");
        gumbel = null;
    }

    /** {@link #useSinglePath(DartsGenotype)} of the architecture as a DARTS genotype. */
    @Override
    public void useSinglePath(Architecture architecture) {
        useSinglePath(architecture instanceof DartsGenotype g ? g : DartsGenotype.parse(architecture.canonical()));
    }

    /** A uniformly random genotype ({@link DartsGenotype#random}). */
    @Override
    public DartsGenotype randomPath(SplittableRandom random) {
        return DartsGenotype.random(random);
    }

    /**
     * α_normal and α_reduce the next forward passes use in place of the stored ones, until cleared with
     * null. No gradient reaches the stored α through them.
     */
    @Override
    public void overrideAlphas(List<NDArray> alphas) {
        if (alphas == null) {
            alphaOverride = null;
            return;
        }
        if (alphas.size() != 2) {
            throw new IllegalArgumentException("the DARTS supernet has two α (normal, reduce), got " + alphas.size());
        }
        alphaOverride = List.of(alphas.get(0).stopGradient(), alphas.get(1).stopGradient());
    }

    /** Nothing to hold: no edge of the DARTS supernet is fixed. */
    @Override
    public void holdFixedAlpha() {}

    /**
     * The weights the last pass used: all after a weighted one; otherwise the stem, the cells'
     * preprocessing, the classifier and, on every cell, the ops the pass ran (the Gumbel sample's or the
     * path's).
     */
    @Override
    public List<Parameter> weightsOfLastPass() {
        if (path == null && gumbel == null) {
            return weights();
        }
        Set<Parameter> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Parameter> used = new ArrayList<>();
        for (Block block : skeleton()) {
            collect(block, seen, used, false);
        }
        for (DartsSearchCell cell : cells) {
            for (Block op : ranOps(cell)) {
                collect(op, seen, used, false);
            }
        }
        return used;
    }

    /**
     * The BatchNorm running statistics the next forward pass uses: the stem's (while it is not bypassed),
     * the cells' preprocessing and, on every cell, the path's ops in single-path mode, every op otherwise.
     */
    @Override
    public List<Parameter> runningStatistics() {
        Set<Parameter> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Parameter> stats = new ArrayList<>();
        for (Block block : skeleton()) {
            if (block != stem || !stemBypassed) {
                collect(block, seen, stats, true);
            }
        }
        for (DartsSearchCell cell : cells) {
            List<Block> ops = new ArrayList<>();
            if (path != null) {
                ops.addAll(ranOps(cell));
            } else {
                for (int e = 0; e < MIXED_EDGES; e++) {
                    ops.add(cell.edge(e));
                }
            }
            for (Block op : ops) {
                collect(op, seen, stats, true);
            }
        }
        return stats;
    }

    /** The blocks every route runs: stem, the cells' preprocessing, classifier. */
    private List<Block> skeleton() {
        List<Block> blocks = new ArrayList<>();
        blocks.add(stem);
        cells.forEach(cell -> blocks.addAll(cell.preprocess()));
        blocks.add(head);
        return blocks;
    }

    /** The candidate ops of {@code cell} the last Gumbel pass ran, or the path's. */
    private List<Block> ranOps(DartsSearchCell cell) {
        List<Block> ops = new ArrayList<>();
        if (path != null) {
            List<DartsGenotype.Edge> edges = path.cell(cell.reduction());
            for (int i = 0; i < edges.size(); i++) {
                DartsGenotype.Edge g = edges.get(i);
                ops.add(cell.edge(edge(i / 2, g.input())).candidate(g.op()));
            }
        } else {
            long[] chosen = lastChosen[cell.reduction() ? 1 : 0];
            if (chosen == null) {
                throw new IllegalStateException("no Gumbel pass has run yet");
            }
            for (int e = 0; e < MIXED_EDGES; e++) {
                ops.add(cell.edge(e).candidate(DartsOp.values()[(int) chosen[e]]));
            }
        }
        return ops;
    }

    private static void collect(Block block, Set<Parameter> seen, List<Parameter> into, boolean statistics) {
        for (Pair<String, Parameter> p : block.getParameters()) {
            Parameter parameter = p.getValue();
            Parameter.Type type = parameter.getType();
            boolean running = type == Parameter.Type.RUNNING_MEAN || type == Parameter.Type.RUNNING_VAR;
            boolean wanted = statistics ? running : parameter.requiresGradient();
            if (wanted && seen.add(parameter)) {
                into.add(parameter);
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

    @Override
    public NDArray stemOutput(NDArray images) {
        return TrainableSupernet.inferenceOutput(stem, images);
    }

    @Override
    public boolean stemBypassed() {
        return stemBypassed;
    }

    /** The genotype {@link #useSinglePath} set; null in weighted mode. */
    public DartsGenotype singlePath() {
        return path;
    }

    /** α of the reduction cells when {@code reduction}, of the normal cells otherwise, copied to the host. */
    public double[][] alphaValues(boolean reduction) {
        double[] flat;
        try (NDArray host = (reduction ? alphaReduce : alphaNormal).getArray().toType(DataType.FLOAT64, true)) {
            flat = host.toDoubleArray();
        }
        double[][] a = new double[MIXED_EDGES][OPS];
        for (int e = 0; e < MIXED_EDGES; e++) {
            System.arraycopy(flat, e * OPS, a[e], 0, OPS);
        }
        return a;
    }

    /** The architecture the search proposes, discretised as DARTS does ({@link DartsGenotype#fromAlpha}). */
    public DartsGenotype genotype() {
        return DartsGenotype.fromAlpha(alphaValues(false), alphaValues(true));
    }

    /** {@link #genotype()}: top two edges per node by their strongest op other than {@code none}. */
    @Override
    public DartsGenotype architecture() {
        return genotype();
    }

    /** α_normal's 14 rows, then α_reduce's. */
    @Override
    public double[][] alphaValues() {
        double[][] all = new double[2 * MIXED_EDGES][];
        System.arraycopy(alphaValues(false), 0, all, 0, MIXED_EDGES);
        System.arraycopy(alphaValues(true), 0, all, MIXED_EDGES, MIXED_EDGES);
        return all;
    }

    /**
     * Mean over the 28 rows of α_normal and α_reduce of the entropy of softmax(α_e) over all eight ops, in
     * nats: log 8 ≈ 2.079 at a uniform start, falling as the search commits.
     */
    @Override
    public double meanEntropy() {
        double total = 0;
        double[][] rows = alphaValues();
        for (double[] row : rows) {
            total += TrainableSupernet.entropy(row);
        }
        return total / rows.length;
    }

    /** The search cells, in order. */
    List<DartsSearchCell> cells() {
        return List.copyOf(cells);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        DartsSearchCell.EdgeWeights normal = null;
        DartsSearchCell.EdgeWeights reduce = null;
        if (path == null) {
            normal = edgeWeights(alphaOverride != null ? alphaOverride.get(0)
                    : ps.getValue(alphaNormal, x.getDevice(), training), 0);
            reduce = edgeWeights(alphaOverride != null ? alphaOverride.get(1)
                    : ps.getValue(alphaReduce, x.getDevice(), training), 1);
        }
        NDArray s0 = stemBypassed ? x : stem.forward(ps, new NDList(x), training, params).singletonOrThrow();
        NDArray s1 = s0;
        for (DartsSearchCell cell : cells) {
            boolean r = cell.reduction();
            NDArray out = cell.forward(ps, s0, s1, r ? reduce : normal, path == null ? null : path.cell(r), training,
                    params);
            s0 = s1;
            s1 = out;
        }
        return head.forward(ps, new NDList(s1), training, params);
    }

    /** One cell type's edge weights for this pass from its α: softmax(α), or a Gumbel sample of it. */
    private DartsSearchCell.EdgeWeights edgeWeights(NDArray alpha, int type) {
        if (gumbel == null) {
            return new DartsSearchCell.EdgeWeights(rows(alpha.softmax(1)), null, null);
        }
        GumbelSample sample = GumbelSample.draw(alpha, gumbel.get(type), tau);
        NDArray[][] h = rows(sample.weights());
        NDArray[] others = new NDArray[MIXED_EDGES];
        for (int e = 0; e < MIXED_EDGES; e++) {
            others[e] = GumbelSample.others(h[e], (int) sample.chosen()[e]);
        }
        lastChosen[type] = sample.chosen();
        return new DartsSearchCell.EdgeWeights(h, sample.chosen(), others);
    }

    /** The scalars of a 14 × 8 weight tensor, edge by edge, computed once per pass for every cell. */
    private static NDArray[][] rows(NDArray weights) {
        NDArray[][] w = new NDArray[MIXED_EDGES][OPS];
        for (int e = 0; e < MIXED_EDGES; e++) {
            NDArray row = weights.get(e);
            for (int k = 0; k < OPS; k++) {
                w[e][k] = row.get(k);
            }
        }
        return w;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), config.classes())};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        stem.initialize(manager, dataType, inputShapes[0]);
        List<Shape[]> shapes = DartsNetwork.cellInputs(stem, cells, inputShapes[0]);
        for (int i = 0; i < cells.size(); i++) {
            cells.get(i).initialize(manager, dataType, shapes.get(i));
        }
        head.initialize(manager, dataType, DartsNetwork.last(shapes)[1]);
    }
}
