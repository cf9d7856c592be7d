package org.trickbench.core.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.trickbench.core.UserInputException;
import org.trickbench.core.space.nb201.Genotype;
import org.trickbench.core.space.nb201.Nb201Network;
import org.trickbench.core.space.nb201.NetworkConfig;

@Tag("numerics")
class ConvBackendTest {
    @AfterEach
    void restoreLibtorchDefaults() {
        ConvBackend.resetForTesting();
    }

    /** libtorch's native kernels agree with float64 at every awkward channel count, strides 1 and 2. */
    @ParameterizedTest
    @ValueSource(ints = {1, 3, 4, 8, 12, 16, 24})
    void nativeKernelsMatchFloat64AtEveryChannelCount(int c) {
        ConvBackend.setOneDnnForTesting(false);
        for (int k : new int[] {1, 3}) {
            for (int stride : new int[] {1, 2}) {
                ConvBackend.Probe p = ConvBackend.probe(new ConvBackend.ConvShape(c, c, k, true), stride);
                assertTrue(p.exact(), p.toString());
                assertTrue(p.worst() < 1e-5, p.toString());
            }
        }
    }

    /**
     * The bug this class exists for: libtorch 2.7.1's oneDNN disagrees with float64 at channel counts
     * off its SIMD block (4 and 12 on AVX2 machines; 24 on AVX-512 ones, in any order of calls). Should
     * a libtorch upgrade fix oneDNN, this fails, and the rule in {@link ConvBackend} can be reconsidered.
     * Some CPUs never take oneDNN's faulty path (an AMD EPYC with AVX-512 was exact at all three counts):
     * there the test cannot tell a fixed oneDNN from an unaffected CPU and is skipped, saying so.
     */
    @Test
    void oneDnnDisagreesWithFloat64AtChannelCountsOffTheBlock() {
        ConvBackend.setOneDnnForTesting(true);
        List<ConvBackend.Probe> wrong = new java.util.ArrayList<>();
        for (int c : new int[] {4, 12, 24}) {
            for (int stride : new int[] {1, 2}) {
                ConvBackend.Probe p = ConvBackend.probe(new ConvBackend.ConvShape(c, c, 3, true), stride);
                if (!p.exact()) {
                    wrong.add(p);
                    assertTrue(p.weightGradient() <= ConvBackend.TOLERANCE, "the weight gradient is right: " + p);
                }
            }
        }
        assumeFalse(wrong.isEmpty(), "oneDNN was exact at 4, 12 and 24 channels on this CPU ("
                + System.getProperty("os.arch") + "): either this CPU never takes the faulty path or a libtorch"
                + " upgrade fixed it; run this test on an Intel AVX-512 or AVX2 machine to tell");
    }

    @Test
    void blockAlignmentAdmitsStemsOnImageChannelsButNotSmallInnerConvolutions() {
        assertTrue(new ConvBackend.ConvShape(3, 16, 3, false).blockAligned());
        assertTrue(new ConvBackend.ConvShape(16, 32, 1, true).blockAligned());
        assertFalse(new ConvBackend.ConvShape(3, 16, 3, true).blockAligned());
        assertFalse(new ConvBackend.ConvShape(1, 8, 3, false).blockAligned());
        assertFalse(new ConvBackend.ConvShape(24, 24, 3, true).blockAligned());
    }

    @Test
    void smallChannelCountsSwitchTheProcessToNativeKernelsForGood() {
        ConvBackend.Decision d = ConvBackend.decide(Set.of(new ConvBackend.ConvShape(4, 4, 3, true)));
        assertEquals(ConvBackend.Backend.NATIVE, d.backend(), d.reason());
        assertEquals(ConvBackend.Backend.NATIVE, ConvBackend.inForce());
        assertTrue(d.reason().contains("3x3 4→4"), d.reason());
        Map<String, String> env = d.asMap();
        assertEquals("native", env.get("conv_backend"));
        assertEquals("auto", env.get("conv_backend_mode"));
        // Shapes oneDNN gets right do not bring it back while trainings may be running.
        ConvBackend.Decision later = ConvBackend.decide(Set.of(new ConvBackend.ConvShape(16, 16, 3, true)));
        assertEquals(ConvBackend.Backend.NATIVE, later.backend());
        assertEquals(ConvBackend.Backend.NATIVE, ConvBackend.inForce());
    }

