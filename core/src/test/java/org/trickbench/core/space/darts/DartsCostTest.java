package org.trickbench.core.space.darts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.trickbench.core.UserInputException;

/**
 * Parameter counts of DARTS's CIFAR evaluation network. P-DARTS's are the reference counts (3.4M on
 * CIFAR-10 in Chen et al., ICCV 2019; exactly 3,433,798 without and 3,910,224 with the auxiliary head
 * at C=36, L=20). The others were counted by an independent PyTorch network written from the
 * published description, which first reproduces the P-DARTS pair; regenerate them (and the FLOPs) with
 * {@code /usr/bin/python3 scripts/pytorch-fixtures/darts_parameters.py}. DARTS_V2 at 3,349,342 is the
 * "3.3M" of the DARTS paper, PC-DARTS at 3,634,678 the "3.6M" of its own.
 */
class DartsCostTest {
    @Test
    void pdartsMatchesItsPublishedCounts() {
        DartsConfig config = DartsConfig.cifar10Evaluation();
        assertEquals(3_910_224L, DartsCost.parameters(DartsGenotype.PDARTS, config));
        assertEquals(3_433_798L, DartsCost.parameters(DartsGenotype.PDARTS, config.withAuxiliary(false)));
    }

    /**
     * Parameters and FLOPs, without and with the auxiliary head. FLOPs follow NAS-Bench-201's
     * convention, counted independently by forward hooks on the PyTorch reference network's Conv2d and
     * Linear modules.
     */
    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "DARTS_V1;36;20;3169414;3645840;500987530;501683348",
        "DARTS_V1;8;5;35058;454140;7066890;7533332",
        "DARTS_V2;36;20;3349342;3825768;528359050;529054868",
        "DARTS_V2;8;5;37018;456100;7392522;7858964",
        "PDARTS;36;20;3433798;3910224;532174474;532870292",
        "PDARTS;8;5;53490;472572;9180426;9646868",
        "PC_DARTS_CIFAR;36;20;3634678;4111104;556670602;557366420",
        "PC_DARTS_CIFAR;8;5;66770;485852;10724618;11191060",
        "PC_DARTS_IMAGENET;36;20;3721510;4197936;570466954;571162772",
        "PC_DARTS_IMAGENET;8;5;61482;480564;10097930;10564372",
    })
    void publishedGenotypesMatchThePyTorchReference(String name, int channels, int layers, long without, long with,
            long flopsWithout, long flopsWith) {
        DartsGenotype genotype = DartsGenotype.published().get(name);
        DartsConfig config = new DartsConfig(3, 32, 32, 10, channels, layers, false);
        assertEquals(without, DartsCost.parameters(genotype, config));
        assertEquals(with, DartsCost.parameters(genotype, config.withAuxiliary(true)));
        assertEquals(flopsWithout, DartsCost.flops(genotype, config));
        assertEquals(flopsWith, DartsCost.flops(genotype, config.withAuxiliary(true)));
    }

    @Test
    void auxiliaryHeadFlopsByHand() {
        // At C=36 the head reads 576 channels at 8×8, pooled to 2×2: 576·128·4 (1×1 conv) + 128·768·4
        // (2×2 conv to 1×1) + 768·10 + 10 (linear and bias) = 695,818.
        assertEquals(695_818L, DartsCost.auxiliaryFlops(576, 8, 8, 10));
        DartsConfig config = DartsConfig.cifar10Evaluation();
        assertEquals(695_818L, DartsCost.flops(DartsGenotype.DARTS_V2, config)
                - DartsCost.flops(DartsGenotype.DARTS_V2, config.withAuxiliary(false)));
        // 40 pixels leave 10 after the reductions, still pooled to 2×2 (5×5 windows at stride 3).
        assertEquals(695_818L, DartsCost.auxiliaryFlops(576, 10, 10, 10));
    }

    @Test
    void flopsScaleWithTheImageAreaAndOpsCostTheirWeightsPerPixel() {
        // Without the head every layer but the classifier runs per pixel: 4× the area, 4× those FLOPs.
        DartsConfig small = new DartsConfig(3, 16, 16, 10, 8, 5, false);
        DartsConfig large = new DartsConfig(3, 32, 32, 10, 8, 5, false);
        long classifier = 4 * 32 * 10 + 10;
        assertEquals(4 * (DartsCost.flops(DartsGenotype.PDARTS, small) - classifier),
                DartsCost.flops(DartsGenotype.PDARTS, large) - classifier);
        // sep_conv_5x5 at C=16: two stacks of a depthwise 16·25 and a pointwise 16·16 per pixel.
        assertEquals(2 * (16 * 25 + 16 * 16), DartsCost.opWeights(DartsOp.SEP_CONV_5X5, 16, true));
        assertEquals(16 * 16, DartsCost.opWeights(DartsOp.SKIP_CONNECT, 16, true));
        assertEquals(0, DartsCost.opWeights(DartsOp.SKIP_CONNECT, 16, false));
    }

    @Test
    void theAuxiliaryHeadAddsItsOwnCountAtTheSecondReduction() {
        // At C=36 the head reads cell 13's 4·144 = 576 channels: 576·128 + 2·128 (1×1 conv, BN)
        // + 128·768·4 + 2·768 (2×2 conv, BN) + 768·10 + 10 (linear) = 476,426.
        assertEquals(476_426L, DartsCost.auxiliaryParameters(576, 10));
        assertEquals(3_910_224L - 3_433_798L, DartsCost.auxiliaryParameters(576, 10));
        assertEquals(13, DartsCost.auxiliaryAfter(20));
    }

    @Test
    void opCountsByHand() {
        // sep_conv_3x3 at C=16: two stacks of 16·9 + 16·16 + 2·16 = 432.
        assertEquals(864, DartsCost.opParameters(DartsOp.SEP_CONV_3X3, 16, false));
        // dil_conv_5x5: one stack of 16·25 + 16·16 + 32 = 688; striding changes no count.
        assertEquals(688, DartsCost.opParameters(DartsOp.DIL_CONV_5X5, 16, true));
        // skip_connect is free at stride 1 and a factorized reduction (2 · 16·8 + 32) at stride 2.
        assertEquals(0, DartsCost.opParameters(DartsOp.SKIP_CONNECT, 16, false));
        assertEquals(288, DartsCost.opParameters(DartsOp.SKIP_CONNECT, 16, true));
        for (DartsOp free : List.of(DartsOp.NONE, DartsOp.MAX_POOL_3X3, DartsOp.AVG_POOL_3X3)) {
            assertEquals(0, DartsCost.opParameters(free, 16, true));
        }
    }

    @Test
    void reductionsSitAtAThirdAndTwoThirds() {
        assertEquals(List.of(6, 13), IntStream.range(0, 20).filter(i -> DartsCost.isReduction(i, 20)).boxed().toList());
        assertEquals(List.of(1, 3), IntStream.range(0, 5).filter(i -> DartsCost.isReduction(i, 5)).boxed().toList());
        assertEquals(List.of(1, 2), IntStream.range(0, 3).filter(i -> DartsCost.isReduction(i, 3)).boxed().toList());
        assertFalse(DartsCost.isReduction(0, 20));
        assertTrue(DartsCost.isReduction(13, 20));
    }

    @Test
    void configRejectsShapesTheNetworkCannotTake() {
        assertThrows(UserInputException.class, () -> new DartsConfig(3, 30, 32, 10, 16, 8, false));
        assertThrows(UserInputException.class, () -> new DartsConfig(3, 32, 32, 10, 16, 2, false));
        assertThrows(UserInputException.class, () -> new DartsConfig(3, 32, 32, 0, 16, 8, false));
        UserInputException e = assertThrows(UserInputException.class, () -> new DartsConfig(3, 4, 4, 10, 16, 8, true));
        assertTrue(e.getMessage().contains("resolution height=4") && e.getMessage().contains("8 or more"), e.getMessage());
        new DartsConfig(1, 16, 16, 10, 16, 8, false);
        new DartsConfig(1, 16, 16, 10, 16, 8, true);
        new DartsConfig(1, 28, 28, 10, 16, 8, true);
        new DartsConfig(1, 8, 8, 10, 16, 8, true);
        new DartsConfig(3, 40, 40, 100, 16, 8, true);
    }

    @Test
    void theAuxiliaryPoolIsDartsOwnAtItsSizesAndAdaptiveToTwoByTwoElsewhere() {
        for (int side : new int[] {8, 9, 10}) {
            assertArrayEquals(new int[] {5, 3}, DartsCost.auxiliaryPool(side), "side " + side);
        }
        // PyTorch's AdaptiveAvgPool2d(2) windows [floor(i·s/2), ceil((i+1)·s/2)) for i = 0, 1.
        for (int side = 2; side <= 16; side++) {
            if (side >= 8 && side <= 10) {
                continue;
            }
            int[] pool = DartsCost.auxiliaryPool(side);
            for (int i = 0; i < 2; i++) {
                int start = (int) Math.floor(i * side / 2.0);
                int end = (int) Math.ceil((i + 1) * side / 2.0);
                assertEquals(start, i * pool[1], "side " + side + " window " + i + " start");
                assertEquals(end, i * pool[1] + pool[0], "side " + side + " window " + i + " end");
            }
        }
        assertThrows(IllegalArgumentException.class, () -> DartsCost.auxiliaryPool(1));
    }

    @Test
    void theAdaptedHeadKeepsItsParametersAtEveryResolution() {
        DartsConfig at32 = new DartsConfig(3, 32, 32, 10, 8, 5, true);
        long head = DartsCost.parameters(DartsGenotype.DARTS_V2, at32)
                - DartsCost.parameters(DartsGenotype.DARTS_V2, at32.withAuxiliary(false));
        for (int side : new int[] {8, 16, 28}) {
            DartsConfig c = new DartsConfig(1, side, side, 10, 8, 5, true);
            assertEquals(head, DartsCost.parameters(DartsGenotype.DARTS_V2, c)
                    - DartsCost.parameters(DartsGenotype.DARTS_V2, c.withAuxiliary(false)), "side " + side);
            DartsNetwork built = DartsNetwork.build(DartsGenotype.DARTS_V2, c);
            try (NDManager m = NDManager.newBaseManager()) {
                built.initialize(m, DataType.FLOAT32, DartsNetwork.inputShape(c, 2));
                long params = 0;
                for (var p : built.auxiliaryHead().getParameters()) {
                    if (p.getValue().getType() != Parameter.Type.RUNNING_MEAN
                            && p.getValue().getType() != Parameter.Type.RUNNING_VAR) {
                        params += p.getValue().getArray().getShape().size();
                    }
                }
                assertEquals(head, params, "built head at side " + side);
            }
        }
    }
}
