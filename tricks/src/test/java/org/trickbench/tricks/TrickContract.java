package org.trickbench.tricks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.trickbench.core.data.PreparedData;
import org.trickbench.core.param.ParameterContracts;
import org.trickbench.core.param.ParameterSpec;
import org.trickbench.core.run.AlgorithmSetting;
import org.trickbench.core.run.RunSpec;
import org.trickbench.core.search.Family;
import org.trickbench.core.search.SearchContext;
import org.trickbench.core.seed.Seeds;
import org.trickbench.core.space.SpaceId;
import org.trickbench.core.space.darts.DartsGenotype;
import org.trickbench.core.space.darts.DartsStandalone;
import org.trickbench.core.space.nb201.Genotype;
import org.trickbench.core.space.nb201.Nb201Space;
import org.trickbench.core.space.nb201.Nb201Standalone;
import org.trickbench.core.train.EpochMetrics;
import org.trickbench.core.train.Fidelity;
import org.trickbench.core.train.Protocol;
import org.trickbench.core.train.StandaloneNetwork;
import org.trickbench.core.train.SyntheticData;
import org.trickbench.core.train.TrainResult;
import org.trickbench.core.train.TrainingHook;
import org.trickbench.core.train.TrainingLoop;
import org.trickbench.core.trick.Phase;
import org.trickbench.core.trick.Trick;
import org.trickbench.core.trick.TrickInfo;

/**
 * What every trick the registry finds must do, checked for each one from its own declarations, so that
 * adding a trick is its class, its line in {@code META-INF/services} and a test of its own behaviour:
 *
 * <ul>
 *   <li>its parameters: every default and bound resolves and survives a run spec's canonical JSON, and a
 *       value out of range or of the wrong kind is refused naming the trick, the parameter and what is
 *       allowed ({@link ParameterContracts});
 *   <li>its declarations: a well-formed id, phases, families, spaces, reference and description, and
 *       {@link Trick#inapplicableReason} saying why exactly where its phases, families and spaces say it
 *       cannot act;
 *   <li>where it acts: a trick with the train phase changes a standalone training in every space it applies
 *       to, bit-identically twice under one seed; a trick without the search phase leaves the search space
 *       whole (the harness hands a search only the search-phase tricks, so a space restriction of a
 *       train-only trick would never act);
 *   <li>docs/tricks.md: its catalogue and parameter rows, as generated from the declarations.
 * </ul>
 *
 * <p>The trainings are tiny (64 images of 8 px, three epochs of one step: sgdr's first restart shows in the
 * third epoch's loss): NAS-Bench-201 at C = 2, N = 1; DARTS's DARTS_V2 cell at C = 4, one cell per stage.
 */
class TrickContract {
    static final Path DOCS = Path.of("..", "docs", "tricks.md");
    private static final Genotype CELL = Genotype.parse(
            "|nor_conv_3x3~0|+|nor_conv_1x1~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|");
    /** One batch of 64 an epoch, so that ghost-bn's virtual batches of 32 split it. */
    private static final Protocol PROTOCOL = new Protocol(0.05, 0, 0.9, true, 5e-4, 64, 3, "cosine", 1, true, 0);
    private static NDManager manager;
    private static PreparedData data;
    private static final Map<SpaceId, Trace> PLAIN = new EnumMap<>(SpaceId.class);

    /** What a training measured, compared bit for bit. */
    private record Trace(List<Double> trainLosses, List<Double> evalAccuracies, long parameters, boolean diverged) {
        static Trace of(TrainResult r) {
            return new Trace(r.epochs().stream().map(EpochMetrics::trainLoss).toList(),
                    r.epochs().stream().map(EpochMetrics::evalAccuracy).toList(), r.parameters(), r.diverged());
        }
    }

    @BeforeAll
    static void prepare() {
        manager = NDManager.newBaseManager();
        data = SyntheticData.prepare(SyntheticData.topBottom(64, 32, 8), manager, 1);
    }

    @AfterAll
    static void release() {
        manager.close();
    }

    /** The one place the contract builds a trick's hook: from a matrix's parameters, as a run does. */
    private static TrainingHook hook(Trick trick, Map<String, Object> params) {
        return trick.hook(params);
    }

