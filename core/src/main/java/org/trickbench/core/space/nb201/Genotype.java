package org.trickbench.core.space.nb201;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.trickbench.core.UserInputException;
import org.trickbench.core.space.Architecture;

/**
 * A NAS-Bench-201 cell: one operation on each of the six edges of a four-node DAG.
 *
 * <p>Edges are ordered as the benchmark's string lists them: (0→1), (0→2), (1→2), (0→3), (1→3),
 * (2→3). The string form is the benchmark's own, e.g.
 * {@code |nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|}
 * (Dong & Yang 2020, {@code xautodl/models/cell_searchs/genotypes.py}), so a genotype copied from
 * the paper or its API names the same network here.
 */
public record Genotype(List<Nb201Op> ops) implements Architecture {
    public static final int NODES = 4;
    public static final int EDGES = 6;
    /** 5^6: every cell of the space. */
    public static final int SPACE_SIZE = 15_625;

    /** The source node of each edge, in edge order. */
    private static final int[] FROM = {0, 0, 1, 0, 1, 2};
    /** The target node of each edge, in edge order. */
    private static final int[] TO = {1, 2, 2, 3, 3, 3};

    static final String EXPECTED_FORM = "|op~0|+|op~0|op~1|+|op~0|op~1|op~2| with op one of "
            + String.join(", ", Nb201Op.ids());

    public Genotype {
        Objects.requireNonNull(ops, "ops");
        if (ops.size() != EDGES) {
            throw new IllegalArgumentException("a NAS-Bench-201 cell has 6 edges, got " + ops.size());
        }
        ops = List.copyOf(ops);
    }

    public static Genotype of(Nb201Op... ops) {
        return new Genotype(List.of(ops));
    }

    public static int edgeSource(int edge) {
        return FROM[edge];
    }

    public static int edgeTarget(int edge) {
        return TO[edge];
    }

    public Nb201Op op(int edge) {
        return ops.get(edge);
    }

    /** This genotype with one edge's operation replaced (the one-edge mutation of REA). */
    public Genotype with(int edge, Nb201Op op) {
        List<Nb201Op> copy = new ArrayList<>(ops);
        copy.set(edge, op);
        return new Genotype(copy);
    }

    /**
     * A stable index in [0, 15625): the ops' indices read as a base-5 number, first edge most
     * significant, so index order is lexicographic edge order. This is our own numbering, not the
     * benchmark archive's (which follows its file order); the string is the portable identity.
     */
    public int index() {
        int index = 0;
        for (Nb201Op op : ops) {
            index = index * 5 + op.ordinal();
        }
        return index;
    }

    public static Genotype fromIndex(int index) {
        if (index < 0 || index >= SPACE_SIZE) {
            throw new UserInputException(
                    "genotype index " + index + " is out of range; allowed: 0.." + (SPACE_SIZE - 1));
        }
        Nb201Op[] ops = new Nb201Op[EDGES];
        int rest = index;
        for (int e = EDGES - 1; e >= 0; e--) {
            ops[e] = Nb201Op.values()[rest % 5];
            rest /= 5;
        }
        return of(ops);
    }

    /** Every genotype of the space, in index order. */
    public static List<Genotype> enumerate() {
        List<Genotype> all = new ArrayList<>(SPACE_SIZE);
        for (int i = 0; i < SPACE_SIZE; i++) {
            all.add(fromIndex(i));
        }
        return all;
    }

    /** Number of edges whose operation has no weights (skip, pooling, none). */
    public int parameterFreeEdges() {
        return (int) ops.stream().filter(op -> !op.parametric()).count();
    }

    /**
     * The genotype of an architecture the space-neutral search hooks hand back: itself if it is one,
     * otherwise parsed from its canonical string.
     *
     * @throws UserInputException when the string is not a NAS-Bench-201 genotype
     */
    public static Genotype from(Architecture architecture) {
        return architecture instanceof Genotype genotype ? genotype : parse(architecture.canonical());
    }

    /** The benchmark's canonical string, as {@link #toString}. */
    @Override
    public String canonical() {
        return toString();
    }

    /** The benchmark's canonical string. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        int edge = 0;
        for (int node = 1; node < NODES; node++) {
            if (node > 1) {
                sb.append('+');
            }
            sb.append('|');
            for (int source = 0; source < node; source++) {
                sb.append(ops.get(edge++).id()).append('~').append(source).append('|');
            }
        }
        return sb.toString();
    }

    /**
     * Parses the benchmark's string form. Whitespace around the string is ignored; anything else
     * that differs from the canonical form is rejected with a message that shows the expected form.
     */
    public static Genotype parse(String text) {
        if (text == null || text.isBlank()) {
            throw malformed(String.valueOf(text), "it is empty");
        }
        String s = text.strip();
        String[] nodes = s.split("\\+", -1);
        if (nodes.length != NODES - 1) {
            throw malformed(s, "it has " + nodes.length + " node group(s) separated by '+', expected 3");
        }
        List<Nb201Op> ops = new ArrayList<>(EDGES);
        for (int node = 1; node < NODES; node++) {
            String group = nodes[node - 1];
            if (group.length() < 2 || group.charAt(0) != '|' || group.charAt(group.length() - 1) != '|') {
                throw malformed(s, "node " + node + " group '" + group + "' must start and end with '|'");
            }
            String[] edges = group.substring(1, group.length() - 1).split("\\|", -1);
            if (edges.length != node) {
                throw malformed(s, "node " + node + " needs " + node + " incoming edge(s), found " + edges.length);
            }
            for (int source = 0; source < node; source++) {
                String edge = edges[source];
                int tilde = edge.lastIndexOf('~');
                if (tilde < 0) {
                    throw malformed(s, "edge '" + edge + "' lacks '~source'");
                }
                String name = edge.substring(0, tilde);
                String from = edge.substring(tilde + 1);
                Nb201Op op = Nb201Op.fromId(name);
                if (op == null) {
                    throw malformed(s, "unknown op '" + name + "'");
                }
                if (!from.equals(Integer.toString(source))) {
                    throw malformed(s, "edge '" + edge + "' into node " + node + " must come from node "
                            + source + " (edges are listed by source, 0.." + (node - 1) + ")");
                }
                ops.add(op);
            }
        }
        return new Genotype(ops);
    }

    private static UserInputException malformed(String text, String why) {
        return new UserInputException("malformed NAS-Bench-201 genotype '" + text + "': " + why
                + "; expected " + EXPECTED_FORM);
    }
}
