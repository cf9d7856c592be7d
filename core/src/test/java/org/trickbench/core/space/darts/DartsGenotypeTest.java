package org.trickbench.core.space.darts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.trickbench.core.UserInputException;
import org.trickbench.core.space.Architecture;
import org.trickbench.core.space.darts.DartsGenotype.Edge;

class DartsGenotypeTest {
    /** P-DARTS exactly as chenxin061/pdarts genotypes.py writes it (note the missing space after ',('). */
    private static final String PDARTS_PUBLISHED = "Genotype(normal=[('skip_connect', 0), ('dil_conv_3x3', 1),"
            + " ('skip_connect', 0),('sep_conv_3x3', 1), ('sep_conv_3x3', 1), ('sep_conv_3x3', 3), ('sep_conv_3x3',0),"
            + " ('dil_conv_5x5', 4)], normal_concat=range(2, 6), reduce=[('avg_pool_3x3', 0), ('sep_conv_5x5', 1),"
            + " ('sep_conv_3x3', 0), ('dil_conv_5x5', 2), ('max_pool_3x3', 0), ('dil_conv_3x3', 1), ('dil_conv_3x3', 1),"
            + " ('dil_conv_5x5', 3)], reduce_concat=range(2, 6))";

    /** The canonical form, as DARTS's search prints a genotype (the namedtuple's repr under Python 3). */
    private static final String PDARTS_CANONICAL = "Genotype(normal=[('skip_connect', 0), ('dil_conv_3x3', 1),"
            + " ('skip_connect', 0), ('sep_conv_3x3', 1), ('sep_conv_3x3', 1), ('sep_conv_3x3', 3), ('sep_conv_3x3', 0),"
            + " ('dil_conv_5x5', 4)], normal_concat=range(2, 6), reduce=[('avg_pool_3x3', 0), ('sep_conv_5x5', 1),"
            + " ('sep_conv_3x3', 0), ('dil_conv_5x5', 2), ('max_pool_3x3', 0), ('dil_conv_3x3', 1), ('dil_conv_3x3', 1),"
            + " ('dil_conv_5x5', 3)], reduce_concat=range(2, 6))";

    @Test
    void publishedFormParsesToTheCanonicalForm() {
        DartsGenotype g = DartsGenotype.parse(PDARTS_PUBLISHED);
        assertEquals(PDARTS_CANONICAL, g.toString());
        assertEquals(DartsGenotype.PDARTS, g);
        assertEquals(new Edge(DartsOp.SKIP_CONNECT, 0), g.normal().get(0));
        assertEquals(new Edge(DartsOp.DIL_CONV_5X5, 4), g.normal().get(7));
        assertEquals(new Edge(DartsOp.AVG_POOL_3X3, 0), g.cell(true).get(0));
    }

    @Test
    void everyPublishedGenotypeRoundTrips() {
        assertEquals(List.of("DARTS_V1", "DARTS_V2", "PDARTS", "PC_DARTS_CIFAR", "PC_DARTS_IMAGENET"),
                List.copyOf(DartsGenotype.published().keySet()));
        for (DartsGenotype g : DartsGenotype.published().values()) {
            String canonical = g.toString();
            assertEquals(g, DartsGenotype.parse(canonical));
            assertEquals(canonical, DartsGenotype.parse(canonical).toString());
            Architecture architecture = g;
            assertEquals(g, DartsGenotype.parse(architecture.canonical()), "the space-neutral identity round-trips");
        }
    }

    @Test
    void concatAsAListReadsLikeTheRange() {
        // DARTS_V2 is published with normal_concat=[2, 3, 4, 5]; it prints with range(2, 6).
        String printed = DartsGenotype.DARTS_V2.toString();
        assertTrue(printed.startsWith("Genotype(normal=[('sep_conv_3x3', 0), ('sep_conv_3x3', 1),"), printed);
        assertTrue(printed.contains("normal_concat=range(2, 6)"), printed);
        String asList = printed.replace("range(2, 6)", "[2, 3, 4, 5]");
        assertEquals(DartsGenotype.DARTS_V2, DartsGenotype.parse(asList));
        assertEquals(DartsGenotype.DARTS_V2, DartsGenotype.parse(printed.replace("range(2, 6)", "[2,3,4,5,]")));
    }

    @Test
    void whitespaceDoubleQuotesAndTrailingCommasAreAccepted() {
        String loose = "  Genotype(\n  normal = [\n    (\"skip_connect\", 0),\n"
                + PDARTS_CANONICAL.substring(PDARTS_CANONICAL.indexOf("('dil_conv_3x3', 1)")).replace(")])", "),\n)\n")
                        .replace("('dil_conv_5x5', 3)]", "('dil_conv_5x5', 3),\n  ]");
        assertEquals(DartsGenotype.PDARTS, DartsGenotype.parse(loose), loose);
    }

    @Test
    void nodeOrderAndEdgeOrderWithinANodeArePreserved() {
        // DARTS_V1 lists node 0's edges as (1, 0): the string keeps that order, not a sorted one.
        assertEquals(new Edge(DartsOp.SEP_CONV_3X3, 1), DartsGenotype.DARTS_V1.normal().get(0));
        assertEquals(new Edge(DartsOp.SEP_CONV_3X3, 0), DartsGenotype.DARTS_V1.normal().get(1));
        assertTrue(DartsGenotype.DARTS_V1.toString().startsWith("Genotype(normal=[('sep_conv_3x3', 1), ('sep_conv_3x3', 0),"));
    }