    /** The tiny network of a space the trainings use. */
    private static StandaloneNetwork network(SpaceId space) {
        return switch (space) {
            case NB201 -> new Nb201Standalone(CELL, 2, 1);
            case DARTS -> new DartsStandalone(DartsGenotype.DARTS_V2, 4, 1);
        };
    }

    private static Trace train(SpaceId space, List<TrainingHook> hooks) {
        return Trace.of(TrainingLoop.train(new TrainingLoop.Request(network(space), PROTOCOL, data, new Seeds(3), hooks),
                new TrainingLoop.Listener() {}));
    }

    /** The training without tricks in a space, trained once when a check first needs it. */
    private static synchronized Trace plain(SpaceId space) {
        return PLAIN.computeIfAbsent(space, s -> train(s, List.of()));
    }

    @TestFactory
    Stream<DynamicContainer> everyRegisteredTrick() {
        return Tricks.all().stream().map(t -> {
            List<DynamicNode> checks = new ArrayList<>();
            checks.add(dynamicContainer("parameters",
                    ParameterContracts.trick(t.id(), t.parameters(), params -> hook(t, params))));
            checks.add(dynamicTest("declares id, phases, families, reference and defaults", () -> declarations(t)));
            checks.add(dynamicTest("says why exactly where its phases and families exclude a run", () -> reasons(t)));
            checks.add(dynamicTest("says why exactly where its spaces exclude a run", () -> spaceReasons(t)));
            if (t.phases().contains(Phase.TRAIN)) {
                for (SpaceId space : SpaceId.ALL) {
                    if (t.spaces().contains(space)) {
                        checks.add(dynamicTest("changes a standalone " + space + " training, the same twice under one seed",
                                () -> changesTrainingDeterministically(t, space)));
                    }
                }
            }
            if (!t.phases().contains(Phase.SEARCH)) {
                checks.add(dynamicTest("leaves the search space whole, having no search phase", () -> spaceWhole(t)));
            }
            checks.add(dynamicTest("docs/tricks.md has its rows as generated", () -> documented(t)));
            return dynamicContainer(t.id(), checks);
        });
    }

    private static void declarations(Trick t) {
        assertTrue(t.id().matches("[a-z0-9]+(-[a-z0-9]+)*"), "id " + t.id());
        assertSame(t, Tricks.byId(t.id()));
        assertFalse(t.phases().isEmpty(), "phases");
        assertFalse(t.families().isEmpty(), "families");
        assertFalse(t.spaces().isEmpty(), "spaces");
        assertEquals(t.spaces().equals(SpaceId.ALL), t.spacesNote().isBlank(),
                "a trick says why it leaves a space out, and only then: '" + t.spacesNote() + "'");
        assertTrue(t.reference().matches(".*(19|20)\\d\\d.*"), "the reference needs a year: " + t.reference());
        assertFalse(t.description().isBlank(), "description");
        for (ParameterSpec p : t.parameters()) {
            assertNotNull(p.defaultValue(), p.name() + ": a trick parameter needs a default, so that a run's id names it");
            assertFalse(p.help().isBlank(), p.name() + ": help");
        }
        // A search-phase trick acts in every proxy training (a black-box search's search is those trainings),
        // so only a train-only trick can stay out of them.
        assertTrue(t.inProxyTraining() || t.phases().equals(Set.of(Phase.TRAIN)),
                "only a train-only trick can stay out of proxy trainings");
        TrickInfo info = t.info();
        assertEquals(List.of(t.id(), t.phases(), t.families(), t.parameters(), t.replaces(), t.spaces()),
                List.of(info.id(), info.phases(), info.families(), info.parameters(), info.replaces(), info.spaces()),
                "bench list prints what the trick declares");
    }

    private static void reasons(Trick t) {
        for (Family family : Family.ALL) {
            for (Phase phase : Phase.ALL) {
                Optional<String> why = t.inapplicableReason(family, phase);
                boolean acts = t.families().contains(family) && t.phases().contains(phase)
                        && t.familiesIn(phase).contains(family);
                assertTrue(t.families().containsAll(t.familiesIn(phase)), phase + ": only families the trick lists");
                assertEquals(!acts, why.isPresent(), family + " search, " + phase + " phase");
                String named = t.families().contains(family) ? phase.word() : family.word();
                why.ifPresent(w -> assertTrue(w.contains(t.id()) && w.contains(named),
                        "the reason names the trick and the " + named + " it excludes: " + w));
            }
        }
    }

