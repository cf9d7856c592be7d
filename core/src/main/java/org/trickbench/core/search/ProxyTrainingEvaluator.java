package org.trickbench.core.search;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.trickbench.core.data.PreparedData;
import org.trickbench.core.seed.Seeds;
import org.trickbench.core.space.Architecture;
import org.trickbench.core.space.SearchSpace;
import org.trickbench.core.train.Fidelity;
import org.trickbench.core.train.GroupedStandalone;
import org.trickbench.core.train.GroupedTrainingLoop;
import org.trickbench.core.train.Protocol;
import org.trickbench.core.train.StandaloneNetwork;
import org.trickbench.core.train.TrainResult;
import org.trickbench.core.train.TrainingHook;
import org.trickbench.core.train.TrainingLoop;

/**
 * The default black-box score: train the architecture's standalone network (built by its space) from
 * scratch at the search fidelity on the training half of the training split and return its accuracy on
 * the validation half (never the test split). A diverged proxy training scores 0.
 *
 * <p>With a batch of K above 1, {@link #scoreAll} trains up to K candidates at a time as one grouped
 * network ({@link GroupedTrainingLoop}) where the space can group their networks, the protocol does not
 * clip gradients and every hook is {@link GroupedTrainingLoop#batchable}; otherwise one by one. Each
 * candidate keeps its own seeds and the same search data, so its score equals {@link #score}'s up to
 * rounding.
 */
public final class ProxyTrainingEvaluator implements Evaluator {
    private final SearchSpace space;
    private final Supplier<PreparedData> searchData;
    private final Protocol protocol;
    private final Fidelity fidelity;
    private final Seeds seeds;
    private final List<TrainingHook> hooks;
    private final int batch;
    /** How many candidates {@link #scoreAll} has trained in grouped networks. */
    private int trainedGrouped;

    public ProxyTrainingEvaluator(SearchSpace space, Supplier<PreparedData> searchData, Protocol protocol, Fidelity fidelity, Seeds seeds,
            List<TrainingHook> hooks) {
        this(space, searchData, protocol, fidelity, seeds, hooks, 1);
    }

    /** As above, training up to {@code batch} candidates together in {@link #scoreAll} (1: one by one). */
    public ProxyTrainingEvaluator(SearchSpace space, Supplier<PreparedData> searchData, Protocol protocol,
            Fidelity fidelity, Seeds seeds, List<TrainingHook> hooks, int batch) {
        if (batch < 1) {
            throw new IllegalArgumentException("a batch of candidates is at least 1, got " + batch);
        }
        this.space = space;
        this.searchData = searchData;
        this.protocol = protocol.at(fidelity);
        this.fidelity = fidelity;
        this.seeds = seeds;
        this.hooks = List.copyOf(hooks);
        this.batch = batch;
    }

    @Override
    public double score(Architecture architecture) {
        return score(TrainingLoop.train(request(architecture), new TrainingLoop.Listener() {}));
    }

    @Override
    public List<Double> scoreAll(List<? extends Architecture> architectures) {
        List<Double> scores = new ArrayList<>();
        for (int from = 0; from < architectures.size(); from += batch) {
            List<TrainingLoop.Request> requests = architectures.subList(from,
                    Math.min(architectures.size(), from + batch)).stream().map(this::request).toList();
            if (!groupable(requests)) {
                requests.forEach(r -> scores.add(score(TrainingLoop.train(r, new TrainingLoop.Listener() {}))));
                continue;
            }
            List<TrainingLoop.Listener> listeners = requests.stream()
                    .map(r -> (TrainingLoop.Listener) new TrainingLoop.Listener() {}).toList();
            GroupedTrainingLoop.train(requests, listeners).forEach(r -> scores.add(score(r)));
            trainedGrouped += requests.size();
        }
        return scores;
    }

    @Override
    public int batchSize() {
        return batch;
    }

    /** How many candidates have been trained in grouped networks so far (0 when all trained alone). */
    public int trainedGrouped() {
        return trainedGrouped;
    }

    /** A candidate's proxy training: its own seeds, the search data and protocol, the proxy hooks. */
    private TrainingLoop.Request request(Architecture architecture) {
        return new TrainingLoop.Request(space.standalone(architecture, fidelity), protocol, searchData.get(),
                seeds.child("proxy:" + architecture.canonical()), hooks);
    }

    private static double score(TrainResult r) {
        return r.diverged() ? 0 : r.finalEvalAccuracy();
    }

    /** Whether these trainings can be one grouped network (more than one, and nothing refuses grouping). */
    private boolean groupable(List<TrainingLoop.Request> requests) {
        if (requests.size() < 2 || !hooks.stream().allMatch(GroupedTrainingLoop::batchable)) {
            return false;
        }
        StandaloneNetwork first = requests.get(0).network();
        return first instanceof GroupedStandalone grouped
                && requests.stream().allMatch(r -> grouped.groupsWith(r.network()));
    }
}
