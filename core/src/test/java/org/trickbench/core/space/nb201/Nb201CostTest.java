package org.trickbench.core.space.nb201;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * FLOPs as NAS-Bench-201 publishes them (Dong &amp; Yang, ICLR 2020, arXiv:2001.00326): C=16, N=5,
 * 3×32×32 input. Its API gives FLOPs in millions to five decimals; the cheapest and the dearest of the
 * 15,625 cells are 7.78305 M and 220.11969 M on CIFAR-10, 7.78890 M and 220.12554 M on CIFAR-100.
 */
class Nb201CostTest {
    private static final NetworkConfig CIFAR10 = new NetworkConfig(3, 32, 32, 10, 16, 5);
    private static final NetworkConfig CIFAR100 = new NetworkConfig(3, 32, 32, 100, 16, 5);
    private static final Genotype ALL_3X3 = Genotype.parse(
            "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|");

    /** The benchmark's printed form: millions, five decimals. */
    private static String millions(long flops) {
        return String.format(Locale.ROOT, "%.5f", flops / 1e6);
    }

    private static boolean hasConvolution(Genotype g) {
        return g.ops().stream().anyMatch(op -> op == Nb201Op.NOR_CONV_1X1 || op == Nb201Op.NOR_CONV_3X3);
    }

    @Test
    void cheapestAndDearestCellsOnCifar10AreThePublishedOnes() {
        assertExtremes(CIFAR10, 7_783_050L, "7.78305", 220_119_690L, "220.11969");
    }

    @Test
    void cheapestAndDearestCellsOnCifar100AreThePublishedOnes() {
        assertExtremes(CIFAR100, 7_788_900L, "7.78890", 220_125_540L, "220.12554");
    }

    private static void assertExtremes(NetworkConfig config, long min, String publishedMin, long max, String publishedMax) {
        List<Genotype> all = Genotype.enumerate();
        assertEquals(Genotype.SPACE_SIZE, all.size());
        long lowest = all.stream().mapToLong(g -> Nb201Cost.flops(g, config)).min().orElseThrow();
        long highest = all.stream().mapToLong(g -> Nb201Cost.flops(g, config)).max().orElseThrow();
        assertEquals(min, lowest);
        assertEquals(max, highest);
        assertEquals(publishedMin, millions(lowest));
        assertEquals(publishedMax, millions(highest));
        // The dearest cell is the all-3×3 one alone; the cheapest are exactly the 3^6 = 729 cells
        // without a convolution (none, skip_connect and avg_pool_3x3 cost nothing).
        assertEquals(List.of(ALL_3X3), all.stream().filter(g -> Nb201Cost.flops(g, config) == highest).toList());
        List<Genotype> cheapest = all.stream().filter(g -> Nb201Cost.flops(g, config) == lowest).toList();
        assertEquals(729, cheapest.size());
        assertEquals(all.stream().filter(g -> !hasConvolution(g)).toList(), cheapest);
    }

    @Test
    void theClassifierBiasCountsOneMultiplyAccumulatePerClass() {
        // Without it the CIFAR-10 extremes would print 7.78304 and 220.11968: it decides the fifth decimal.
        Genotype allNone = Genotype.fromIndex(0);
        long perClass = 64 + 1; // 64 channels into the classifier, plus the bias
        assertEquals(90 * perClass, Nb201Cost.flops(allNone, CIFAR100) - Nb201Cost.flops(allNone, CIFAR10));
        // By hand for the cells without a convolution: stem 16·32·32·3·9 = 442,368; each reduction block
        // (3×3 stride 2, 3×3, 1×1 shortcut) 3,670,016; classifier 64·10 + 10 = 650.
        assertEquals(442_368L + 2 * 3_670_016L + 650L, Nb201Cost.flops(allNone, CIFAR10));
    }
}
