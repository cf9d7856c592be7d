package org.trickbench.tricks;

import java.util.Optional;
import java.util.Set;
import org.trickbench.core.Worded;
import org.trickbench.core.search.Family;
import org.trickbench.core.trick.Phase;
import org.trickbench.core.trick.Trick;

/**
 * A trick that acts only while a supernet search trains: its phase is {@code search}, and a black-box
 * search, which trains every candidate on its own, has no supernet for it to act on.
 */
abstract class SearchPhaseTrick implements Trick {
    private final String id;
    private final Set<Family> families;

    SearchPhaseTrick(String id, Family... families) {
        this.id = id;
        this.families = Set.of(families);
    }

    @Override
    public final String id() {
        return id;
    }

    @Override
    public final Set<Phase> phases() {
        return Set.of(Phase.SEARCH);
    }

    @Override
    public final Set<Family> families() {
        return families;
    }

    @Override
    public Optional<String> inapplicableReason(Family family, Phase phase) {
        Optional<String> reason = Trick.super.inapplicableReason(family, phase);
        if (reason.isPresent() && family == Family.BLACK_BOX && phase == Phase.SEARCH) {
            return Optional.of(id + " acts on a supernet, and a black-box search trains each candidate on its own;"
                    + " it applies to " + Worded.join(families) + " search");
        }
        return reason;
    }
}
