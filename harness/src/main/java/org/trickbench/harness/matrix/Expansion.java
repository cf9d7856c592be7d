package org.trickbench.harness.matrix;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.trickbench.algorithms.Algorithms;
import org.trickbench.algorithms.RandomBaseline;
import org.trickbench.core.UserInputException;
import org.trickbench.core.param.ParameterSpec;
import org.trickbench.core.run.AlgorithmSetting;
import org.trickbench.core.run.RunSpec;
import org.trickbench.core.run.TrickSetting;
import org.trickbench.core.search.SearchAlgorithm;
import org.trickbench.core.space.SearchSpace;
import org.trickbench.core.space.SearchSpaces;
import org.trickbench.core.space.SpaceId;
import org.trickbench.core.train.Protocol;
import org.trickbench.core.trick.Phase;
import org.trickbench.core.trick.Trick;
import org.trickbench.harness.design.Design;
import org.trickbench.tricks.Tricks;

/**
 * Expands a matrix into run specs. For every data set, seed and design row: every listed algorithm
 * with the row's tricks, and the random baseline (K genotypes) trained with the row's train-phase
 * tricks — the baseline every algorithm under that final protocol is compared with. An algorithm that
 * does not search (a fixed reference cell) is trained like the baseline, with the train-phase tricks. A cell whose
 * tricks do not apply to its algorithm's family is not run unchanged: it is dropped with its reason.
 */
public final class Expansion {
    private Expansion() {}

    /** A cell of the design that cannot run, and why. */
    public record Dropped(RunSpec spec, String reason) {}

    /** The runs, the dropped cells and the design they came from. */
    public record Plan(List<RunSpec> runs, List<Dropped> dropped, Design design) {}

    public static List<RunSpec> expand(MatrixDefinition m) {
        return plan(m).runs();
    }

    public static Plan plan(MatrixDefinition m) {
        Protocol protocol = m.protocol().resolve().at(m.fin());
        List<TrickSetting> settings = new ArrayList<>();
        for (TrickEntry t : m.tricks()) {
            settings.add(resolved(t, SpaceId.of(m.space())));
        }
        Design design = m.design().build(settings.stream().map(TrickSetting::id).toList());
        if (m.attribution() && !hasBaseRow(design)) {
            throw new UserInputException("attribution: true compares each design row with the base row (every trick"
                    + " off), and this " + design.type() + " design has no such row; use one-at-a-time,"
                    + " ablation or full-factorial, or an explicit design with [] among its rows");
        }
        List<AlgorithmSetting> algorithms = new ArrayList<>();
        for (AlgorithmEntry a : m.algorithms()) {
            algorithms.add(resolved(a, m.space()));
        }
        Map<String, RunSpec> byId = new LinkedHashMap<>();
        Map<String, Dropped> dropped = new LinkedHashMap<>();
        for (String dataset : m.datasets()) {
            for (long seed : m.seeds()) {
                for (int r = 0; r < design.runs(); r++) {
                    List<TrickSetting> on = new ArrayList<>();
                    for (int f = 0; f < settings.size(); f++) {
                        if (design.on(r, f)) {
                            on.add(settings.get(f));
                        }
                    }
                    List<TrickSetting> trainOnly = on.stream().filter(t -> Tricks.byId(t.id()).phases().contains(Phase.TRAIN))
                            .toList();
                    for (int k = 0; k < m.baselineSize(); k++) {
                        RunSpec spec = new RunSpec(dataset, m.space(), new AlgorithmSetting(RandomBaseline.ID,
                                Map.of("index", k)), trainOnly, m.search(), m.fin(), protocol, seed);
                        byId.putIfAbsent(spec.id(), spec);
                    }
                    for (AlgorithmSetting a : algorithms) {
                        if (!Algorithms.byId(a.id()).searches()) {
                            // A reference cell is trained like the baseline: only the tricks that act in training.
                            RunSpec spec = new RunSpec(dataset, m.space(), a, trainOnly, m.search(), m.fin(), protocol, seed);
                            byId.putIfAbsent(spec.id(), spec);
                            continue;
                        }
                        RunSpec spec = new RunSpec(dataset, m.space(), a, on, m.search(), m.fin(), protocol, seed);
                        Optional<String> reason = inapplicable(Algorithms.byId(a.id()), on);
                        if (reason.isPresent()) {
                            dropped.putIfAbsent(spec.id(), new Dropped(spec, reason.get()));
                        } else {
                            byId.putIfAbsent(spec.id(), spec);
                        }
                    }
                }
            }
        }
        return new Plan(new ArrayList<>(byId.values()), new ArrayList<>(dropped.values()), design);
    }

    private static boolean hasBaseRow(Design design) {
        for (int r = 0; r < design.runs(); r++) {
            boolean anyOn = false;
            for (int f = 0; f < design.factors().size(); f++) {
                anyOn |= design.on(r, f);
            }
            if (!anyOn) {
                return true;
            }
        }
        return false;
    }

