package org.trickbench.core.search;

import java.util.List;
import java.util.function.Supplier;
import org.trickbench.core.data.PreparedData;
import org.trickbench.core.seed.Seeds;
import org.trickbench.core.space.Architecture;
import org.trickbench.core.space.SearchSpace;
import org.trickbench.core.train.Fidelity;
import org.trickbench.core.train.Protocol;
import org.trickbench.core.train.TrainResult;
import org.trickbench.core.train.TrainingHook;
import org.trickbench.core.train.TrainingLoop;

/**
 * The default black-box score: train the architecture's standalone network (built by its space) from
 * scratch at the search fidelity on the training half of the training split and return its accuracy on
 * the validation half (never the test split). A diverged proxy training scores 0.
 */
public final class ProxyTrainingEvaluator implements Evaluator {
    private final SearchSpace space;
    private final Supplier<PreparedData> searchData;
    private final Protocol protocol;
    private final Fidelity fidelity;
    private final Seeds seeds;
    private final List<TrainingHook> hooks;

    public ProxyTrainingEvaluator(SearchSpace space, Supplier<PreparedData> searchData, Protocol protocol, Fidelity fidelity, Seeds seeds,
            List<TrainingHook> hooks) {
        this.space = space;
        this.searchData = searchData;
        this.protocol = protocol.at(fidelity);
        this.fidelity = fidelity;
        this.seeds = seeds;
        this.hooks = List.copyOf(hooks);
    }

    @Override
    public double score(Architecture architecture) {
        TrainResult r = TrainingLoop.train(new TrainingLoop.Request(space.standalone(architecture, fidelity), protocol,
                searchData.get(), seeds.child("proxy:" + architecture.canonical()), hooks), new TrainingLoop.Listener() {});
        return r.diverged() ? 0 : r.finalEvalAccuracy();
    }
}
