package org.trickbench.harness.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The PyTorch peer's script, run by Debian's python3-torch: its network is NAS-Bench-201's. */
class PytorchPeerTest {
    @Test
    void peerNetworkHasThePublishedParameterCount() throws Exception {
        // NAS-Bench-201 lists 0.802426 M parameters for this cell at C=16, N=5 on CIFAR-10 (3 channels, 10 classes).
        assertEquals("802426", countParameters(
                "|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|none~0|nor_conv_3x3~1|avg_pool_3x3~2|", 16, 5, 3, 10));
    }

    @Test
    void peerNetworkHasTheHarnessNetworksParameterCountAtTheSmokeSize() throws Exception {
        // The smoke preset's network (C=8, N=1, Fashion-MNIST's one channel), as `bench perf --matrix smoke` counts it.
        assertEquals("79634", countParameters(
                "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_3x3~2|", 8, 1, 1,
                10));
    }

    private static String countParameters(String genotype, int channels, int cells, int inChannels, int classes)
            throws IOException, InterruptedException {
        try (PytorchPeer peer = PytorchPeer.open(PytorchPeer.DEFAULT_PYTHON)) {
            Process p = new ProcessBuilder(peer.command(List.of("--count-params", "--genotype", genotype, "--channels",
                    Integer.toString(channels), "--cells", Integer.toString(cells), "--in-channels",
                    Integer.toString(inChannels), "--classes", Integer.toString(classes))))
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            assertEquals(0, p.waitFor(), out);
            return out;
        }
    }
}