    /**
     * The run an attribution compares this one with: the same spec with every trick off. Empty for a run
     * without tricks and for the random baseline, whose genotype no trick can change.
     */
    public static Optional<RunSpec> attributionBase(RunSpec spec) {
        if (spec.tricks().isEmpty() || !Algorithms.byId(spec.algorithm().id()).searches()) {
            return Optional.empty();
        }
        return Optional.of(new RunSpec(spec.dataset(), spec.space(), spec.algorithm(), List.of(), spec.searchFidelity(),
                spec.finalFidelity(), spec.protocol(), spec.seed()));
    }

    /** Why these tricks cannot all act in a run of this algorithm, if they cannot. */
    static Optional<String> inapplicable(SearchAlgorithm algorithm, List<TrickSetting> on) {
        List<String> reasons = new ArrayList<>();
        Map<String, String> replacedBy = new TreeMap<>();
        for (TrickSetting t : on) {
            for (String part : Tricks.byId(t.id()).replaces()) {
                String other = replacedBy.putIfAbsent(part, t.id());
                if (other != null) {
                    reasons.add(other + " and " + t.id() + " both replace the " + part + "; switch on one at a time");
                }
            }
        }
        for (TrickSetting t : on) {
            Trick trick = Tricks.byId(t.id());
            boolean acts = false;
            String why = null;
            for (Phase phase : trick.phases()) {
                Optional<String> r = trick.inapplicableReason(algorithm.family(), phase);
                if (r.isEmpty()) {
                    acts = true;
                } else if (why == null) {
                    why = r.get();
                }
            }
            if (!acts) {
                reasons.add(why);
            }
        }
        return reasons.isEmpty() ? Optional.empty()
                : Optional.of(algorithm.id() + " (" + algorithm.family() + "): " + String.join("; ", reasons));
    }

    /**
     * The algorithm with every declared default filled in and the values checked, so that a run's id
     * names its whole configuration: changing a default later makes new runs, not silently different
     * ones under old ids. A parameter without a default (a time budget) is off unless set, and left out.
     * The algorithm must support the matrix's {@code space}, and the values are checked for that space.
     */
    static AlgorithmSetting resolved(AlgorithmEntry entry, String space) {
        SearchAlgorithm algorithm = Algorithms.byId(entry.id());
        requireSpace(algorithm, space);
        SearchSpace searchSpace = SearchSpaces.byId(space);
        Map<String, Object> params = withDefaults(algorithm.parameters(space), entry.params());
        AlgorithmSetting setting = new AlgorithmSetting(entry.id(), params);
        algorithm.validate(new AlgorithmSetting(entry.id(), entry.params()), searchSpace);
        algorithm.validate(setting, searchSpace);
        return setting;
    }

    /**
     * Refuses an algorithm that does not search {@code space}, naming it, the space and the ones it searches.
     *
     * @throws UserInputException when {@code space} is not among {@link SearchAlgorithm#spaces()}
     */
    static void requireSpace(SearchAlgorithm algorithm, String space) {
        if (!algorithm.spaces().contains(space)) {
            throw new UserInputException("algorithm '" + algorithm.id() + "' does not search space '" + space
                    + "'; it supports: " + String.join(", ", algorithm.spaces()));
        }
    }

    /** The trick with its defaults filled in, its parameters checked by building its hook once. */
    static TrickSetting resolved(TrickEntry entry) {
        Trick trick = Tricks.byId(entry.id());
        trick.hook(entry.params());
        // Every trick parameter has a default, so the id names it even where the value stands for one derived
        // at run time: cutout's size 0 ("half the image side") is written into the id as 0.
        return new TrickSetting(entry.id(), withDefaults(trick.parameters(), entry.params()));
    }

    /**
     * The trick resolved as {@link #resolved(TrickEntry)}, in a matrix of {@code space}. A matrix has one space,
     * so a trick that does not apply to it could act in none of the matrix's cells: that is refused, naming
     * the trick, the space and the spaces it applies to, rather than dropping every cell that switches it on.
     */
    static TrickSetting resolved(TrickEntry entry, SpaceId space) {
        TrickSetting setting = resolved(entry);
        Optional<String> why = Tricks.byId(entry.id()).inapplicableReason(space);
        if (why.isPresent()) {
            throw new UserInputException("tricks: " + why.get());
        }
        return setting;
    }

    /** The given parameters over the declared defaults; a parameter without a default is left out unless given. */
    private static Map<String, Object> withDefaults(List<ParameterSpec> declared, Map<String, Object> given) {
        Map<String, Object> params = new TreeMap<>();
        declared.stream().filter(p -> p.defaultValue() != null).forEach(p -> params.put(p.name(), p.defaultValue()));
        params.putAll(given);
        return params;
    }
}
