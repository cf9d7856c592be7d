package org.trickbench.core.space.darts;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import org.trickbench.core.space.Architecture;

/**
 * A cell pair of the DARTS CNN space (Liu et al., ICLR 2019, arXiv 1806.09055): a normal and a
 * reduction cell, each of four intermediate nodes that sum two edges. An edge is an op applied to one
 * of the node's allowed inputs: 0 and 1 are the cell's two inputs (the outputs of the cells two back and
 * one back), 2.. are the earlier intermediate nodes, so node i (0-based among the intermediate nodes)
 * may take inputs 0..i+1. The cell's output concatenates all four nodes.
 *
 * <p>The string form is the one DARTS itself prints (the {@code repr} of its {@code Genotype}
 * namedtuple), e.g. {@code Genotype(normal=[('sep_conv_3x3', 0), ('sep_conv_3x3', 1), ...],
 * normal_concat=range(2, 6), reduce=[...], reduce_concat=range(2, 6))}, with the edges of node 0 first
 * and each node's two edges in the order written. {@link #parse} also reads the concat written as the
 * list {@code [2, 3, 4, 5]} (as the published DARTS_V1 and DARTS_V2 are), either quote, any whitespace
 * between tokens and trailing commas; {@link #toString} writes the one canonical form above.
 */
public record DartsGenotype(List<Edge> normal, List<Edge> reduce) implements Architecture {
    /** Intermediate nodes per cell. */
    public static final int NODES = 4;
    /** Edges per cell: two into each intermediate node. */
    public static final int EDGES = 2 * NODES;
    /** The concat of every cell of the space: all four intermediate nodes. */
    public static final List<Integer> CONCAT = List.of(2, 3, 4, 5);

    /** The ops a sampled, mutated or discretised edge may take: all but {@code none}, in {@link DartsOp} order. */
    public static final List<DartsOp> CANDIDATE_OPS =
            List.of(DartsOp.values()).stream().filter(op -> op != DartsOp.NONE).toList();

    static final String EXPECTED_FORM = "Genotype(normal=[('op', input), ... 8 pairs], normal_concat=range(2, 6),"
            + " reduce=[... 8 pairs], reduce_concat=range(2, 6))";

    /** One edge: {@code op} applied to state {@code input} of the cell. */
    public record Edge(DartsOp op, int input) {
        public Edge {
            Objects.requireNonNull(op, "op");
        }

        @Override
        public String toString() {
            return "('" + op.id() + "', " + input + ")";
        }
    }

    /** DARTS (first order), as published in chenxin061/pdarts and yuhuixu1993/PC-DARTS {@code genotypes.py}. */
    public static final DartsGenotype DARTS_V1 = parse("Genotype(normal=[('sep_conv_3x3', 1), ('sep_conv_3x3', 0),"
            + " ('skip_connect', 0), ('sep_conv_3x3', 1), ('skip_connect', 0), ('sep_conv_3x3', 1), ('sep_conv_3x3', 0),"
            + " ('skip_connect', 2)], normal_concat=[2, 3, 4, 5], reduce=[('max_pool_3x3', 0), ('max_pool_3x3', 1),"
            + " ('skip_connect', 2), ('max_pool_3x3', 0), ('max_pool_3x3', 0), ('skip_connect', 2), ('skip_connect', 2),"
            + " ('avg_pool_3x3', 0)], reduce_concat=[2, 3, 4, 5])");

    /**
     * DARTS (second order), the paper's cell, as published in quark0/darts {@code cnn/genotypes.py}
     * (there named DARTS_V2, with {@code DARTS = DARTS_V2}) and the two repositories above.
     */
    public static final DartsGenotype DARTS_V2 = parse("Genotype(normal=[('sep_conv_3x3', 0), ('sep_conv_3x3', 1),"
            + " ('sep_conv_3x3', 0), ('sep_conv_3x3', 1), ('sep_conv_3x3', 1), ('skip_connect', 0), ('skip_connect', 0),"
            + " ('dil_conv_3x3', 2)], normal_concat=[2, 3, 4, 5], reduce=[('max_pool_3x3', 0), ('max_pool_3x3', 1),"
            + " ('skip_connect', 2), ('max_pool_3x3', 1), ('max_pool_3x3', 0), ('skip_connect', 2), ('skip_connect', 2),"
            + " ('max_pool_3x3', 1)], reduce_concat=[2, 3, 4, 5])");

