package org.trickbench.algorithms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.trickbench.core.search.SearchResult;
import org.trickbench.core.space.Architecture;
import org.trickbench.core.space.nb201.Genotype;
import org.trickbench.core.space.nb201.MixedOp;
import org.trickbench.core.space.nb201.Nb201Op;
import org.trickbench.core.space.nb201.Nb201Supernet;
import org.trickbench.core.train.Fidelity;
import org.trickbench.core.train.SupernetSearchHook;
import org.trickbench.core.train.SupernetSession;
import org.trickbench.core.train.TrainingHook;

/**
 * What a gradient search reports beside its genotype: the proxy score is the shared-weight validation
 * accuracy of the returned genotype run as a single path, the trajectory the same score of each
 * epoch's argmax, and the per-epoch metrics carry α's entropy and GDAS's τ.
 */
class GradientProxyScoreTest {
    @RegisterExtension
    static final SupernetFixtures.TinyData TINY = new SupernetFixtures.TinyData();

    /** Records the path each score is taken on, and may swap the argmax for a neighbour as the final choice. */
    private static final class Witness implements SupernetSearchHook {
        final boolean swap;
        final List<Genotype> scoredPaths = new ArrayList<>();
        final List<MixedOp.Mode> scoredModes = new ArrayList<>();
        Genotype proposed;
        Genotype selected;

        Witness(boolean swap) {
            this.swap = swap;
        }

        @Override
        public void beforeScoring(SupernetSession session) {
            Nb201Supernet net = session.supernet(Nb201Supernet.class);
            scoredModes.add(net.mode());
            scoredPaths.add(net.singlePath());
        }

        @Override
        public Architecture selectArchitecture(Architecture argmax, SupernetSession session) {
            proposed = Genotype.from(argmax);
            Nb201Op other = proposed.op(0) == Nb201Op.SKIP_CONNECT ? Nb201Op.NOR_CONV_1X1 : Nb201Op.SKIP_CONNECT;
            selected = swap ? proposed.with(0, other) : proposed;
            return selected;
        }
    }

    private static SupernetOutcome run(String id, TrainingHook hook) {
        SupernetSearch algorithm = (SupernetSearch) Algorithms.byId(id);
        return algorithm.run(SupernetFixtures.context(SupernetFixtures.spec(id, SupernetFixtures.smallBatch(),
                new Fidelity(4, 1, 3, 0, 0), 9), TINY.data(), List.of(hook)));
    }

    private static boolean isAccuracyOn(int images, double score) {
        double correct = score * images;
        return score >= 0 && score <= 1 && Math.abs(correct - Math.rint(correct)) < 1e-9;
    }

    @ParameterizedTest
    @ValueSource(strings = {"darts-v1", "darts-v2", "gdas"})
    void theProxyScoreIsTheSingleSharedWeightPathOfTheReturnedGenotype(String id) {
        Witness witness = new Witness(true);
        SupernetOutcome outcome = run(id, witness);
        SearchResult r = outcome.result();
        assertEquals(witness.selected, r.genotype());
        assertNotEquals(witness.proposed, r.genotype());
        // Each epoch's argmax is scored after the epoch, then the returned genotype.
        List<Genotype> expected = new ArrayList<>();
        outcome.epochs().forEach(e -> expected.add(Genotype.from(e.genotype())));
        expected.add(witness.selected);
        assertEquals(expected, witness.scoredPaths);
        assertTrue(witness.scoredModes.stream().allMatch(m -> m == MixedOp.Mode.SINGLE_PATH), witness.scoredModes.toString());
        int images = TINY.data().eval().count();
        assertTrue(isAccuracyOn(images, r.proxyScore()), "an accuracy on the validation half: " + r.proxyScore());
        // The trajectory is what the search would have returned after each epoch: that epoch's argmax, scored.
        List<Double> perEpoch = outcome.epochs().stream().map(SupernetEpoch::argmaxAccuracy).toList();
        assertEquals(3, perEpoch.size());
        assertEquals(perEpoch, r.trajectory());
        perEpoch.forEach(a -> assertTrue(isAccuracyOn(images, a), perEpoch.toString()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"darts-v1", "darts-v2", "gdas", "spos", "rsws"})
    void perEpochMetricsCarryAlphaEntropyAndTemperatureWhereTheSearchHasThem(String id) {
        Witness witness = new Witness(false);
        SupernetOutcome outcome = run(id, witness);
        List<Map<String, Double>> metrics = outcome.result().epochs();
        assertEquals(outcome.epochs().size(), metrics.size());
        boolean gradient = !id.equals("spos") && !id.equals("rsws");
        if (gradient) {
            SearchResult r = outcome.result();
            assertEquals(r.trajectory().get(2), r.proxyScore(), "the last argmax is returned, with the same weights");
            assertEquals(3, witness.scoredPaths.size(), "the returned genotype is the last epoch's argmax, not scored again");
        }
        for (int e = 0; e < metrics.size(); e++) {
            Map<String, Double> m = metrics.get(e);
            SupernetEpoch epoch = outcome.epochs().get(e);
            assertEquals(epoch.trainLoss(), m.get("train_loss"));
            assertEquals(epoch.learningRate(), m.get("lr"));
            assertEquals(gradient, m.containsKey("alpha_entropy"), m.toString());
            assertEquals(gradient, m.containsKey("argmax_valid_acc"), m.toString());
            assertEquals(id.equals("gdas"), m.containsKey("tau"), m.toString());
            if (gradient) {
                assertEquals(epoch.alphaEntropy(), m.get("alpha_entropy"));
                assertTrue(m.get("alpha_entropy") > 0 && m.get("alpha_entropy") <= Math.log(5) + 1e-9);
            }
        }
        if (id.equals("gdas")) {
            assertEquals(List.of(10.0, 5.05, 0.1), metrics.stream().map(m -> m.get("tau")).toList());
        }
    }
}
