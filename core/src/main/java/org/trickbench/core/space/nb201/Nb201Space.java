package org.trickbench.core.space.nb201;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The cells a search may propose: every edge takes one of {@code ops}. The full space is the
 * benchmark's 5^6 cells; a pre-optimised space (seed §3.4) keeps fewer ops. Samplers, mutations and
 * the supernet draw from here, so a dropped op can never be proposed.
 *
 * <p>Cells are numbered as {@link Genotype#index()} does, in base {@code ops.size()}: over the full
 * space {@link #cell(int)} is {@link Genotype#fromIndex(int)}, and every draw below consumes the same
 * random numbers as the unrestricted code it replaces, so runs without a restriction are unchanged.
 *
 * @param ops the allowed ops, distinct, in {@link Nb201Op} order
 */
public record Nb201Space(List<Nb201Op> ops) {
    private static final Nb201Space FULL = new Nb201Space(List.of(Nb201Op.values()));

    public Nb201Space {
        if (ops == null || ops.isEmpty()) {
            throw new IllegalArgumentException("a search space needs at least one op");
        }
        EnumSet<Nb201Op> set = EnumSet.copyOf(ops);
        if (set.size() != ops.size()) {
            throw new IllegalArgumentException("ops repeat in " + ops);
        }
        ops = List.copyOf(set);
    }

    /** The benchmark's space: all five ops on every edge. */
    public static Nb201Space full() {
        return FULL;
    }

    public static Nb201Space of(Collection<Nb201Op> ops) {
        return new Nb201Space(List.copyOf(ops));
    }

    public boolean isFull() {
        return ops.size() == Nb201Op.values().length;
    }

    public boolean contains(Nb201Op op) {
        return ops.contains(op);
    }

    public boolean contains(Genotype cell) {
        return ops.containsAll(cell.ops());
    }

    /** Number of cells: ops^6. */
    public int cells() {
        int n = 1;
        for (int e = 0; e < Genotype.EDGES; e++) {
            n *= ops.size();
        }
        return n;
    }

    /** The cell of index {@code index} in [0, {@link #cells()}), first edge most significant. */
    public Genotype cell(int index) {
        if (index < 0 || index >= cells()) {
            throw new IllegalArgumentException("cell index " + index + " outside [0, " + cells() + ")");
        }
        Nb201Op[] chosen = new Nb201Op[Genotype.EDGES];
        int rest = index;
        for (int e = Genotype.EDGES - 1; e >= 0; e--) {
            chosen[e] = ops.get(rest % ops.size());
            rest /= ops.size();
        }
        return Genotype.of(chosen);
    }

    /** A uniformly random cell: every edge's op uniform and independent. */
    public Genotype randomCell(SplittableRandom random) {
        return cell(random.nextInt(cells()));
    }

    /** A uniformly random op. */
    public Nb201Op randomOp(SplittableRandom random) {
        return ops.get(random.nextInt(ops.size()));
    }

    /** A uniformly random op other than {@code current}; {@code current} itself when it is the only one. */
    public Nb201Op otherOp(Nb201Op current, SplittableRandom random) {
        List<Nb201Op> others = new ArrayList<>(ops);
        others.remove(current);
        return others.isEmpty() ? current : others.get(random.nextInt(others.size()));
    }

    /** Every cell of the space one edge-op away from {@code cell}, in edge then op order. */
    public List<Genotype> neighbours(Genotype cell) {
        List<Genotype> all = new ArrayList<>(Genotype.EDGES * (ops.size() - 1));
        for (int edge = 0; edge < Genotype.EDGES; edge++) {
            for (Nb201Op op : ops) {
                if (op != cell.op(edge)) {
                    all.add(cell.with(edge, op));
                }
            }
        }
        return all;
    }

    @Override
    public String toString() {
        return String.join(", ", ops.stream().map(Nb201Op::id).toList());
    }
}