    /** P-DARTS (Chen et al., ICCV 2019), as published in chenxin061/pdarts {@code genotypes.py}. */
    public static final DartsGenotype PDARTS = parse("Genotype(normal=[('skip_connect', 0), ('dil_conv_3x3', 1),"
            + " ('skip_connect', 0), ('sep_conv_3x3', 1), ('sep_conv_3x3', 1), ('sep_conv_3x3', 3), ('sep_conv_3x3', 0),"
            + " ('dil_conv_5x5', 4)], normal_concat=range(2, 6), reduce=[('avg_pool_3x3', 0), ('sep_conv_5x5', 1),"
            + " ('sep_conv_3x3', 0), ('dil_conv_5x5', 2), ('max_pool_3x3', 0), ('dil_conv_3x3', 1), ('dil_conv_3x3', 1),"
            + " ('dil_conv_5x5', 3)], reduce_concat=range(2, 6))");

    /**
     * PC-DARTS's CIFAR-10 cell (Xu et al., ICLR 2020), as published in yuhuixu1993/PC-DARTS
     * {@code genotypes.py} (there {@code PC_DARTS_cifar}, also {@code PCDARTS}).
     */
    public static final DartsGenotype PC_DARTS_CIFAR = parse("Genotype(normal=[('sep_conv_3x3', 1), ('skip_connect', 0),"
            + " ('sep_conv_3x3', 0), ('dil_conv_3x3', 1), ('sep_conv_5x5', 0), ('sep_conv_3x3', 1), ('avg_pool_3x3', 0),"
            + " ('dil_conv_3x3', 1)], normal_concat=range(2, 6), reduce=[('sep_conv_5x5', 1), ('max_pool_3x3', 0),"
            + " ('sep_conv_5x5', 1), ('sep_conv_5x5', 2), ('sep_conv_3x3', 0), ('sep_conv_3x3', 3), ('sep_conv_3x3', 1),"
            + " ('sep_conv_3x3', 2)], reduce_concat=range(2, 6))");

    /**
     * PC-DARTS's cell searched on ImageNet, as published in yuhuixu1993/PC-DARTS {@code genotypes.py}
     * (there {@code PC_DARTS_image}).
     */
    public static final DartsGenotype PC_DARTS_IMAGENET = parse("Genotype(normal=[('skip_connect', 1), ('sep_conv_3x3', 0),"
            + " ('sep_conv_3x3', 0), ('skip_connect', 1), ('sep_conv_3x3', 1), ('sep_conv_3x3', 3), ('sep_conv_3x3', 1),"
            + " ('dil_conv_5x5', 4)], normal_concat=range(2, 6), reduce=[('sep_conv_3x3', 0), ('skip_connect', 1),"
            + " ('dil_conv_5x5', 2), ('max_pool_3x3', 1), ('sep_conv_3x3', 2), ('sep_conv_3x3', 1), ('sep_conv_5x5', 0),"
            + " ('sep_conv_3x3', 3)], reduce_concat=range(2, 6))");

    public DartsGenotype {
        normal = validated("normal", normal);
        reduce = validated("reduce", reduce);
    }

    /**
     * The published genotypes of the space by their names in the authors' repositories. NASNet and
     * AmoebaNet, listed in the same files, are not in the space (five nodes, ops such as sep_conv_7x7).
     */
    public static Map<String, DartsGenotype> published() {
        Map<String, DartsGenotype> all = new LinkedHashMap<>();
        all.put("DARTS_V1", DARTS_V1);
        all.put("DARTS_V2", DARTS_V2);
        all.put("PDARTS", PDARTS);
        all.put("PC_DARTS_CIFAR", PC_DARTS_CIFAR);
        all.put("PC_DARTS_IMAGENET", PC_DARTS_IMAGENET);
        return all;
    }

