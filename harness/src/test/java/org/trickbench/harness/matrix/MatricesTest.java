package org.trickbench.harness.matrix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.trickbench.core.UserInputException;
import org.trickbench.core.run.Canonical;
import org.trickbench.core.run.RunSpec;
import org.trickbench.core.space.SpaceId;
import org.trickbench.core.train.Protocol;

class MatricesTest {
    private static final String VALID = String.join("\n",
            "name: tiny",
            "datasets: [fashion-mnist]",
            "final-fidelity: {channels: 8, cells: 1, epochs: 2, train-subset: 100, resolution: 16}",
            "protocol: {batch-size: 64}",
            "seeds: [0, 1]",
            "baseline-size: 3",
            "");

    @Test
    void smokePresetIsTwoRandomGenotypesOneSeedAtATinyFidelity() {
        MatrixDefinition smoke = Matrices.load("smoke");
        List<RunSpec> runs = Expansion.expand(smoke);
        assertEquals(2, runs.size());
        assertTrue(runs.stream().allMatch(r -> r.algorithm().id().equals("random")));
        assertEquals(Set.of(0, 1), runs.stream().map(r -> ((Number) r.algorithm().params().get("index")).intValue()).collect(Collectors.toSet()));
        assertEquals(16, smoke.fin().resolution());
        assertEquals(2, runs.get(0).protocol().epochs());
    }

    @Test
    void expansionGivesKBaselineRunsPerSeedWithDistinctStableIds() {
        List<RunSpec> runs = Expansion.expand(Matrices.parse(VALID, "tiny.yaml"));
        assertEquals(6, runs.size());
        assertEquals(6, runs.stream().map(RunSpec::id).distinct().count());
        assertEquals(runs.get(0).id(), Expansion.expand(Matrices.parse(VALID, "tiny.yaml")).get(0).id());
        assertEquals(64, runs.get(0).protocol().batchSize());
        assertEquals(0.1, runs.get(0).protocol().learningRate());
    }

    @Test
    void aTrickIsRefusedInASpaceItDoesNotApplyToNamingTheSpacesItAppliesTo() {
        UserInputException e = assertThrows(UserInputException.class,
                () -> Expansion.resolved(new TrickEntry("swish", Map.of()), SpaceId.DARTS));
        assertTrue(e.getMessage().startsWith("tricks: swish does not apply to the darts space ("), e.getMessage());
        assertTrue(e.getMessage().endsWith("; it applies to nb201"), e.getMessage());
        // Data, loss and optimiser tricks, and those with a DARTS hook, apply to both spaces.
        for (String both : List.of("cutout", "mixup", "label-smoothing", "sam", "sgdr", "aux-tower", "drop-path", "wider")) {
            assertEquals(Expansion.resolved(new TrickEntry(both, Map.of())),
                    Expansion.resolved(new TrickEntry(both, Map.of()), SpaceId.DARTS), both);
        }
        assertEquals(Expansion.resolved(new TrickEntry("swish", Map.of())),
                Expansion.resolved(new TrickEntry("swish", Map.of()), SpaceId.NB201));
    }

    @Test
    void cutoutsDefaultSizeZeroIsWrittenIntoTheId() {
        // Size 0 stands for half the image side, derived at run time; the id still names the 0, so a run that
        // sets size 0 explicitly is the same run, and one that sets the side in pixels is another.
        assertEquals(Map.of("size", 0), Expansion.resolved(new TrickEntry("cutout", Map.of())).params());
        assertTrue(Expansion.resolved(new TrickEntry("cutout", Map.of())).params().get("size") instanceof Integer);
        assertEquals(Expansion.resolved(new TrickEntry("cutout", Map.of("size", 0))),
                Expansion.resolved(new TrickEntry("cutout", Map.of())));
        assertNotEquals(Expansion.resolved(new TrickEntry("cutout", Map.of("size", 8))),
                Expansion.resolved(new TrickEntry("cutout", Map.of())));
    }

