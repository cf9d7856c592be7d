package org.trickbench.harness.runner;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.trickbench.core.run.RunSpec;
import org.trickbench.core.run.TrickSetting;
import org.trickbench.core.space.SearchSpace;
import org.trickbench.core.space.SearchSpaces;
import org.trickbench.core.train.GroupedStandalone;
import org.trickbench.core.train.GroupedTrainingLoop;
import org.trickbench.core.trick.Phase;
import org.trickbench.core.trick.Trick;
import org.trickbench.tricks.Tricks;

/**
 * Run batching ({@code --batch-runs K}): which runs may share one grouped final training
 * ({@link GroupedTrainingLoop}) and how a list of runs falls into batches.
 *
 * <p>A batch is up to K runs whose final trainings share everything but the architecture and the seed
 * ({@link EvaluationCache#groupKey}: space, data set, protocol, final fidelity, train-phase tricks), taken
 * in the order of their first run; their algorithms, search parameters and search-phase tricks may
 * differ. The runner claims a batch in one transaction, searches each run, and trains the final
 * evaluations the batch lacks as one network, of one architecture or of several (each run's own);
 * runs whose training cannot be grouped ({@link #refusal}) are batches of one. A batch completes its runs
 * in one transaction.
 */
public final class Batching {
    private Batching() {}

    /** A run in its matrix's order: its position (1-based) among the runs and its spec. */
    public record Member(int position, RunSpec spec) {}

    /**
     * Why the run's final training cannot be grouped, if it cannot: its space has no grouped network, or one
     * of its train-phase tricks needs more than its own run's batch and loss ({@link
     * GroupedTrainingLoop#batchable}). (A protocol's gradient clipping is applied run by run in a group.)
     */
    static Optional<String> refusal(RunSpec spec) {
        SearchSpace space = SearchSpaces.byId(spec.space());
        if (!(space.standalone(space.random(new SplittableRandom(0)), spec.finalFidelity()) instanceof GroupedStandalone)) {
            return Optional.of("the " + spec.space() + " space has no grouped network");
        }
        for (TrickSetting setting : spec.tricks()) {
            Trick trick = Tricks.byId(setting.id());
            if (trick.phases().contains(Phase.TRAIN) && !GroupedTrainingLoop.batchable(trick.hook(setting.params()))) {
                return Optional.of("trick " + setting.id() + " acts beyond its own run's batch and loss (on the"
                        + " optimiser step, on the network after an epoch, or on the network's shape)");
            }
        }
        return Optional.empty();
    }

    /** Whether the trick's training can be grouped with its default parameters. */
    public static boolean batchable(Trick trick) {
        return !trick.phases().contains(Phase.TRAIN) || GroupedTrainingLoop.batchable(trick.hook(Map.of()));
    }

    /**
     * The runs in batches of at most {@code k}: runs whose final trainings share everything but the
     * architecture and the seed, in order of their first run, each batch at the position of its first. A
     * run whose training cannot be grouped is a batch of its own.
     */
    public static List<List<Member>> plan(List<RunSpec> specs, int k) {
        Map<String, List<Member>> open = new LinkedHashMap<>();
        List<List<Member>> batches = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            Member member = new Member(i + 1, specs.get(i));
            if (k == 1 || refusal(member.spec()).isPresent()) {
                batches.add(List.of(member));
                continue;
            }
            String key = EvaluationCache.groupKey(member.spec());
            List<Member> batch = open.get(key);
            if (batch == null) {
                batch = new ArrayList<>();
                batches.add(batch);
                open.put(key, batch);
            }
            batch.add(member);
            if (batch.size() == k) {
                open.remove(key);
            }
        }
        return batches.stream().map(List::copyOf).toList();
    }

    /** The reasons runs of {@code specs} train alone, each with how many runs it keeps out of batches. */
    public static Map<String, Integer> refusals(List<RunSpec> specs) {
        Map<String, Integer> reasons = new LinkedHashMap<>();
        for (RunSpec spec : specs) {
            refusal(spec).ifPresent(r -> reasons.merge(r, 1, Integer::sum));
        }
        return reasons;
    }
}