    /**
     * The genotype of an architecture a space-neutral search hands back: itself if it is one, otherwise
     * parsed from its canonical string.
     *
     * @throws DartsGenotypeException when the string is not a DARTS genotype
     */
    public static DartsGenotype from(Architecture architecture) {
        return architecture instanceof DartsGenotype genotype ? genotype : parse(architecture.canonical());
    }

    /** The edges of the reduction cell when {@code reduction}, of the normal cell otherwise. */
    public List<Edge> cell(boolean reduction) {
        return reduction ? reduce : normal;
    }

    /** DARTS's own printed form, as {@link #toString}: the string stored and compared. */
    @Override
    public String canonical() {
        return toString();
    }

    /** DARTS's own printed form, with the concat as {@code range(2, 6)}. */
    @Override
    public String toString() {
        return "Genotype(normal=" + normal + ", normal_concat=range(2, 6), reduce=" + reduce
                + ", reduce_concat=range(2, 6))";
    }

    /**
     * Reads a genotype in DARTS's form. Errors name the character offset, what was expected there and,
     * for ops and inputs, the allowed values.
     */
    public static DartsGenotype parse(String text) {
        if (text == null || text.isBlank()) {
            throw new DartsGenotypeException("malformed DARTS genotype: it is empty; expected " + EXPECTED_FORM, 0);
        }
        return new Parser(text).genotype();
    }

    /**
     * The genotype DARTS derives from its architecture weights ({@code Network.genotype()} in the authors'
     * {@code cnn/model_search.py}), for each cell from w = softmax(α) row by row (14 edges × 8 ops in
     * {@link DartsOp} order, edges as {@link DartsSupernet#edge} numbers them): node i keeps the two
     * incoming edges whose strongest op other than {@code none} has the largest weight, strongest edge
     * first (equal strengths keep the lower input first, as Python's stable sort does), and each kept
     * edge takes that op (on equal weights the first in {@link DartsOp} order). {@code none} never
     * wins, however large its weight; it only lowers the others' share of the softmax, which is what the
     * edges are ranked by. The softmax is computed in float64 from the given α.
     */
    public static DartsGenotype fromAlpha(double[][] alphaNormal, double[][] alphaReduce) {
        return new DartsGenotype(discretise("alpha_normal", alphaNormal), discretise("alpha_reduce", alphaReduce));
    }

    private static List<Edge> discretise(String name, double[][] alpha) {
        if (alpha.length != DartsSupernet.MIXED_EDGES) {
            throw new IllegalArgumentException(name + " has " + alpha.length + " rows; a DARTS search cell has "
                    + DartsSupernet.MIXED_EDGES + " mixed edges");
        }
        List<Edge> edges = new ArrayList<>(EDGES);
        for (int node = 0; node < NODES; node++) {
            double[] strength = new double[node + 2];
            DartsOp[] best = new DartsOp[node + 2];
            List<Integer> inputs = new ArrayList<>();
            for (int input = 0; input < node + 2; input++) {
                double[] w = softmax(name, alpha[DartsSupernet.edge(node, input)]);
                for (DartsOp op : CANDIDATE_OPS) {
                    if (best[input] == null || w[op.ordinal()] > w[best[input].ordinal()]) {
                        best[input] = op;
                    }
                }
                strength[input] = w[best[input].ordinal()];
                inputs.add(input);
            }
            // List.sort is stable: of equally strong edges, the lower input stays first.
            inputs.sort(Comparator.comparingDouble(input -> -strength[input]));
            for (int input : inputs.subList(0, 2)) {
                edges.add(new Edge(best[input], input));
            }
        }
        return edges;
    }

