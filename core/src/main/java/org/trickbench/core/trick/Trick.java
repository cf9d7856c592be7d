package org.trickbench.core.trick;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.trickbench.core.UserInputException;
import org.trickbench.core.Worded;
import org.trickbench.core.param.ParameterSpec;
import org.trickbench.core.param.Parameters;
import org.trickbench.core.search.Family;
import org.trickbench.core.space.SpaceId;
import org.trickbench.core.train.TrainingHook;

/**
 * One training or search trick of the catalogue: what it is called in matrix files, where it acts,
 * which search families it applies to, its parameters with defaults and the paper it comes from. A
 * trick acts only through the {@link TrainingHook} it returns, which implements the hook interfaces of
 * the lifecycles it acts in; the training and search loops never know it by class.
 *
 * <p>Phases: {@code search} (changes which architecture is found) and {@code train} (changes how an
 * architecture is trained: in the final evaluation and, unless {@link #inProxyTraining()} says
 * otherwise, in standalone proxy training during search). Families: {@code black-box},
 * {@code gradient} and {@code one-shot}.
 */
public interface Trick {
    /** The id used in matrix files and reports, e.g. {@code drop-path}. */
    String id();

    /** Where the trick acts; not empty. */
    Set<Phase> phases();

    /** The search families whose runs it can act in; not empty. */
    Set<Family> families();

    /**
     * The search spaces whose runs it can act in; not empty. The default, every space, fits a trick that
     * acts only on data, loss, optimiser or protocol, or on a supernet through the space-neutral hooks; a
     * trick that acts on one space's own networks or cells lists that space and says why in
     * {@link #spacesNote()}.
     */
    default Set<SpaceId> spaces() {
        return SpaceId.ALL;
    }

    /**
     * Why the trick does not act in the spaces {@link #spaces()} leaves out, as a clause (e.g. "it replaces
     * NAS-Bench-201's op factories, which the DARTS networks do not use"); empty when it acts in every space.
     */
    default String spacesNote() {
        return "";
    }

    /** Why the trick cannot act in a run of this space, or empty when it can. */
    default Optional<String> inapplicableReason(SpaceId space) {
        if (spaces().contains(space)) {
            return Optional.empty();
        }
        String note = spacesNote().isBlank() ? "" : " (" + spacesNote() + ")";
        return Optional.of(id() + " does not apply to the " + space + " space" + note + "; it applies to "
                + Worded.join(spaces()));
    }

    /** Parameters with defaults, as matrix files name them; an empty list when the trick has none. */
    default List<ParameterSpec> parameters() {
        return List.of();
    }

    /**
     * The given parameters checked against {@link #parameters()}, defaults filled in.
     *
     * @throws UserInputException naming the trick, the parameter, the value and what is allowed
     */
    default Parameters resolve(Map<String, Object> params) {
        return Parameters.resolve(id(), parameters(), params);
    }

    /** The paper (authors, year, arXiv id) the trick and its defaults come from. */
    String reference();

    /** One line for {@code bench list tricks}. */
    String description();

    /**
     * Whether the trick also acts in a black-box search's standalone proxy trainings, not only in
     * the final training. False for tricks the catalogue restricts to final training.
     */
    /**
     * Parts of the network or protocol this trick replaces wholesale (e.g. {@code normalization}). Two
     * tricks that replace the same part cannot be on together: the later one would silently win, so
     * the matrix expansion drops such a cell with its reason.
     */
    default Set<String> replaces() {
        return Set.of();
    }

    default boolean inProxyTraining() {
        return true;
    }

    /**
     * The hook that applies the trick with these parameters (missing ones take their defaults).
     *
     * @throws UserInputException naming the trick, the parameter and what is allowed, when a
     *     parameter is unknown, of the wrong type or out of range
     */
    TrainingHook hook(Map<String, Object> params);

    /**
     * The families whose runs the trick acts in during {@code phase}: {@link #families()} in each of its
     * {@link #phases()}, none in another. A trick whose phase reaches only some of its families' runs (e.g.
     * one that acts in a search only through a black-box search's proxy trainings, not on a supernet)
     * narrows it, and {@link #inapplicableReason(Family, Phase)} says why for the others.
     */
    default Set<Family> familiesIn(Phase phase) {
        return phases().contains(phase) ? families() : Set.of();
    }

    /**
     * Why the trick cannot act in a run of this search family and phase, or empty when it can. The
     * matrix expansion records the reason and drops the cell instead of silently ignoring the trick.
     */
    default Optional<String> inapplicableReason(Family family, Phase phase) {
        if (!families().contains(family)) {
            return Optional.of(id() + " does not apply to " + family + " search; it applies to " + Worded.join(families()));
        }
        if (!phases().contains(phase)) {
            return Optional.of(id() + " acts only in the " + Worded.join(phases()).replace(", ", " and ") + " phase, not in "
                    + phase);
        }
        if (!familiesIn(phase).contains(family)) {
            return Optional.of(id() + " acts in the " + phase + " phase only in " + Worded.join(familiesIn(phase))
                    + " search, not in " + family + " search");
        }
        return Optional.empty();
    }

    /** Everything a catalogue listing says about the trick, from its own declarations. */
    default TrickInfo info() {
        return new TrickInfo(id(), phases(), families(), description(), reference(), parameters(), replaces(),
                inProxyTraining(), spaces());
    }

}
