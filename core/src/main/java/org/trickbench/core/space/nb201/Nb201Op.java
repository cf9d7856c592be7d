package org.trickbench.core.space.nb201;

import java.util.Arrays;
import java.util.List;

/**
 * The five candidate operations of NAS-Bench-201, in the benchmark's index order (Dong & Yang,
 * ICLR 2020, arXiv 2001.00326; {@code xautodl/models/cell_operations.py}). The order matters: the
 * genotype index and the argmax over architecture weights both follow it.
 */
public enum Nb201Op {
    NONE("none", false),
    SKIP_CONNECT("skip_connect", false),
    NOR_CONV_1X1("nor_conv_1x1", true),
    NOR_CONV_3X3("nor_conv_3x3", true),
    AVG_POOL_3X3("avg_pool_3x3", false);

    private final String id;
    private final boolean parametric;

    Nb201Op(String id, boolean parametric) {
        this.id = id;
        this.parametric = parametric;
    }

    /** The benchmark's name for the op, as it appears in genotype strings. */
    public String id() {
        return id;
    }

    /** Whether the op has trainable weights; parameter-free ops signal DARTS collapse. */
    public boolean parametric() {
        return parametric;
    }

    public static Nb201Op fromId(String id) {
        for (Nb201Op op : values()) {
            if (op.id.equals(id)) {
                return op;
            }
        }
        return null;
    }

    public static List<String> ids() {
        return Arrays.stream(values()).map(Nb201Op::id).toList();
    }
}
