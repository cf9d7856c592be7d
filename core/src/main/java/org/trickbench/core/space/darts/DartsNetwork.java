package org.trickbench.core.space.darts;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.trickbench.core.space.nb201.GlobalMeanPool;
import org.trickbench.core.space.nb201.Nb201Network;
import org.trickbench.core.train.StepContext;

/**
 * DARTS's CIFAR evaluation network of a genotype ({@code NetworkCIFAR}; Liu et al., ICLR 2019, arXiv
 * 1806.09055), as {@link DartsCost} describes it: stem, L cells with reductions at L/3 and 2L/3, global
 * average pool and linear classifier, and optionally DARTS's auxiliary head on the output of cell 2L/3.
 * In training a network with the head returns {main logits, auxiliary logits}; otherwise, and always
 * in evaluation, only the main logits.
 *
 * <p>Drop-path as DARTS applies it to this network ({@code drop_path} in the authors' {@code cnn/utils.py},
 * called from {@code Cell.forward}): in training, every edge output but an identity's ({@code skip_connect}
 * at stride 1) is multiplied by a per-sample Bernoulli(1 − p) mask divided by 1 − p, so its expectation
 * is unchanged; evaluation sees every edge. The probability p is a forward parameter
 * ({@link #DROP_PATH_PROB}, absent or 0: off; DARTS ramps it as p·epoch/epochs), and the masks of a
 * forward pass are drawn in one device-side draw through the step context ({@link #DROP_PATH_STEP},
 * {@link StepContext#onEngine}), as the NAS-Bench-201 drop-path trick draws its own; {@link #dropPath}
 * builds both parameters.
 */
public final class DartsNetwork extends AbstractBlock {
    private static final byte VERSION = 1;
    /** Forward parameter: drop-path's probability p, a {@link Number} in [0, 1); absent or 0 turns it off. */
    public static final String DROP_PATH_PROB = "darts.drop_path_prob";
    /**
     * Forward parameter: the {@link StepContext} whose seeded engine generator draws the masks; absent,
     * they come from libtorch's generator as it stands.
     */
    public static final String DROP_PATH_STEP = "darts.drop_path_step";
    /** The purpose the masks are drawn for, per step ({@link StepContext#onEngine}). */
    static final String DROP_PATH_PURPOSE = "darts-drop-path";

    private final Block stem;
    private final List<Block> cells = new ArrayList<>();
    private final Block auxiliary;
    private final Block head;
    private final int auxiliaryAfter;

    private DartsNetwork(DartsGenotype genotype, DartsConfig config) {
        super(VERSION);
        int c = config.channels();
        stem = addChildBlock("stem", stem(c));
        int current = c;
        boolean reductionPrev = false;
        auxiliaryAfter = DartsCost.auxiliaryAfter(config.layers());
        for (int i = 0; i < config.layers(); i++) {
            boolean reduction = DartsCost.isReduction(i, config.layers());
            if (reduction) {
                current *= 2;
            }
            cells.add(addChildBlock("cell" + i, new DartsCell(genotype, current, reduction, reductionPrev)));
            reductionPrev = reduction;
        }
        auxiliary = config.auxiliary() ? addChildBlock("auxiliary_head",
                auxiliaryHead(config.height() / 4, config.width() / 4, config.classes())) : null;
        head = addChildBlock("classifier", head(current, config.classes()));
    }

    /** The stem of both DARTS networks: 3×3 conv to 3C channels and BN, affine in both. */
    static Block stem(int channels) {
        return new SequentialBlock()
                .add(DartsOps.conv(DartsCost.STEM_MULTIPLIER * channels, 3, 1, 1, 1, 1))
                .add(BatchNorm.builder().build());
    }

    /** Global average pool and the linear classifier on the last cell's 4C channels. */
    static Block head(int channels, int classes) {
        return new SequentialBlock()
                .add(GlobalMeanPool.block())
                .add(Nb201Network.classifier((long) DartsCost.MULTIPLIER * channels, classes));
    }

    /** The network of {@code genotype} shaped by {@code config}; initialise it with {@link #inputShape}. */
    public static DartsNetwork build(DartsGenotype genotype, DartsConfig config) {
        return new DartsNetwork(genotype, config);
    }

    /** DARTS's auxiliary head, or null when the network was built without it. */
    public Block auxiliaryHead() {
        return auxiliary;
    }

    /** The input shape of one batch, for {@code Block.initialize}. */
    public static Shape inputShape(DartsConfig config, int batch) {
        return new Shape(batch, config.inChannels(), config.height(), config.width());
    }

    /**
     * The forward parameters of drop-path with probability {@code prob} at {@code step} (null: the
     * generator as it stands), for {@code forward(ps, inputs, training, params)}.
     */
    public static PairList<String, Object> dropPath(double prob, StepContext step) {
        PairList<String, Object> params = new PairList<>();
        params.add(DROP_PATH_PROB, prob);
        if (step != null) {
            params.add(DROP_PATH_STEP, step);
        }
        return params;
    }

