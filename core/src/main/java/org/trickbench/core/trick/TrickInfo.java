package org.trickbench.core.trick;

import java.util.List;
import java.util.Set;
import org.trickbench.core.Worded;
import org.trickbench.core.param.ParameterSpec;
import org.trickbench.core.search.Family;
import org.trickbench.core.space.SpaceId;

/**
 * What the catalogue says about one trick, as {@code bench list tricks} and docs/tricks.md print it.
 *
 * @param summary one line on what the trick does
 * @param reference the paper (authors, year, arXiv id) the trick and its defaults come from
 * @param replaces parts of the network or protocol the trick replaces wholesale
 * @param inProxyTraining whether it also acts in a black-box search's standalone proxy trainings
 * @param spaces the search spaces whose runs it can act in
 */
public record TrickInfo(String id, Set<Phase> phases, Set<Family> families, String summary, String reference,
        List<ParameterSpec> parameters, Set<String> replaces, boolean inProxyTraining, Set<SpaceId> spaces) {
    public TrickInfo {
        phases = Set.copyOf(phases);
        families = Set.copyOf(families);
        parameters = List.copyOf(parameters);
        replaces = Set.copyOf(replaces);
        spaces = Set.copyOf(spaces);
    }

    /** The spaces as printed: {@code all} when the trick applies to every one. */
    public String spacesText() {
        return spaces.equals(SpaceId.ALL) ? "all" : Worded.join(spaces);
    }

    /** The families as printed: {@code all} when the trick applies to every one. */
    public String familiesText() {
        return families.equals(Family.ALL) ? "all" : Worded.join(families);
    }

    /** The phases as printed, e.g. {@code search, train}. */
    public String phasesText() {
        return Worded.join(phases);
    }
}