    private static double[] softmax(String name, double[] row) {
        if (row.length != DartsOp.values().length) {
            throw new IllegalArgumentException(name + " has a row of " + row.length + " weights; a mixed edge has "
                    + DartsOp.values().length + " ops");
        }
        double max = Double.NEGATIVE_INFINITY;
        for (double v : row) {
            max = Math.max(max, v);
        }
        double[] p = new double[row.length];
        double z = 0;
        for (int k = 0; k < row.length; k++) {
            p[k] = Math.exp(row[k] - max);
            z += p[k];
        }
        for (int k = 0; k < row.length; k++) {
            p[k] /= z;
        }
        return p;
    }

    /**
     * A uniformly random genotype: for the normal cell, then the reduction cell, node by node, two
     * distinct inputs (an ordered pair, uniform over the node's states 0..i+1), each edge's op uniform
     * over {@link #CANDIDATE_OPS} ({@code none} is never drawn, as DARTS never derives it).
     */
    public static DartsGenotype random(SplittableRandom random) {
        List<Edge> normal = randomCell(random);
        return new DartsGenotype(normal, randomCell(random));
    }

    private static List<Edge> randomCell(SplittableRandom random) {
        List<Edge> edges = new ArrayList<>(EDGES);
        for (int node = 0; node < NODES; node++) {
            edges.addAll(randomNode(node, random));
        }
        return edges;
    }

    /**
     * The two edges of intermediate node {@code node} (0..3) as {@link #random} draws them: an ordered pair
     * of distinct inputs uniform over the node's states 0..node+1, then each edge's op uniform over
     * {@link #CANDIDATE_OPS}.
     */
    public static List<Edge> randomNode(int node, SplittableRandom random) {
        int states = node + 2;
        int first = random.nextInt(states);
        int second = random.nextInt(states - 1);
        if (second >= first) {
            second++;
        }
        return List.of(new Edge(randomOp(random), first), new Edge(randomOp(random), second));
    }

    private static DartsOp randomOp(SplittableRandom random) {
        return CANDIDATE_OPS.get(random.nextInt(CANDIDATE_OPS.size()));
    }

    /**
     * This genotype with one edge changed: a uniformly chosen cell and edge, then, with even odds, its
     * input (uniform over the node's states other than the two its edges take, so the inputs stay distinct
     * and in range) or its op (uniform over the {@link #CANDIDATE_OPS} other than the current one). An edge
     * of node 0, whose two edges take both of its states, always changes its op. The result always differs
     * from this genotype.
     */
    public DartsGenotype mutate(SplittableRandom random) {
        boolean reduction = random.nextBoolean();
        int e = random.nextInt(EDGES);
        List<Edge> cell = new ArrayList<>(cell(reduction));
        Edge edge = cell.get(e);
        List<Integer> free = freeInputs(cell, e);
        if (!free.isEmpty() && random.nextBoolean()) {
            cell.set(e, new Edge(edge.op(), free.get(random.nextInt(free.size()))));
        } else {
            List<DartsOp> ops = otherOps(edge);
            cell.set(e, new Edge(ops.get(random.nextInt(ops.size())), edge.input()));
        }
        return with(reduction, cell);
    }

    /**
     * Every genotype one edge change away, as {@link #mutate} may draw them: for the normal cell, then the
     * reduction cell, edge by edge, the edge with each other op of {@link #CANDIDATE_OPS} (in that order),
     * then with each input its node may take that neither of its two edges takes (ascending). A genotype
     * whose edges all carry candidate ops and whose nodes take distinct inputs has 2 × (8 × 6 + 2 × (0 + 1
     * + 2 + 3)) = 120 of them.
     */
    public List<DartsGenotype> neighbours() {
        List<DartsGenotype> all = new ArrayList<>();
        for (boolean reduction : new boolean[] {false, true}) {
            List<Edge> edges = cell(reduction);
            for (int e = 0; e < EDGES; e++) {
                Edge edge = edges.get(e);
                for (DartsOp op : otherOps(edge)) {
                    all.add(with(reduction, replaced(edges, e, new Edge(op, edge.input()))));
                }
                for (int input : freeInputs(edges, e)) {
                    all.add(with(reduction, replaced(edges, e, new Edge(edge.op(), input))));
                }
            }
        }
        return all;
    }

