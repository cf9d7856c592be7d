package org.trickbench.core.space.nb201;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.trickbench.core.UserInputException;

class GenotypeTest {
    /** Genotype strings as printed in the NAS-Bench-201 paper and its API. */
    static final List<String> BENCHMARK_STRINGS = List.of(
            "|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|",
            "|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|skip_connect~1|skip_connect~2|",
            "|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|none~0|nor_conv_3x3~1|avg_pool_3x3~2|",
            "|skip_connect~0|+|skip_connect~0|skip_connect~1|+|none~0|nor_conv_1x1~1|none~2|");

    @Test
    void benchmarkStringsRoundTrip() {
        for (String s : BENCHMARK_STRINGS) {
            assertEquals(s, Genotype.parse(s).toString());
        }
    }

    @Test
    void parseReadsEdgesInBenchmarkOrder() {
        Genotype g = Genotype.parse(BENCHMARK_STRINGS.get(0));
        assertEquals(List.of(Nb201Op.NOR_CONV_3X3, Nb201Op.NOR_CONV_3X3, Nb201Op.AVG_POOL_3X3,
                Nb201Op.SKIP_CONNECT, Nb201Op.NOR_CONV_3X3, Nb201Op.SKIP_CONNECT), g.ops());
        assertEquals(1, Genotype.edgeSource(2));
        assertEquals(2, Genotype.edgeTarget(2));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "|nor_conv_3x3~0|",
        "|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|",
        "|conv_5x5~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|",
        "|nor_conv_3x3~1|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|",
        "|nor_conv_3x3~0|+|nor_conv_3x3~0|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|",
        "nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|",
        "|nor_conv_3x3|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|"
    })
    void malformedStringsAreRejectedWithTheExpectedForm(String text) {
        UserInputException e = assertThrows(UserInputException.class, () -> Genotype.parse(text));
        assertTrue(e.getMessage().contains("expected |op~0|+|op~0|op~1|+|op~0|op~1|op~2|"), e.getMessage());
        assertTrue(e.getMessage().contains("nor_conv_3x3"), e.getMessage());
    }

    @Test
    void enumerationCoversTheSpaceWithStableIndices() {
        List<Genotype> all = Genotype.enumerate();
        assertEquals(15_625, all.size());
        Set<String> strings = new HashSet<>();
        for (int i = 0; i < all.size(); i++) {
            assertEquals(i, all.get(i).index());
            strings.add(all.get(i).toString());
        }
        assertEquals(15_625, strings.size());
        assertEquals("|none~0|+|none~0|none~1|+|none~0|none~1|none~2|", all.get(0).toString());
        assertEquals("|avg_pool_3x3~0|+|avg_pool_3x3~0|avg_pool_3x3~1|+|avg_pool_3x3~0|avg_pool_3x3~1|avg_pool_3x3~2|",
                all.get(15_624).toString());
        // First edge most significant: the op of edge 0 moves the index by 5^5.
        assertEquals(3125, Genotype.parse("|skip_connect~0|+|none~0|none~1|+|none~0|none~1|none~2|").index());
    }

    @Test
    void outOfRangeIndexIsAUserError() {
        assertThrows(UserInputException.class, () -> Genotype.fromIndex(15_625));
        assertThrows(UserInputException.class, () -> Genotype.fromIndex(-1));
    }

    @Test
    void parameterFreeEdgesCountsSkipPoolAndNone() {
        assertEquals(5, Genotype.parse(BENCHMARK_STRINGS.get(3)).parameterFreeEdges());
        assertEquals(3, Genotype.parse(BENCHMARK_STRINGS.get(0)).parameterFreeEdges());
    }
}
