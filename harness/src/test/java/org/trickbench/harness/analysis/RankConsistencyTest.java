package org.trickbench.harness.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RankConsistencyTest {
    private static final double EPS = 1e-12;

    @Test
    void twoAdjacentSwapsGiveTauPointSixAndRhoPointEight() {
        // x = 1..5, y = 2,1,4,3,5: of 10 pairs, (1,2) and (3,4) are discordant, so τ = (8 − 2)/10 = 0.6.
        // Rank differences −1, 1, −1, 1, 0: Σd² = 4, ρ = 1 − 6·4/(5·24) = 0.8.
        RankConsistency.Result r = RankConsistency.of(new double[] {1, 2, 3, 4, 5}, new double[] {2, 1, 4, 3, 5});
        assertEquals(5, r.n());
        assertEquals(0.6, r.kendallTau(), EPS);
        assertEquals(0.8, r.spearmanRho(), EPS);
    }

    @Test
    void tiesAreCorrectedForInTauBAndShareTheirMeanRankInRho() {
        // x = 1,2,2,3; y = 1,3,2,4. Pairs: 5 concordant, 0 discordant, 1 tied in x only.
        // τ-b = (5 − 0)/√((6 − 1)(6 − 0)) = 5/√30. Ranks x: 1, 2.5, 2.5, 4; y: 1, 3, 2, 4. Centred:
        // (−1.5, 0, 0, 1.5) and (−1.5, .5, −.5, 1.5): ρ = 4.5/√(4.5·5) = √0.9.
        RankConsistency.Result r = RankConsistency.of(new double[] {1, 2, 2, 3}, new double[] {1, 3, 2, 4});
        assertEquals(5 / Math.sqrt(30), r.kendallTau(), EPS);
        assertEquals(Math.sqrt(0.9), r.spearmanRho(), EPS);
    }

    @Test
    void rankMeasuresIgnoreScaleAndSeeReversal() {
        RankConsistency.Result r = RankConsistency.of(new double[] {1, 10, 100, 1000}, new double[] {4, 3, 2, 1});
        assertEquals(-1, r.kendallTau(), EPS);
        assertEquals(-1, r.spearmanRho(), EPS);
    }

    @Test
    void proxyAgreementUsesOnlyRunsWithAScore() {
        List<Observation> runs = List.of(obs(1.0, 90), obs(2.0, 91), obs(null, 50), obs(Double.NaN, 10),
                obs(3.0, 93), obs(4.0, 92), obs(5.0, 94));
        // Scored pairs (1,90), (2,91), (3,93), (4,92), (5,94): accuracy ranks 1,2,4,3,5 -> one swap:
        // τ = (9 − 1)/10 = 0.8, ρ = 1 − 6·2/120 = 0.9.
        RankConsistency.Result r = RankConsistency.proxyVersusAccuracy(runs);
        assertEquals(5, r.n());
        assertEquals(0.8, r.kendallTau(), EPS);
        assertEquals(0.9, r.spearmanRho(), EPS);
    }

    @Test
    void fewerThanTwoPairsGiveNaNAndUnequalLengthsAreRefused() {
        RankConsistency.Result one = RankConsistency.of(new double[] {1}, new double[] {2});
        assertEquals(1, one.n());
        assertTrue(Double.isNaN(one.kendallTau()) && Double.isNaN(one.spearmanRho()));
        assertThrows(IllegalArgumentException.class, () -> RankConsistency.of(new double[] {1, 2}, new double[] {1}));
        assertThrows(IllegalArgumentException.class,
                () -> RankConsistency.of(new double[] {1, Double.NaN}, new double[] {1, 2}));
    }

    private static Observation obs(Double proxy, double accuracy) {
        return new Observation("random", "cifar10", 1, Map.of(), accuracy, proxy, null, null, true);
    }
}
