package org.trickbench.tricks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.trickbench.core.data.DeviceSplit;
import org.trickbench.core.data.PreparedData;
import org.trickbench.core.search.Family;
import org.trickbench.core.space.Supernet;
import org.trickbench.core.train.SupernetSearchHook;
import org.trickbench.core.train.TrainingHook;
import org.trickbench.core.trick.Phase;
import org.trickbench.core.trick.Trick;

/**
 * Precompute the fixed part of the network (seed §3.2; Elsken et al. 2021, arXiv 2107.03719): the
 * supernet's stem is frozen at its seeded initial weights and run once per image, in inference mode,
 * on the training and validation halves; every epoch then starts from the cached feature maps. The
 * protocol's crop and flip act on the cached maps (padding them with zeros), and the maps are
 * standardised per channel with their training-half statistics, which is what the stem's BatchNorm
 * would do with calibrated statistics and its initial γ = 1, β = 0. Both the saving in time and the
 * cost in accuracy are recorded with the run.
 *
 * <p>Supernet searches only: a black-box search trains every candidate from its own seeded
 * initialisation, so no stem is shared between candidates, and a per-candidate cache would save one
 * convolution per image and epoch of one short proxy training.
 */
public final class CacheStem implements Trick {
    private static final int CHUNK = 512;

    @Override
    public String id() {
        return "cache-stem";
    }

    @Override
    public Set<Phase> phases() {
        return Set.of(Phase.SEARCH);
    }

    @Override
    public Set<Family> families() {
        return Set.of(Family.GRADIENT, Family.ONE_SHOT);
    }

    @Override
    public Optional<String> inapplicableReason(Family family, Phase phase) {
        Optional<String> reason = Trick.super.inapplicableReason(family, phase);
        if (reason.isPresent() && family == Family.BLACK_BOX) {
            return Optional.of(id() + " does not apply to black-box search: each candidate trains from its own"
                    + " initialisation, so there is no shared stem to cache; it applies to gradient, one-shot");
        }
        return reason;
    }

    @Override
    public String reference() {
        return "Elsken, Staffler, Zela, Metzen & Hutter, Bag of Tricks for Neural Architecture Search, 2021"
                + " (arXiv 2107.03719), §3.2";
    }

    @Override
    public String description() {
        return "freezes the supernet's stem at its initial weights and computes its output once per image";
    }

    @Override
    public TrainingHook hook(Map<String, Object> params) {
        resolve(params);
        return new SupernetSearchHook() {
            @Override
            public PreparedData configureSearchData(PreparedData data, Supernet supernet) {
                return supernet.stemBypassed() ? data : cache(data, supernet);
            }
        };
    }

    /** The data with the frozen stem's output in place of the images; the supernet bypasses its stem. */
    static PreparedData cache(PreparedData data, Supernet supernet) {
        NDManager owner = data.train().images().getManager();
        NDArray train = features(data, data.train(), supernet, owner);
        NDArray eval = features(data, data.eval(), supernet, owner);
        supernet.freezeStem();
        NDArray mean;
        NDArray std;
        try (NDScope scope = new NDScope()) {
            long channels = train.getShape().get(1);
            NDArray byChannel = train.transpose(1, 0, 2, 3).reshape(channels, -1);
            mean = byChannel.mean(new int[] {1}).reshape(channels, 1, 1);
            std = byChannel.sub(mean.reshape(channels, 1)).square().mean(new int[] {1}).sqrt().add(1e-5f)
                    .reshape(channels, 1, 1);
            mean.attach(owner);
            std.attach(owner);
            NDScope.unregister(mean, std);
        }
        return new PreparedData(data.dataset(), new DeviceSplit(train, data.train().labels(), data.train().classes()),
                new DeviceSplit(eval, data.eval().labels(), data.eval().classes()), data.evalName(), mean, std,
                data.nativeSide(), data.splitDescription() + "; stem output cached");
    }

    /** The stem's output for every image of {@code split}, in chunks, owned by {@code owner}. */
    static NDArray features(PreparedData data, DeviceSplit split, Supernet supernet, NDManager owner) {
        int n = split.count();
        NDArray all;
        try (NDScope scope = new NDScope()) {
            List<NDArray> parts = new ArrayList<>();
            for (int from = 0; from < n; from += CHUNK) {
                NDArray images = data.normalize(split.images().get(new NDIndex("{}:{}", from, Math.min(n, from + CHUNK))));
                parts.add(supernet.stemOutput(images));
            }
            all = parts.size() == 1 ? parts.get(0).duplicate() : NDArrays.concat(new NDList(parts));
            all.attach(owner);
            NDScope.unregister(all);
        }
        return all;
    }
}