    /** The inputs edge {@code e} of {@code cell} may move to: its node's states that neither of its edges takes. */
    private static List<Integer> freeInputs(List<Edge> cell, int e) {
        int own = cell.get(e).input();
        int sibling = cell.get(e ^ 1).input();
        List<Integer> free = new ArrayList<>();
        for (int input = 0; input <= maxInput(e); input++) {
            if (input != own && input != sibling) {
                free.add(input);
            }
        }
        return free;
    }

    /** The candidate ops other than {@code edge}'s, in {@link #CANDIDATE_OPS} order. */
    private static List<DartsOp> otherOps(Edge edge) {
        return CANDIDATE_OPS.stream().filter(op -> op != edge.op()).toList();
    }

    private static List<Edge> replaced(List<Edge> cell, int e, Edge edge) {
        List<Edge> copy = new ArrayList<>(cell);
        copy.set(e, edge);
        return copy;
    }

    /** This genotype with its reduction cell (when {@code reduction}) or its normal cell replaced by {@code cell}. */
    private DartsGenotype with(boolean reduction, List<Edge> cell) {
        return reduction ? new DartsGenotype(normal, cell) : new DartsGenotype(cell, reduce);
    }

    /** The largest input edge {@code edge} (0..7) may take: its node is edge / 2, which takes 0..node+1. */
    static int maxInput(int edge) {
        return edge / 2 + 1;
    }

    private static List<Edge> validated(String cell, List<Edge> edges) {
        Objects.requireNonNull(edges, cell);
        if (edges.size() != EDGES) {
            throw new DartsGenotypeException(cell + " cell has " + edges.size() + " edges; a DARTS cell has "
                    + EDGES + " (two into each of " + NODES + " nodes)", -1);
        }
        for (int e = 0; e < EDGES; e++) {
            Edge edge = Objects.requireNonNull(edges.get(e), cell + " edge " + e);
            if (edge.input() < 0 || edge.input() > maxInput(e)) {
                throw new DartsGenotypeException(where(cell, e) + ": input " + edge.input() + " is out of range; "
                        + allowedInputs(e), -1);
            }
        }
        return List.copyOf(edges);
    }

    private static String where(String cell, int edge) {
        return cell + " cell, node " + edge / 2 + ", edge " + edge % 2;
    }

    private static String allowedInputs(int edge) {
        return "node " + edge / 2 + " allows inputs 0.." + maxInput(edge)
                + " (0 and 1 the cell's inputs, 2.. the earlier nodes)";
    }

    /** A recursive-descent reader of the namedtuple's repr, keeping the offset for its messages. */
    private static final class Parser {
        private final String text;
        private int pos;

        Parser(String text) {
            this.text = text;
        }

        DartsGenotype genotype() {
            expect("Genotype");
            expect("(");
            expect("normal");
            expect("=");
            List<Edge> normal = edges("normal");
            expect(",");
            concat("normal_concat");
            expect(",");
            expect("reduce");
            expect("=");
            List<Edge> reduce = edges("reduce");
            expect(",");
            concat("reduce_concat");
            accept(",");
            expect(")");
            skipSpace();
            if (pos < text.length()) {
                throw error("unexpected text after the closing ')'");
            }
            return new DartsGenotype(normal, reduce);
        }

        private List<Edge> edges(String cell) {
            expect("[");
            List<Edge> edges = new ArrayList<>(EDGES);
            items(() -> {
                if (edges.size() == EDGES) {
                    throw error(cell + " has more than " + EDGES + " edges; a DARTS cell has " + EDGES
                            + " (two into each of " + NODES + " nodes)");
                }
                edges.add(edge(cell, edges.size()));
            });
            if (edges.size() != EDGES) {
                int end = pos - 1; // the closing ']', where the missing edges should have been
                throw new DartsGenotypeException("malformed DARTS genotype at character " + end + ": " + cell
                        + " has " + edges.size() + " edges; a DARTS cell has " + EDGES + " (two into each of " + NODES
                        + " nodes); expected " + EXPECTED_FORM, end);
            }
            return edges;
        }

