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
import java.util.Arrays;
import java.util.Collections;
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
        int[] identity = new int[grouped.getParameters().size()];
        Arrays.setAll(identity, j -> j);
        pack(runs, grouped, Collections.nCopies(runs.size(), identity));
    }

    /**
     * Copies every run's initialised parameters into the initialised grouped network: slab i of grouped
     * parameter j gets run i's parameter {@code slabs.get(i)[j]}, and keeps its own values where that is −1
     * (a slab that holds none of run i's weights, {@link GroupedStandalone#slabs}).
     */
    public static void pack(List<Block> runs, Block grouped, List<int[]> slabs) {
        PairList<String, Parameter> target = grouped.getParameters();
        List<PairList<String, Parameter>> sources = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            if (slabs.get(i).length != target.size()) {
                throw new IllegalArgumentException("a run's slabs name " + slabs.get(i).length
                        + " parameters and the grouped network has " + target.size());
            }
            sources.add(runs.get(i).getParameters());
        }
        for (int j = 0; j < target.size(); j++) {
            NDArray stacked = target.get(j).getValue().getArray();
            NDList parts = new NDList();
            for (int i = 0; i < runs.size(); i++) {
                int own = slabs.get(i)[j];
                parts.add(own < 0 ? stacked.reshape(runs.size(), -1).get(i)
                        : sources.get(i).get(own).getValue().getArray().flatten());
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
