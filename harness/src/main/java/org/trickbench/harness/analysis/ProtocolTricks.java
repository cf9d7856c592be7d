package org.trickbench.harness.analysis;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Tricks that are not factors of a data set's runs because they never change: on in every run (part
 * of the protocol, like the learning rate) or off in every run (absent). Neither has an effect to
 * estimate; left in, either is a constant column that every model confounds with its intercept.
 *
 * <p>"Every run" respects what the random baseline can carry: a trick that acts only in the search is
 * never given to a random-baseline run, which has no search. So a trick is always on when it is on in
 * every searched run and, if it acts in the final training, in every random-baseline run as well.
 */
public final class ProtocolTricks {
    private ProtocolTricks() {}

    /**
     * The tricks switched on in every run that can carry them, sorted.
     *
     * @param finalTrainingTricks the tricks that act in the final training; the others act only in the
     *     search and are not expected on random-baseline runs
     */
    public static Set<String> alwaysOn(List<Observation> observations, Set<String> finalTrainingTricks) {
        Objects.requireNonNull(finalTrainingTricks, "finalTrainingTricks");
        List<Observation> searched = observations.stream().filter(o -> !o.randomBaseline()).toList();
        Set<String> on = new TreeSet<>();
        for (String trick : named(observations)) {
            // A search-only trick's setting on a random-baseline run is moot: nothing there can act on it.
            List<Observation> carriers = finalTrainingTricks.contains(trick) || searched.isEmpty() ? observations : searched;
            if (carriers.stream().allMatch(o -> o.on(trick))) {
                on.add(trick);
            }
        }
        return on;
    }

    /** The tricks switched off in every run, sorted. */
    public static Set<String> alwaysOff(List<Observation> observations) {
        Set<String> off = new TreeSet<>();
        for (String trick : named(observations)) {
            if (observations.stream().noneMatch(o -> o.on(trick))) {
                off.add(trick);
            }
        }
        return off;
    }

    /** The tricks that take one level in every run, each with that level; for fits that know no phases. */
    static Map<String, Boolean> constant(List<Observation> observations) {
        Map<String, Boolean> constant = new TreeMap<>();
        for (String trick : named(observations)) {
            boolean first = observations.get(0).on(trick);
            if (observations.stream().allMatch(o -> o.on(trick) == first)) {
                constant.put(trick, first);
            }
        }
        return constant;
    }

    /** The runs with these tricks left out of their settings. */
    public static List<Observation> without(List<Observation> observations, Set<String> tricks) {
        if (tricks.isEmpty()) {
            return observations;
        }
        List<Observation> out = new ArrayList<>(observations.size());
        for (Observation o : observations) {
            Map<String, Boolean> kept = new TreeMap<>(o.tricks());
            kept.keySet().removeAll(tricks);
            out.add(o.withTricks(kept));
        }
        return out;
    }

    private static Set<String> named(List<Observation> observations) {
        Set<String> names = new TreeSet<>();
        observations.forEach(o -> names.addAll(o.tricks().keySet()));
        return names;
    }
}
