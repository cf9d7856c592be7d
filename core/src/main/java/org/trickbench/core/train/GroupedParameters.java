package org.trickbench.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;
import org.trickbench.core.nd.Fill;

/**
 * The parameters of a grouped network ({@link GroupedStandalone#buildGrouped}) and those of its runs'
 * own networks: parameter j of the grouped network is parameter j of every run's network, stacked along
 * axis 0 in run order, so run i's part is the i-th of {@code runs} equal contiguous slabs.
 */
public final class GroupedParameters {
    private GroupedParameters() {}

    /** Copies every run's initialised parameters into the initialised grouped network, slab by slab. */
    public static void pack(List<Block> runs, Block grouped) {
        PairList<String, Parameter> target = grouped.getParameters();
        List<PairList<String, Parameter>> sources = new ArrayList<>();
        for (Block run : runs) {
            PairList<String, Parameter> p = run.getParameters();
            if (p.size() != target.size()) {
                throw new IllegalArgumentException("a run's network has " + p.size()
                        + " parameters and the grouped network " + target.size());
            }
            sources.add(p);
        }
        for (int j = 0; j < target.size(); j++) {
            NDArray stacked = target.get(j).getValue().getArray();
            NDList parts = new NDList();
            for (PairList<String, Parameter> source : sources) {
                parts.add(source.get(j).getValue().getArray().flatten());
            }
            NDArray joined = NDArrays.concat(parts, 0);
            if (joined.size() != stacked.size()) {
                throw new IllegalArgumentException("parameter " + target.get(j).getKey() + " holds " + stacked.size()
                        + " values; the runs' hold " + joined.size());
            }
            try (NDArray shaped = joined.reshape(stacked.getShape())) {
                Fill.copy(shaped, stacked);
            }
            joined.close();
            parts.close();
        }
    }

    /** Run {@code run}'s part of a stacked array (a parameter or its gradient), in the run's own shape. */
    public static NDArray slice(NDArray stacked, int run, int runs, Shape single) {
        return stacked.reshape(runs, -1).get(run).reshape(single);
    }

    /** The trainable parameter arrays of a network, in order. */
    static List<NDArray> trainable(Block network) {
        List<NDArray> weights = new ArrayList<>();
        for (Pair<String, Parameter> p : network.getParameters()) {
            if (p.getValue().requiresGradient()) {
                weights.add(p.getValue().getArray());
            }
        }
        return List.copyOf(weights);
    }
}
