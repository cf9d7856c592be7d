package org.trickbench.tricks;

import java.util.Set;
import org.trickbench.core.space.SpaceId;

/** What the tricks that act on NAS-Bench-201's own networks, cells or supernet only say about spaces. */
final class Nb201Only {
    /** The one space they apply to. */
    static final Set<SpaceId> SPACES = Set.of(SpaceId.NB201);

    private Nb201Only() {}

    /** Why a trick that swaps a part of NAS-Bench-201's op factories does not act on DARTS's networks. */
    static String swaps(String part) {
        return "it swaps the " + part + " of NAS-Bench-201's op factories, and the DARTS networks build DARTS's own"
                + " ops, which no hook swaps";
    }

    /** Why a trick that works on NAS-Bench-201's supernet edges does not act on DARTS's. */
    static String onSupernetEdges(String what) {
        return "it " + what + " of NAS-Bench-201's supernet, whose edges and ops it reads";
    }
}