    @Test
    void shorthandListsAreIdsWithDefaultParameters() {
        MatrixDefinition shorthand = Matrices.parse(VALID + "algorithms: [rea, gdas]\ntricks: [cutout, mixup]\n", "s.yaml");
        MatrixDefinition longhand = Matrices.parse(VALID + "algorithms: [{id: rea}, {id: gdas, params: {}}]\n"
                + "tricks:\n  - {id: cutout}\n  - id: mixup\n", "l.yaml");
        assertEquals(List.of(new AlgorithmEntry("rea", Map.of()), new AlgorithmEntry("gdas", Map.of())), shorthand.algorithms());
        assertEquals(List.of(new TrickEntry("cutout", Map.of()), new TrickEntry("mixup", Map.of())), shorthand.tricks());
        assertEquals(Expansion.expand(longhand).stream().map(RunSpec::id).toList(),
                Expansion.expand(shorthand).stream().map(RunSpec::id).toList(), "the same runs, defaults filled in");

        MatrixDefinition mixed = Matrices.parse(VALID + "algorithms: [rea, {id: rea, params: {evaluations: 70}}]\n", "m.yaml");
        assertEquals(List.of(Map.of(), Map.of("evaluations", 70)),
                mixed.algorithms().stream().map(AlgorithmEntry::params).toList());
    }

    @Test
    void aFixedReferenceCellIsTrainedLikeTheBaselineWithTheTrainPhaseTricksOnly() {
        // cutout acts in training; bn-calibration only in the search, so the fixed cell's row with it is its base row.
        MatrixDefinition m = Matrices.parse(VALID + "algorithms: [{id: fixed, params: {genotype: nb201-best}}]\n"
                + "tricks: [cutout, bn-calibration]\n", "f.yaml");
        List<RunSpec> fixed = Expansion.expand(m).stream().filter(r -> r.algorithm().id().equals("fixed")).toList();
        assertEquals(2 * 2, fixed.size(), "two seeds × {no tricks, cutout}");
        assertEquals(Set.of(List.of(), List.of("cutout")), fixed.stream()
                .map(r -> r.tricks().stream().map(org.trickbench.core.run.TrickSetting::id).toList()).collect(Collectors.toSet()));
        assertEquals(Map.of("genotype", "nb201-best"), fixed.get(0).algorithm().params());
        assertTrue(Expansion.attributionBase(fixed.stream().filter(r -> !r.tricks().isEmpty()).findFirst().orElseThrow())
                .isEmpty(), "no search, so nothing to attribute to one");

        UserInputException e = assertThrows(UserInputException.class,
                () -> Matrices.parse(VALID + "algorithms:\n  - rea\n  - {id: fixed, params: {genotype: nb201}}\n", "g.yaml"));
        assertTrue(e.getMessage().startsWith("g.yaml line 9: algorithm 'fixed': genotype 'nb201' is neither"), e.getMessage());
    }

    @Test
    void aProtocolPresetIsTheBaseItsOverridesApplyTo() {
        Protocol eval = Expansion.expand(Matrices.parse(VALID.replace("protocol: {batch-size: 64}",
                "protocol: {preset: darts-eval}"), "d.yaml")).get(0).protocol();
        assertEquals(new Protocol(0.025, 0, 0.9, false, 3e-4, 96, 2, Protocol.COSINE_EPOCH, 4, true, 0, 5), eval,
                "DARTS's train.py at the fidelity's 2 epochs");
        Protocol search = Expansion.expand(Matrices.parse(VALID.replace("protocol: {batch-size: 64}",
                "protocol: {preset: darts-search, batch-size: 32}"), "d.yaml")).get(0).protocol();
        assertEquals(new Protocol(0.025, 0.001, 0.9, false, 3e-4, 32, 2, Protocol.COSINE_EPOCH, 4, true, 0, 5), search);
        Protocol nb201 = Expansion.expand(Matrices.parse(VALID.replace("protocol: {batch-size: 64}",
                "protocol: {preset: nb201, batch-size: 64}"), "d.yaml")).get(0).protocol();
        assertEquals(Expansion.expand(Matrices.parse(VALID, "d.yaml")).get(0).protocol(), nb201);
    }