    /** NAS-Bench-201's own sizes (C=16: 16, 32 and 64 channels) keep oneDNN, which is exact there. */
    @Test
    void benchmarkSizedNetworkKeepsOneDnn() {
        NetworkConfig config = new NetworkConfig(3, 16, 16, 10, 16, 1);
        try (NDManager m = NDManager.newBaseManager()) {
            Block net = Nb201Network.build(Genotype.parse(
                    "|nor_conv_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_3x3~2|"),
                    config);
            net.initialize(m, DataType.FLOAT32, Nb201Network.inputShape(config, 2));
            ConvBackend.Decision d = ConvBackend.ensureFor(net);
            assertEquals(ConvBackend.Backend.ONEDNN, d.backend(), d.reason() + " " + d.probes());
            assertEquals(ConvBackend.Backend.ONEDNN, ConvBackend.inForce());
            assertTrue(d.probes().stream().allMatch(ConvBackend.Probe::exact));
        }
    }

    @Test
    void shapesOfANetworkStartWithTheStemWhichNeedsNoInputGradient() {
        NetworkConfig config = new NetworkConfig(1, 16, 16, 10, 8, 1);
        try (NDManager m = NDManager.newBaseManager()) {
            Block net = Nb201Network.build(Genotype.parse(
                    "|nor_conv_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_3x3~2|"),
                    config);
            net.initialize(m, DataType.FLOAT32, Nb201Network.inputShape(config, 2));
            List<ConvBackend.ConvShape> shapes = List.copyOf(ConvBackend.shapesOf(net));
            assertEquals(new ConvBackend.ConvShape(1, 8, 3, false), shapes.get(0));
            assertTrue(shapes.contains(new ConvBackend.ConvShape(8, 8, 1, true)), shapes.toString());
            assertTrue(shapes.contains(new ConvBackend.ConvShape(8, 16, 3, true)), shapes.toString()); // reduction
            assertTrue(shapes.contains(new ConvBackend.ConvShape(32, 32, 3, true)), shapes.toString());
        }
    }

    /** The formula the runner decides from before training names exactly the shapes a built network has. */
    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void shapeFormulaMatchesTheBuiltNetwork(int imageChannels) {
        NetworkConfig config = new NetworkConfig(imageChannels, 16, 16, 10, 12, 2);
        try (NDManager m = NDManager.newBaseManager()) {
            Block net = Nb201Network.build(Genotype.parse(
                    "|nor_conv_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_3x3~2|"),
                    config);
            net.initialize(m, DataType.FLOAT32, Nb201Network.inputShape(config, 2));
            assertEquals(Set.copyOf(ConvBackend.shapesOf(net)), Set.copyOf(Nb201Network.convolutionShapes(config)));
        }
    }

    @Test
    void relativeErrorTreatsNanAsWrong() {
        assertTrue(Double.isNaN(ConvBackend.relativeError(new double[] {1, Double.NaN}, new double[] {1, 2})));
        assertEquals(0.25, ConvBackend.relativeError(new double[] {1, 1.5}, new double[] {1, 2}), 1e-12);
        ConvBackend.Probe nan = new ConvBackend.Probe(new ConvBackend.ConvShape(2, 2, 3, true), 1, 0, Double.NaN, 0);
        assertFalse(nan.exact());
    }

    @Test
    void unknownModeNamesTheAllowedValues() {
        UserInputException e = assertThrows(UserInputException.class,
                () -> ConvBackend.Mode.parse("mkl", ConvBackend.ENV));
        assertTrue(e.getMessage().contains("TRICKBENCH_CONV_BACKEND") && e.getMessage().contains("auto, onednn, native"),
                e.getMessage());
        assertEquals(ConvBackend.Mode.NATIVE, ConvBackend.Mode.parse(" Native ", ConvBackend.ENV));
    }
}