    /** Each case: a replacement applied to the canonical P-DARTS string, the offset and a phrase of the message. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        // An op outside the space, on normal node 1's second edge: the message lists the eight ops.
        "('sep_conv_3x3', 1), ('sep_conv_3x3', 1)|('sep_conv_3x3', 1), ('sep_conv_7x7', 1)|"
                + "normal cell, node 2, edge 0: unknown op 'sep_conv_7x7'; allowed: none, max_pool_3x3, avg_pool_3x3,"
                + " skip_connect, sep_conv_3x3, sep_conv_5x5, dil_conv_3x3, dil_conv_5x5",
        // Node 0 may take inputs 0..1 only.
        "reduce=[('avg_pool_3x3', 0)|reduce=[('avg_pool_3x3', 2)|"
                + "reduce cell, node 0, edge 0: input 2 is out of range; node 0 allows inputs 0..1",
        // Node 3 may take 0..4.
        "('dil_conv_5x5', 4)|('dil_conv_5x5', 5)|normal cell, node 3, edge 1: input 5 is out of range;"
                + " node 3 allows inputs 0..4",
        "normal_concat=range(2, 6)|normal_concat=range(2, 5)|normal_concat is range(2, 5); allowed: range(2, 6)"
                + " or [2, 3, 4, 5]",
        "reduce_concat=range(2, 6)|reduce_concat=[2, 3, 5]|reduce_concat is [2, 3, 5]; allowed",
        "reduce=|reduction=|expected 'reduce', found 'reduction=[('avg'",
        "('max_pool_3x3', 0), |('max_pool_3x3', -1), |expected a non-negative integer, found '-1)",
        "('max_pool_3x3', 0), |('max_pool_3x3' 0), |expected ',', found '0)",
        "('max_pool_3x3', 0), |(max_pool_3x3, 0), |expected a quoted op name, one of none, max_pool_3x3",
        "('dil_conv_5x5', 3)]|('dil_conv_5x5', 3), ('dil_conv_5x5', 3)]|reduce has more than 8 edges",
        "('dil_conv_3x3', 1), ('dil_conv_5x5', 3)]|('dil_conv_3x3', 1)]|reduce has 7 edges; a DARTS cell has 8",
        "reduce_concat=range(2, 6))|reduce_concat=range(2, 6)) extra|unexpected text after the closing ')'",
        "reduce_concat=range(2, 6))|reduce_concat=range(2, 6)|expected ')', found the end of the string",
    })
    void errorsNameThePositionAndTheAllowedValues(String from, String to, String phrase) {
        String text = PDARTS_CANONICAL.replace(from, to);
        assertTrue(!text.equals(PDARTS_CANONICAL), "the case must change the string: " + from);
        DartsGenotypeException e = assertThrows(DartsGenotypeException.class, () -> DartsGenotype.parse(text));
        assertTrue(e.getMessage().contains(phrase), e.getMessage());
        assertTrue(e instanceof UserInputException);
        // The offset points into the changed part (or just after the text, for a missing end).
        int changed = PDARTS_CANONICAL.indexOf(from);
        assertTrue(e.offset() >= changed && e.offset() <= changed + to.length() + 1,
                "offset " + e.offset() + " outside the change at " + changed + ": " + e.getMessage());
        assertTrue(e.getMessage().contains("at character " + e.offset()), e.getMessage());
        assertEquals(-1, e.getMessage().indexOf('\n'), "one line");
    }

    @Test
    void emptyStringsAreRejected() {
        assertThrows(DartsGenotypeException.class, () -> DartsGenotype.parse(""));
        assertThrows(DartsGenotypeException.class, () -> DartsGenotype.parse(null));
        DartsGenotypeException e = assertThrows(DartsGenotypeException.class, () -> DartsGenotype.parse("  \n"));
        assertTrue(e.getMessage().contains("expected Genotype(normal=[('op', input)"), e.getMessage());
    }

    @Test
    void theConstructorValidatesLikeTheParser() {
        List<Edge> edges = new ArrayList<>(DartsGenotype.PDARTS.normal());
        edges.set(3, new Edge(DartsOp.SEP_CONV_3X3, 3));
        DartsGenotypeException e = assertThrows(DartsGenotypeException.class,
                () -> new DartsGenotype(edges, DartsGenotype.PDARTS.reduce()));
        assertEquals("normal cell, node 1, edge 1: input 3 is out of range; node 1 allows inputs 0..2"
                + " (0 and 1 the cell's inputs, 2.. the earlier nodes)", e.getMessage());
        assertEquals(-1, e.offset());
        DartsGenotypeException size = assertThrows(DartsGenotypeException.class,
                () -> new DartsGenotype(DartsGenotype.PDARTS.normal(), edges.subList(0, 7)));
        assertTrue(size.getMessage().startsWith("reduce cell has 7 edges"), size.getMessage());
        assertThrows(DartsGenotypeException.class, () -> new DartsGenotype(edges, List.of(new Edge(DartsOp.NONE, -1))));
    }

    @Test
    void opsFollowDartsPrimitivesOrder() {
        assertEquals(List.of("none", "max_pool_3x3", "avg_pool_3x3", "skip_connect", "sep_conv_3x3", "sep_conv_5x5",
                "dil_conv_3x3", "dil_conv_5x5"), DartsOp.ids());
        assertEquals(DartsOp.DIL_CONV_3X3, DartsOp.fromId("dil_conv_3x3"));
        assertEquals(null, DartsOp.fromId("conv_7x1_1x7"));
    }
}