    @Test
    void gradClipAndScheduleOverrideTheProtocol() {
        Protocol p = Expansion.expand(Matrices.parse(VALID.replace("protocol: {batch-size: 64}",
                "protocol: {batch-size: 64, grad-clip: 5, schedule: cosine-epoch}"), "c.yaml")).get(0).protocol();
        assertEquals(5, p.gradClip());
        assertEquals(Protocol.COSINE_EPOCH, p.schedule());
        assertEquals(64, p.batchSize());
        // Unset, they are not in the stored definition, so older matrices' definitions read the same.
        String stored = Canonical.json(Matrices.parse(VALID, "c.yaml"));
        assertTrue(stored.contains("\"protocol\":{\"batchSize\":64,") && !stored.contains("gradClip")
                && !stored.contains("preset") && !stored.contains("\"schedule\""), stored);
    }

    @Test
    void badProtocolPresetGradClipOrScheduleNamesTheFileLineFieldAndAllowedValues() {
        Map<String, String> cases = Map.of(
                "protocol: {preset: darts}", "protocol.preset 'darts' is not known; allowed: darts-eval, darts-search, nb201",
                "protocol: {grad-clip: -1}", "protocol.grad-clip must be a finite number >= 0 (0 = off), got -1.0",
                "protocol: {schedule: linear}", "protocol.schedule 'linear' is not known; allowed: cosine, cosine-epoch,",
                "protocol: {grad-clip: five}", "bad value at protocol.grad-clip: 'five' is not a number");
        cases.forEach((protocol, expected) -> {
            UserInputException e = assertThrows(UserInputException.class,
                    () -> Matrices.parse(VALID.replace("protocol: {batch-size: 64}", protocol), "p.yaml"));
            assertTrue(e.getMessage().startsWith("p.yaml line 4: " + expected), e.getMessage() + " should start with " + expected);
        });
    }

    @Test
    void unknownKeyNamesFileLineKeyAndAllowedKeys() {
        String yaml = VALID.replace("baseline-size: 3", "baseline-size: 3\nbaseline_size: 4");
        UserInputException e = assertThrows(UserInputException.class, () -> Matrices.parse(yaml, "m.yaml"));
        assertTrue(e.getMessage().startsWith("m.yaml line 7: unknown key 'baseline_size'"), e.getMessage());
        assertTrue(e.getMessage().contains("baseline-size"), e.getMessage());
    }

    @Test
    void badFieldValuesNameTheFieldAndTheAllowedValues() {
        Map<String, String> cases = Map.of(
                VALID.replace("resolution: 16", "resolution: 14"), "fidelity.resolution=14",
                VALID.replace("[fashion-mnist]", "[mnist]"), "allowed: fashion-mnist, cifar10, cifar100",
                VALID.replace("name: tiny", "name: ../evil"), "name '../evil' is not allowed",
                VALID.replace("seeds: [0, 1]", "seeds: [zero]"), "seeds",
                VALID.replace("batch-size: 64", "batch-size: 0"), "protocol.batch-size");
        cases.forEach((yaml, expected) -> {
            UserInputException e = assertThrows(UserInputException.class, () -> Matrices.parse(yaml, "m.yaml"));
            assertTrue(e.getMessage().startsWith("m.yaml"), e.getMessage());
            assertTrue(e.getMessage().contains(expected), e.getMessage() + " should contain " + expected);
        });
    }

    @Test
    void missingFileOrUnknownPresetSaysWhatIsAccepted() {
        UserInputException e = assertThrows(UserInputException.class, () -> Matrices.load("smokey"));
        assertTrue(e.getMessage().contains("smoke"), e.getMessage());
    }

