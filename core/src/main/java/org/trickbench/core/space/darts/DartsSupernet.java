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
import java.util.List;
import java.util.Objects;
import org.trickbench.core.UserInputException;

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
 * edge is the softmax(α)-weighted sum of its ops) or {@link #useSinglePath} (random search with weight
 * sharing: each node runs only the two ops a genotype gives it, on the edges it takes).
 */
public final class DartsSupernet extends AbstractBlock {
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
    public List<Parameter> alphas() {
        return List.of(alphaNormal, alphaReduce);
    }

    /** Every trainable parameter except α. */
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
    public void useWeighted() {
        path = null;
    }

    /**
     * Random search with weight sharing: node i sums the outputs of its two genotype edges, each the
     * named op of the mixed edge from the named input; the other edges do not run, and α is not used.
     */
    public void useSinglePath(DartsGenotype genotype) {
        path = Objects.requireNonNull(genotype, "genotype");
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

    /** The search cells, in order. */
    List<DartsSearchCell> cells() {
        return List.copyOf(cells);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray[][] normal = null;
        NDArray[][] reduce = null;
        if (path == null) {
            normal = rows(ps.getValue(alphaNormal, x.getDevice(), training).softmax(1));
            reduce = rows(ps.getValue(alphaReduce, x.getDevice(), training).softmax(1));
        }
        NDArray s0 = stem.forward(ps, new NDList(x), training, params).singletonOrThrow();
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
