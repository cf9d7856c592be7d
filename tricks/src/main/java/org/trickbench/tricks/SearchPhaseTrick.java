package org.trickbench.tricks;

import java.util.Optional;
import java.util.Set;
import org.trickbench.core.trick.Trick;

/**
 * A trick that acts only while a supernet search trains: its phase is {@code search}, and a black-box
 * search, which trains every candidate on its own, has no supernet for it to act on.
 */
abstract class SearchPhaseTrick implements Trick {
    private final String id;
    private final Set<String> families;

    SearchPhaseTrick(String id, String... families) {
        this.id = id;
        this.families = Set.of(families);
    }

    @Override
    public final String id() {
        return id;
    }

    @Override
    public final Set<String> phases() {
        return Set.of(SEARCH);
    }

    @Override
    public final Set<String> families() {
        return families;
    }

    @Override
    public Optional<String> inapplicableReason(String family, String phase) {
        Optional<String> reason = Trick.super.inapplicableReason(family, phase);
        if (reason.isPresent() && family.equals("black-box") && phase.equals(SEARCH)) {
            return Optional.of(id + " acts on a supernet, and a black-box search trains each candidate on its own;"
                    + " it applies to " + String.join(", ", families.stream().sorted().toList()) + " search");
        }
        return reason;
    }
}
