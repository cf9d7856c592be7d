package org.trickbench.core.search;

import java.util.List;
import java.util.function.Supplier;
import org.trickbench.core.data.PreparedData;
import org.trickbench.core.seed.Seeds;
import org.trickbench.core.space.nb201.Genotype;
import org.trickbench.core.space.nb201.Nb201Standalone;
import org.trickbench.core.train.Fidelity;
import org.trickbench.core.train.Protocol;
import org.trickbench.core.train.TrainResult;
import org.trickbench.core.train.TrainingHook;
import org.trickbench.core.train.TrainingLoop;

/**
 * The default black-box score: train the genotype from scratch at the search fidelity on the training
 * half of the training split and return its accuracy on the validation half (never the test split).
 * A diverged proxy training scores 0.
 */
public final class ProxyTrainingEvaluator implements Evaluator {
    private final Supplier<PreparedData> searchData;
    private final Protocol protocol;
    private final Fidelity fidelity;
    private final Seeds seeds;
    private final List<TrainingHook> hooks;

    public ProxyTrainingEvaluator(Supplier<PreparedData> searchData, Protocol protocol, Fidelity fidelity, Seeds seeds,
            List<TrainingHook> hooks) {
        this.searchData = searchData;
        this.protocol = protocol.at(fidelity);
        this.fidelity = fidelity;
        this.seeds = seeds;
        this.hooks = List.copyOf(hooks);
    }

    @Override
    public double score(Genotype genotype) {
        Nb201Standalone network = new Nb201Standalone(genotype, fidelity.channels(), fidelity.cells());
        TrainResult r = TrainingLoop.train(new TrainingLoop.Request(network, protocol, searchData.get(),
                seeds.child("proxy:" + genotype), hooks), new TrainingLoop.Listener() {});
        return r.diverged() ? 0 : r.finalEvalAccuracy();
    }
}
