package org.trickbench.core.space.darts;

import java.util.Arrays;
import java.util.List;

/**
 * The eight candidate operations of the DARTS CNN space, in the order of DARTS's {@code PRIMITIVES}
 * (Liu et al., ICLR 2019, arXiv 1806.09055; {@code cnn/genotypes.py}). Every op maps C channels to C;
 * on an edge out of a reduction cell's inputs it strides by 2.
 */
public enum DartsOp {
    NONE("none"),
    MAX_POOL_3X3("max_pool_3x3"),
    AVG_POOL_3X3("avg_pool_3x3"),
    SKIP_CONNECT("skip_connect"),
    SEP_CONV_3X3("sep_conv_3x3"),
    SEP_CONV_5X5("sep_conv_5x5"),
    DIL_CONV_3X3("dil_conv_3x3"),
    DIL_CONV_5X5("dil_conv_5x5");

    private final String id;

    DartsOp(String id) {
        this.id = id;
    }

    /** DARTS's name for the op, as it appears in genotype strings. */
    public String id() {
        return id;
    }

    /** The op of this name, or null when there is none. */
    public static DartsOp fromId(String id) {
        for (DartsOp op : values()) {
            if (op.id.equals(id)) {
                return op;
            }
        }
        return null;
    }

    public static List<String> ids() {
        return Arrays.stream(values()).map(DartsOp::id).toList();
    }
}
