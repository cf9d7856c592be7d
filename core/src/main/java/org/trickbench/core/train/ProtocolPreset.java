package org.trickbench.core.train;

import java.util.Arrays;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.trickbench.core.UserInputException;
import org.trickbench.core.Worded;

/**
 * Protocols by name, for a matrix's {@code protocol: {preset: …}}. The epochs a preset names are its source's;
 * a run takes its epochs from the fidelity. Tricks (cutout, drop-path, the auxiliary head) are not part of a
 * protocol: a matrix switches them on.
 */
public enum ProtocolPreset implements Worded {
    /** NAS-Bench-201's 200-epoch protocol ({@link Protocol#nasBench201()}), the default. */
    NB201("nb201", Protocol::nasBench201),
    /**
     * DARTS's evaluation of a found cell ({@code train.py}'s defaults, Liu et al., ICLR 2019, arXiv 1806.09055):
     * batch 96, SGD with momentum 0.9 (not Nesterov), learning rate 0.025 with a cosine to 0 stepped once per
     * epoch, weight decay 3e-4, gradient norm clipped at 5, 600 epochs, random crop with padding 4 at 32 px
     * and horizontal flip.
     */
    DARTS_EVAL("darts-eval", () -> new Protocol(0.025, 0, 0.9, false, 3e-4, 96, 600, Protocol.COSINE_EPOCH, 4, true, 0, 5)),
    /**
     * DARTS's weight optimiser during search ({@code train_search.py}'s defaults): batch 64, SGD with momentum
     * 0.9 (not Nesterov), learning rate 0.025 with a cosine to 0.001 stepped once per epoch, weight decay
     * 3e-4, gradient norm clipped at 5, 50 epochs, random crop with padding 4 at 32 px and horizontal flip.
     */
    DARTS_SEARCH("darts-search",
            () -> new Protocol(0.025, 0.001, 0.9, false, 3e-4, 64, 50, Protocol.COSINE_EPOCH, 4, true, 0, 5));

    private final String word;
    private final Supplier<Protocol> protocol;

    ProtocolPreset(String word, Supplier<Protocol> protocol) {
        this.word = word;
        this.protocol = protocol;
    }

    @Override
    public String word() {
        return word;
    }

    /** The preset's protocol. */
    public Protocol protocol() {
        return protocol.get();
    }

    /**
     * The preset a name names.
     *
     * @throws UserInputException naming the field, the name and the known presets
     */
    public static ProtocolPreset of(String name) {
        return Arrays.stream(values()).filter(p -> p.word.equals(name)).findFirst().orElseThrow(
                () -> new UserInputException("protocol.preset '" + name + "' is not known; allowed: "
                        + Arrays.stream(values()).map(Worded::word).sorted().collect(Collectors.joining(", "))));
    }
}