    @Test
    void oneAtATimeGivesABaselineAndAnAlgorithmRunPerRowWithDefaultsResolved() {
        String yaml = VALID + "algorithms: [{id: random-search, params: {candidates: 2}}]\n"
                + "tricks: [{id: label-smoothing}, {id: cutout, params: {size: 4}}]\n";
        Expansion.Plan plan = Expansion.plan(Matrices.parse(yaml, "t.yaml"));
        assertEquals("one-at-a-time", plan.design().type());
        assertEquals(3, plan.design().runs());
        // Per seed: 3 rows x (3 baseline genotypes + 1 algorithm) = 12; two seeds.
        assertEquals(24, plan.runs().size());
        RunSpec smoothed = plan.runs().stream().filter(r -> r.tricks().size() == 1
                && r.tricks().get(0).id().equals("label-smoothing")).findFirst().orElseThrow();
        assertEquals(0.1, ((Number) smoothed.tricks().get(0).params().get("eps")).doubleValue(), 1e-12,
                "the catalogue's default is written into the spec");
        assertTrue(plan.dropped().isEmpty());
    }

    @Test
    void anUnsetTimeBudgetStaysOutOfTheRunIdWhileASetOneIsPartOfIt() {
        String base = VALID.replace("baseline-size: 3", "baseline-size: 0");
        RunSpec unset = Expansion.plan(Matrices.parse(base + "algorithms: [{id: gdas}]\n", "u.yaml")).runs().get(0);
        RunSpec set = Expansion.plan(Matrices.parse(base + "algorithms: [{id: gdas, params: {seconds: 30}}]\n",
                "s.yaml")).runs().get(0);
        assertFalse(unset.algorithm().params().containsKey("seconds"), unset.canonicalJson());
        assertTrue(unset.algorithm().params().containsKey("tau-max"), "declared defaults are still written in");
        assertEquals(30, ((Number) set.algorithm().params().get("seconds")).intValue());
        assertNotEquals(unset.id(), set.id());
    }

    @Test
    void fractionalFactorialDesignIsBuiltFromTheListedTricks() {
        String yaml = VALID.replace("baseline-size: 3", "baseline-size: 0")
                + "algorithms: [{id: random-search, params: {candidates: 2}}]\n"
                + "tricks: [{id: label-smoothing}, {id: cutout}, {id: mixup}, {id: swish}]\n"
                + "design: {type: fractional-factorial, fraction: 1}\n";
        Expansion.Plan plan = Expansion.plan(Matrices.parse(yaml, "f.yaml"));
        assertEquals(8, plan.design().runs());
        assertEquals(4, plan.design().resolution());
        assertEquals(16, plan.runs().size());
    }

    @Test
    void badTricksAndDesignsNameTheProblem() {
        Map<String, String> cases = Map.of(
                VALID + "tricks: [{id: cutuot}]\n", "unknown trick 'cutuot'",
                VALID + "tricks: [{id: cutout}, {id: cutout}]\n", "listed twice",
                VALID + "tricks: [{id: cutout}]\ndesign: {type: halfway}\n", "allowed: baseline, one-at-a-time",
                VALID + "tricks: [{id: cutout}, {id: mixup}]\ndesign: {type: fractional-factorial, fraction: 1}\n", "k=2",
                VALID + "tricks: [{id: cutout}]\ndesign: {type: explicit, rows: [[mixup]]}\n", "'mixup'");
        cases.forEach((yaml, expected) -> {
            UserInputException e = assertThrows(UserInputException.class, () -> Matrices.parse(yaml, "m.yaml"));
            assertTrue(e.getMessage().startsWith("m.yaml"), e.getMessage());
            assertTrue(e.getMessage().contains(expected), e.getMessage() + " should contain " + expected);
        });
    }

    @Test
    void tricksThatReplaceTheSamePartAreNotCombinedButTheirCellIsDroppedWithTheReason() {
        String yaml = VALID.replace("baseline-size: 3", "baseline-size: 0")
                + "algorithms: [{id: random-search, params: {candidates: 2}}]\n"
                + "tricks: [{id: group-norm}, {id: ghost-bn}]\n"
                + "design: {type: full-factorial}\n";
        Expansion.Plan plan = Expansion.plan(Matrices.parse(yaml, "n.yaml"));
        assertEquals(6, plan.runs().size(), "rows none, group-norm, ghost-bn for two seeds");
        assertEquals(2, plan.dropped().size(), "the both-on row, for two seeds");
        assertTrue(plan.dropped().get(0).reason().contains("group-norm and ghost-bn both replace the normalization"),
                plan.dropped().get(0).reason());
    }
}
