package org.trickbench.harness.runner;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.trickbench.core.data.RawDataset;
import org.trickbench.core.device.ConvBackend;
import org.trickbench.core.run.RunSpec;
import org.trickbench.core.run.TrickSetting;
import org.trickbench.core.space.SearchSpaces;
import org.trickbench.core.space.nb201.Nb201Hooks;
import org.trickbench.core.space.nb201.Nb201Network;
import org.trickbench.core.space.nb201.NetworkConfig;
import org.trickbench.core.train.Fidelity;
import org.trickbench.core.train.TrainingHook;
import org.trickbench.core.trick.Phase;
import org.trickbench.core.trick.Trick;
import org.trickbench.tricks.Tricks;

/** Where a run's tricks act. */
enum TrickUse {
    /** The final training: train-phase tricks. */
    FINAL,
    /** A black-box search's standalone proxy trainings: train-phase tricks that act there, and search-phase ones. */
    PROXY,
    /** A supernet search's own training: search-phase tricks. */
    SEARCH;

    /** The hooks of the run's tricks that act here, in the spec's (sorted) order. */
    List<TrainingHook> hooks(RunSpec spec) {
        List<TrainingHook> hooks = new ArrayList<>();
        for (TrickSetting setting : spec.tricks()) {
            Trick trick = Tricks.byId(setting.id());
            boolean train = trick.phases().contains(Phase.TRAIN);
            boolean search = trick.phases().contains(Phase.SEARCH);
            boolean acts = switch (this) {
                case FINAL -> train;
                case PROXY -> search || train && trick.inProxyTraining();
                case SEARCH -> search;
            };
            if (acts) {
                hooks.add(trick.hook(setting.params()));
            }
        }
        return hooks;
    }

    /**
     * The convolutions the runs may train, the networks at the search and the final fidelity, with the
     * channels as the runs' tricks configure them in every use; a data set not in {@code datasets} counts
     * as 3-channel images of 10 classes.
     */
    static Set<ConvBackend.ConvShape> convolutionShapes(Collection<RunSpec> specs, Map<String, RawDataset> datasets) {
        Set<ConvBackend.ConvShape> shapes = new LinkedHashSet<>();
        for (RunSpec spec : specs) {
            if (!spec.space().equals(SearchSpaces.NB201)) {
                continue; // another space's networks are checked as each is built (ConvBackend.ensureFor)
            }
            RawDataset raw = datasets.get(spec.dataset());
            int imageChannels = raw == null ? 3 : raw.train().channels();
            int classes = raw == null ? 10 : raw.train().classes();
            for (Fidelity fidelity : List.of(spec.searchFidelity(), spec.finalFidelity())) {
                NetworkConfig config = new NetworkConfig(imageChannels, 16, 16, classes, fidelity.channels(),
                        fidelity.cells());
                for (TrickUse use : values()) {
                    NetworkConfig configured = new Nb201Hooks(use.hooks(spec)).configureNetworkConfig(config);
                    shapes.addAll(Nb201Network.convolutionShapes(configured));
                }
            }
        }
        return shapes;
    }
}
