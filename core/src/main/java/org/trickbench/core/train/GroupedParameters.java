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
 * own networks: a grouped parameter is its runs' parameters stacked along axis 0, {@code count} equal
 * contiguous slabs. In a network of K runs of one network parameter j holds K slabs, slab i run i's
 * parameter j; in one of different networks a parameter may hold the slabs of only some runs
 * ({@link GroupedStandalone#slabs}).
 */
public final class GroupedParameters {
    private GroupedParameters() {}

    /**
     * Where a grouped parameter holds a run's weights: the run's own parameter {@code own} (its index in
     * the run's network's {@code getParameters()}; −1 where the grouped parameter holds none of the run's
     * weights) is slab {@code position} (−1 with {@code own}) of the grouped parameter's {@code count}.
     */
    public record Slab(int own, int position, int count) {
        public Slab {
            if (count < 1 || position >= count || (own < 0) != (position < 0)) {
                throw new IllegalArgumentException("a slab of own parameter " + own + " at " + position + " of "
                        + count);
            }
        }

        /** Whether the grouped parameter holds some of the run's weights. */
        public boolean held() {
            return own >= 0;
        }
    }

    /**
     * Run {@code run}'s slabs in a network of {@code runs} copies of one network of {@code parameters}
     * parameters: grouped parameter j holds the run's parameter j as slab {@code run} of {@code runs}.
     */
    public static List<Slab> stacked(int parameters, int run, int runs) {
        List<Slab> slabs = new ArrayList<>();
        for (int j = 0; j < parameters; j++) {
            slabs.add(new Slab(j, run, runs));
        }
        return List.copyOf(slabs);
    }

    /** Copies every run's initialised parameters into the initialised grouped network of as many copies of one network. */
    public static void pack(List<Block> runs, Block grouped) {
        int parameters = grouped.getParameters().size();
        List<List<Slab>> slabs = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            slabs.add(stacked(parameters, i, runs.size()));
        }
        pack(runs, grouped, slabs);
    }

    /**
     * Copies every run's initialised parameters into the initialised grouped network: for grouped
     * parameter j and run i, slab {@code slabs.get(i).get(j).position()} gets run i's parameter
     * {@code own()}; a slab that no run's parameter maps to keeps its values.
     */
    public static void pack(List<Block> runs, Block grouped, List<List<Slab>> slabs) {
        PairList<String, Parameter> target = grouped.getParameters();
        List<PairList<String, Parameter>> sources = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            if (slabs.get(i).size() != target.size()) {
                throw new IllegalArgumentException("a run's slabs name " + slabs.get(i).size()
                        + " parameters and the grouped network has " + target.size());
            }
            sources.add(runs.get(i).getParameters());
        }
        for (int j = 0; j < target.size(); j++) {
            NDArray stacked = target.get(j).getValue().getArray();
            int count = slabs.get(0).get(j).count();
            NDArray[] parts = new NDArray[count];
            for (int i = 0; i < runs.size(); i++) {
                Slab slab = slabs.get(i).get(j);
                if (slab.count() != count || (slab.held() && parts[slab.position()] != null)) {
                    throw new IllegalArgumentException("parameter " + target.get(j).getKey() + ": run " + i
                            + "'s slab " + slab + " clashes with another run's");
                }
                if (slab.held()) {
                    parts[slab.position()] = sources.get(i).get(slab.own()).getValue().getArray().flatten();
                }
            }
            NDList all = new NDList();
            for (int p = 0; p < count; p++) {
                all.add(parts[p] != null ? parts[p] : stacked.reshape(count, -1).get(p));
            }
            NDArray joined = NDArrays.concat(all, 0);
            if (joined.size() != stacked.size()) {
                throw new IllegalArgumentException("parameter " + target.get(j).getKey() + " holds " + stacked.size()
                        + " values; the runs' hold " + joined.size());
            }
            try (NDArray shaped = joined.reshape(stacked.getShape())) {
                Fill.copy(shaped, stacked);
            }
            joined.close();
            all.close();
        }
    }

    /**
     * Slab {@code position} of {@code count} of a stacked array (a parameter or its gradient), in the run's
     * own shape {@code single}.
     */
    public static NDArray slice(NDArray stacked, int position, int count, Shape single) {
        return stacked.reshape(count, -1).get(position).reshape(single);
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