    /**
     * Per-sample drop-path scales of the given shape (first dimensions the edges, then the batch), each
     * 0 with probability p and 1/(1 − p) otherwise: one U(0, 1) draw per entry, on {@code manager}'s
     * device, for purpose {@link #DROP_PATH_PURPOSE} at {@code step} when there is one.
     */
    static NDArray dropPathScales(NDManager manager, Shape shape, DataType dataType, double p, StepContext step) {
        Supplier<NDArray> draw = () -> manager.randomUniform(0, 1, shape);
        NDArray uniform = step == null ? draw.get() : step.onEngine(DROP_PATH_PURPOSE, draw);
        double keep = 1 - p;
        return uniform.lt(keep).toType(dataType, false).div((float) keep);
    }

    /** The drop probability in {@code params}, 0 when absent; a value outside [0, 1) is a caller's error. */
    private static double dropPathProb(PairList<String, Object> params) {
        Object value = params == null ? null : params.get(DROP_PATH_PROB);
        if (value == null) {
            return 0;
        }
        double p = ((Number) value).doubleValue();
        if (!(p >= 0 && p < 1)) {
            throw new IllegalArgumentException(DROP_PATH_PROB + " must be in [0, 1), got " + p);
        }
        return p;
    }

    /**
     * DARTS's {@code AuxiliaryHeadCIFAR} on an h×w input (the output of the second reduction, a quarter of
     * the image side): ReLU, average pool to 2×2, 1×1 conv to 128, BN, ReLU, 2×2 conv to 768 (1×1 out), BN,
     * ReLU, linear. The pool is DARTS's own 5×5 at stride 3 on an 8 to 10-pixel input (32 to 40-pixel
     * images); at other sizes it is an adaptive average pool to 2×2 ({@link DartsCost#auxiliaryPool}), so
     * the head has the same parameters at any resolution of 8 pixels or more.
     */
    private static Block auxiliaryHead(int h, int w, int classes) {
        int[] poolH = DartsCost.auxiliaryPool(h);
        int[] poolW = DartsCost.auxiliaryPool(w);
        return new SequentialBlock()
                .add(Activation.reluBlock())
                .add(Pool.avgPool2dBlock(new Shape(poolH[0], poolW[0]), new Shape(poolH[1], poolW[1]), new Shape(0, 0),
                        false, false))
                .add(DartsOps.conv(128, 1, 1, 0, 1, 1))
                .add(BatchNorm.builder().build())
                .add(Activation.reluBlock())
                .add(DartsOps.conv(768, 2, 1, 0, 1, 1))
                .add(BatchNorm.builder().build())
                .add(Activation.reluBlock())
                .add(Blocks.batchFlattenBlock())
                .add(Nb201Network.classifier(768, classes));
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray s0 = stem.forward(ps, inputs, training, params).singletonOrThrow();
        NDArray s1 = s0;
        NDArray auxiliaryLogits = null;
        double p = training ? dropPathProb(params) : 0;
        NDArray scales = null;
        if (p > 0) {
            StepContext step = params.get(DROP_PATH_STEP) instanceof StepContext at ? at : null;
            scales = dropPathScales(s0.getManager(), new Shape(cells.size(), DartsGenotype.EDGES, s0.getShape().get(0),
                    1, 1, 1), s0.getDataType(), p, step);
        }
        for (int i = 0; i < cells.size(); i++) {
            NDList cellInputs = scales == null ? new NDList(s0, s1) : new NDList(s0, s1, scales.get(i));
            NDArray out = cells.get(i).forward(ps, cellInputs, training, params).singletonOrThrow();
            s0 = s1;
            s1 = out;
            if (i == auxiliaryAfter && auxiliary != null && training) {
                auxiliaryLogits = auxiliary.forward(ps, new NDList(s1), true, params).singletonOrThrow();
            }
        }
        NDArray logits = head.forward(ps, new NDList(s1), training, params).singletonOrThrow();
        return auxiliaryLogits == null ? new NDList(logits) : new NDList(logits, auxiliaryLogits);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return head.getOutputShapes(new Shape[] {last(cellInputs(inputShapes[0]))[1]});
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        stem.initialize(manager, dataType, inputShapes);
        List<Shape[]> inputs = cellInputs(inputShapes[0]);
        for (int i = 0; i < cells.size(); i++) {
            cells.get(i).initialize(manager, dataType, inputs.get(i));
            if (i == auxiliaryAfter && auxiliary != null) {
                auxiliary.initialize(manager, dataType, inputs.get(i + 1)[1]);
            }
        }
        head.initialize(manager, dataType, last(inputs)[1]);
    }

    /**
     * The shapes {s0, s1} that each cell receives for a batch of {@code input}, and last those after the
     * last cell (its s1 the last cell's output).
     */
    private List<Shape[]> cellInputs(Shape input) {
        return cellInputs(stem, cells, input);
    }

    /** {@link #cellInputs(Shape)} of any stem and cells that take {s0, s1}. */
    static List<Shape[]> cellInputs(Block stem, List<? extends Block> cells, Shape input) {
        Shape s0 = stem.getOutputShapes(new Shape[] {input})[0];
        Shape s1 = s0;
        List<Shape[]> shapes = new ArrayList<>();
        for (Block cell : cells) {
            shapes.add(new Shape[] {s0, s1});
            Shape out = cell.getOutputShapes(new Shape[] {s0, s1})[0];
            s0 = s1;
            s1 = out;
        }
        shapes.add(new Shape[] {s0, s1});
        return shapes;
    }

    static Shape[] last(List<Shape[]> shapes) {
        return shapes.get(shapes.size() - 1);
    }
}
