package org.trickbench.core.space;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import java.util.List;

/**
 * A weight-sharing supernet, as the space-neutral search hooks see it: the architecture it proposes,
 * its BatchNorm statistics and its stem. A space's own supernet (NAS-Bench-201's) implements it and adds
 * what acts on its edges and ops; a hook that needs those asks the session for the space's type
 * ({@code SupernetSession#supernet(Class)}).
 */
public interface Supernet {
    /** The architecture the supernet proposes now: per edge its strongest allowed op. */
    Architecture architecture();

    /** The BatchNorm running statistics the next forward pass uses (those of the ops the current mode runs). */
    List<Parameter> runningStatistics();

    /** Whether the stem is frozen and bypassed, its output taken as the forward pass's input. */
    boolean stemBypassed();

    /** The stem's output for normalised images, in inference mode. */
    NDArray stemOutput(NDArray images);

    /** Freezes the stem at its current weights and bypasses it, so that its output can be computed once. */
    void freezeStem();
}