        private Edge edge(String cell, int index) {
            expect("(");
            int opStart = skipSpace();
            String name = string();
            DartsOp op = DartsOp.fromId(name);
            if (op == null) {
                throw new DartsGenotypeException("DARTS genotype at character " + opStart + ", " + where(cell, index)
                        + ": unknown op '" + name + "'; allowed: " + String.join(", ", DartsOp.ids()), opStart);
            }
            expect(",");
            int inputStart = skipSpace();
            int input = integer();
            if (input > maxInput(index)) {
                throw new DartsGenotypeException("DARTS genotype at character " + inputStart + ", " + where(cell, index)
                        + ": input " + input + " is out of range; " + allowedInputs(index), inputStart);
            }
            accept(",");
            expect(")");
            return new Edge(op, input);
        }

        /** {@code range(2, 6)} or {@code [2, 3, 4, 5]}: every intermediate node, the only concat of the space. */
        private void concat(String field) {
            expect(field);
            expect("=");
            int start = skipSpace();
            List<Integer> nodes = new ArrayList<>();
            if (accept("range")) {
                expect("(");
                int from = integer();
                expect(",");
                int to = integer();
                expect(")");
                for (int i = from; i < to; i++) {
                    nodes.add(i);
                }
            } else if (accept("[")) {
                items(() -> nodes.add(integer()));
            } else {
                throw error("expected range(2, 6) or [2, 3, 4, 5] for " + field);
            }
            if (!nodes.equals(CONCAT)) {
                throw new DartsGenotypeException("DARTS genotype at character " + start + ": " + field + " is "
                        + text.substring(start, pos).strip() + "; allowed: range(2, 6) or [2, 3, 4, 5]"
                        + " (a DARTS cell concatenates all four intermediate nodes)", start);
            }
        }

        /** Reads list items up to the closing ']' (the '[' already read): commas between, one trailing allowed. */
        private void items(Runnable item) {
            boolean first = true;
            while (!accept("]")) {
                if (!first) {
                    expect(",");
                    if (accept("]")) {
                        return;
                    }
                }
                item.run();
                first = false;
            }
        }

        private String string() {
            skipSpace();
            char quote = pos < text.length() ? text.charAt(pos) : 0;
            if (quote != '\'' && quote != '"') {
                throw error("expected a quoted op name, one of " + String.join(", ", DartsOp.ids()));
            }
            int end = text.indexOf(quote, pos + 1);
            if (end < 0) {
                throw error("unterminated op name");
            }
            String name = text.substring(pos + 1, end);
            pos = end + 1;
            return name;
        }

        private int integer() {
            skipSpace();
            int start = pos;
            while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
                pos++;
            }
            if (start == pos || pos - start > 9) {
                pos = start;
                throw error("expected a non-negative integer");
            }
            return Integer.parseInt(text.substring(start, pos));
        }

        private void expect(String token) {
            if (!accept(token)) {
                throw error("expected '" + token + "'");
            }
        }

        private boolean accept(String token) {
            skipSpace();
            if (text.startsWith(token, pos)) {
                pos += token.length();
                return true;
            }
            return false;
        }

        private int skipSpace() {
            while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
                pos++;
            }
            return pos;
        }

        private DartsGenotypeException error(String what) {
            String found = pos >= text.length() ? "the end of the string"
                    : "'" + text.substring(pos, Math.min(text.length(), pos + 16)) + "'";
            return new DartsGenotypeException("malformed DARTS genotype at character " + pos + ": " + what
                    + ", found " + found + "; expected " + EXPECTED_FORM, pos);
        }
    }
}