    private static void spaceReasons(Trick t) {
        for (SpaceId space : SpaceId.ALL) {
            Optional<String> why = t.inapplicableReason(space);
            assertEquals(!t.spaces().contains(space), why.isPresent(), space + " space");
            why.ifPresent(w -> assertTrue(w.startsWith(t.id() + " does not apply to the " + space + " space")
                    && w.contains(t.spacesNote()) && w.endsWith("it applies to " + t.info().spacesText()),
                    "the reason names the trick, the space, why, and the spaces it applies to: " + w));
        }
    }

    private static void changesTrainingDeterministically(Trick t, SpaceId space) {
        Trace once = train(space, List.of(hook(t, Map.of())));
        Trace twice = train(space, List.of(hook(t, Map.of())));
        assertFalse(once.diverged(), "diverged: " + once);
        assertEquals(once, twice, "two trainings with one seed");
        assertNotEquals(plain(space), once,
                "its train phase promises an effect on training in " + space + ", and the training is as without it");
    }

    private static void spaceWhole(Trick t) {
        Fidelity f = new Fidelity(2, 1, 1, 0, 0);
        RunSpec spec = new RunSpec("synthetic", "nb201", new AlgorithmSetting("random", Map.of()), List.of(), f, f,
                PROTOCOL, 1);
        SearchContext context = new SearchContext(spec, new Seeds(1), null, () -> data, List.of(hook(t, Map.of())));
        assertEquals(Nb201Space.full(), context.space());
    }

    private static void documented(Trick t) throws IOException {
        List<String> docs = Files.readAllLines(DOCS);
        List<String> rows = rowsOf(t, Tricks.markdownTable());
        List<String> parameterRows = rowsOf(t, Tricks.markdownParameters());
        assertEquals(1, rows.size(), "one catalogue row");
        assertEquals(t.parameters().size(), parameterRows.size(), "one parameter row per declaration");
        for (String row : rows) {
            assertTrue(docs.contains(row), "docs/tricks.md lacks " + row + "; regenerate it as docsAreGenerated says");
        }
        for (String row : parameterRows) {
            assertTrue(docs.contains(row), "docs/tricks.md lacks " + row + "; regenerate it as docsAreGenerated says");
        }
    }

    private static List<String> rowsOf(Trick t, String table) {
        return table.lines().filter(l -> l.startsWith("| `" + t.id() + "` |")).toList();
    }

    static String expectedDocs() {
        return "# Tricks\n\n"
                + "Generated from the tricks' own metadata (`bench list tricks` prints the same); do not edit by hand.\n"
                + "A trick acts in its phases only, and only in runs of the families it lists; a matrix cell that\n"
                + "switches on a trick that cannot act there is dropped and recorded with the reason.\n"
                + "It also acts only in the search spaces it lists (`nb201`, `darts`; see [spaces](spaces.md)); a\n"
                + "matrix whose space a listed trick does not apply to is refused before anything runs.\n\n"
                + Tricks.markdownTable()
                + "\nWhy a trick leaves a space out:\n\n"
                + Tricks.markdownSpaceNotes()
                + "\n## Parameters\n\n"
                + "Each parameter's type, allowed values, default and unit, as runs check them (`bench list tricks`"
                + " prints the same).\n\n"
                + Tricks.markdownParameters();
    }

    /**
     * docs/tricks.md is generated from the tricks' declarations. To regenerate it after changing or adding a
     * trick: {@code mvn -pl tricks -am test -Dtest=TrickContract
     * -Dsurefire.failIfNoSpecifiedTests=false -Dtrickbench.writeDocs=true}.
     */
    @Test
    void docsAreGenerated() throws IOException {
        if (Boolean.getBoolean("trickbench.writeDocs")) {
            Files.createDirectories(DOCS.getParent());
            Files.writeString(DOCS, expectedDocs());
        }
        assertEquals(expectedDocs(), Files.readString(DOCS),
                "docs/tricks.md is out of date; regenerate it as this test's comment says");
    }
}
