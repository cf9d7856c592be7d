package org.trickbench.tricks;

import ai.djl.nn.Block;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;

/** Walks a block tree, for tests that check which layers a network holds. */
final class Blocks {
    private Blocks() {}

    static List<Block> all(Block root) {
        List<Block> out = new ArrayList<>();
        out.add(root);
        for (Pair<String, Block> child : root.getChildren()) {
            out.addAll(all(child.getValue()));
        }
        return out;
    }
}
