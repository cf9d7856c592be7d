package org.trickbench.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.Test;
import org.trickbench.core.space.nb201.Nb201Ops;
import org.trickbench.core.space.nb201.NetworkConfig;

class TrainingHooksTest {
    private static final StepContext STEP = new StepContext(0, 1, 0, 1, 0.1, null);
    private static final Protocol PROTOCOL = new Protocol(0.1, 0, 0.9, true, 5e-4, 32, 10, "cosine", 1, true, 0);

    /** A hook that logs every call it gets, by name, and answers as told. */
    private static class Logging implements TrainingHook {
        final String name;
        final List<String> log;
        final boolean answer;

        Logging(String name, List<String> log, boolean answer) {
            this.name = name;
            this.log = log;
            this.answer = answer;
        }

        @Override
        public Protocol configureProtocol(Protocol protocol) {
            log.add(name + ".protocol");
            return protocol;
        }

        @Override
        public Nb201Ops configureNetwork(Nb201Ops ops) {
            log.add(name + ".network");
            return ops;
        }

        @Override
        public NetworkConfig configureNetworkConfig(NetworkConfig config) {
            log.add(name + ".config");
            return config;
        }

        @Override
        public boolean beforeArchitectureStep(int epoch, int totalEpochs) {
            log.add(name + ".before");
            return answer;
        }

        @Override
        public boolean trainAllOps(StepContext step) {
            log.add(name + ".allOps");
            return answer;
        }

        @Override
        public void afterEpoch(EpochMetrics metrics, Block network) {
            log.add(name + ".epoch" + metrics.epoch());
        }

        @Override
        public void step(StepContext step, Runnable next) {
            log.add(name + ".in");
            next.run();
            log.add(name + ".out");
        }
    }

    private static TrainingHook epochs(IntUnaryOperator f) {
        return new TrainingHook() {
            @Override
            public Protocol configureProtocol(Protocol protocol) {
                return protocol.withEpochs(f.applyAsInt(protocol.epochs()));
            }
        };
    }

    @Test
    void foldPassesEachHooksResultToTheNextInListOrder() {
        TrainingHook doubled = epochs(e -> e * 2);
        TrainingHook plusOne = epochs(e -> e + 1);
        assertEquals(21, new TrainingHooks(List.of(doubled, plusOne)).configureProtocol(PROTOCOL).epochs());
        assertEquals(22, new TrainingHooks(List.of(plusOne, doubled)).configureProtocol(PROTOCOL).epochs());
        assertSame(PROTOCOL, new TrainingHooks(List.of()).configureProtocol(PROTOCOL));
    }

    @Test
    void standaloneSetupAsksEachHookForAllThreeBeforeTheNextHook() {
        List<String> log = new ArrayList<>();
        TrainingHook wider = new Logging("B", log, true) {
            @Override
            public NetworkConfig configureNetworkConfig(NetworkConfig config) {
                super.configureNetworkConfig(config);
                return config.withChannels(config.channels() * 2);
            }
        };
        TrainingHooks hooks = new TrainingHooks(List.of(new Logging("A", log, true), wider));
        NetworkConfig config = new NetworkConfig(3, 8, 8, 10, 4, 1);
        TrainingHooks.StandaloneSetup setup = hooks.configureStandalone(
                new TrainingHooks.StandaloneSetup(PROTOCOL, Nb201Ops.standard(), config));
        assertEquals(List.of("A.protocol", "A.network", "A.config", "B.protocol", "B.network", "B.config"), log);
        assertEquals(8, setup.config().channels());
        assertSame(PROTOCOL, setup.protocol());
    }

    @Test
    void supernetSetupConfiguresSkeletonThenCellsPerHook() {
        List<String> log = new ArrayList<>();
        TrainingHooks hooks = new TrainingHooks(List.of(new Logging("A", log, true), new Logging("B", log, true)));
        Nb201Ops skeleton = Nb201Ops.standard();
        Nb201Ops cells = Nb201Ops.standard();
        TrainingHooks.SupernetSetup setup = hooks.configureSupernet(
                new TrainingHooks.SupernetSetup(PROTOCOL, skeleton, cells));
        assertEquals(List.of("A.protocol", "A.network", "A.network", "B.protocol", "B.network", "B.network"), log);
        assertSame(skeleton, setup.skeletonOps());
        assertSame(cells, setup.cellOps());
    }

    @Test
    void foldOfAlphaReturnsTheSameArrayWhenNoHookChangesIt() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray alpha = manager.ones(new Shape(6, 5));
            TrainingHooks neutral = new TrainingHooks(List.of(new TrainingHook() {}, new TrainingHook() {}));
            assertSame(alpha, neutral.architectureForWeightStep(alpha, STEP));
        }
    }

    @Test
    void allIsFalseIfOneHookSaysNoAndStillAsksEveryHook() {
        List<String> log = new ArrayList<>();
        TrainingHooks hooks = new TrainingHooks(List.of(new Logging("A", log, true), new Logging("B", log, false),
                new Logging("C", log, true)));
        assertFalse(hooks.beforeArchitectureStep(0, 1));
        assertEquals(List.of("A.before", "B.before", "C.before"), log);

        log.clear();
        assertTrue(new TrainingHooks(List.of(new Logging("A", log, true), new Logging("B", log, true)))
                .beforeArchitectureStep(0, 1));
        assertEquals(List.of("A.before", "B.before"), log);
        assertTrue(new TrainingHooks(List.of()).beforeArchitectureStep(0, 1));
    }

    @Test
    void anyIsTrueIfOneHookSaysYesAndStillAsksEveryHook() {
        List<String> log = new ArrayList<>();
        TrainingHooks hooks = new TrainingHooks(List.of(new Logging("A", log, false), new Logging("B", log, true),
                new Logging("C", log, false)));
        assertTrue(hooks.trainAllOps(STEP));
        assertEquals(List.of("A.allOps", "B.allOps", "C.allOps"), log);

        log.clear();
        assertFalse(new TrainingHooks(List.of(new Logging("A", log, false), new Logging("B", log, false)))
                .trainAllOps(STEP));
        assertEquals(List.of("A.allOps", "B.allOps"), log);
        assertFalse(new TrainingHooks(List.of()).trainAllOps(STEP));
    }

    @Test
    void eachTellsEveryHookInListOrder() {
        List<String> log = new ArrayList<>();
        TrainingHooks hooks = new TrainingHooks(List.of(new Logging("A", log, true), new Logging("B", log, true)));
        hooks.afterEpoch(new EpochMetrics(3, 0, 0, 0, 0, 0), null);
        assertEquals(List.of("A.epoch3", "B.epoch3"), log);
    }

    @Test
    void stepWrapsTheBodyWithTheFirstHookOutermost() {
        List<String> log = new ArrayList<>();
        TrainingHooks hooks = new TrainingHooks(List.of(new Logging("A", log, true), new Logging("B", log, true)));
        hooks.step(STEP, () -> log.add("body"));
        assertEquals(List.of("A.in", "B.in", "body", "B.out", "A.out"), log);
    }

    @Test
    void aHookDecidesWhetherAndHowOftenTheRestOfTheChainRuns() {
        List<String> log = new ArrayList<>();
        TrainingHook twice = new TrainingHook() {
            @Override
            public void step(StepContext step, Runnable next) {
                next.run();
                next.run();
            }
        };
        TrainingHook skip = new TrainingHook() {
            @Override
            public void step(StepContext step, Runnable next) {
                log.add("skipped");
            }
        };
        new TrainingHooks(List.of(twice, new Logging("B", log, true))).step(STEP, () -> log.add("body"));
        assertEquals(List.of("B.in", "body", "B.out", "B.in", "body", "B.out"), log);

        log.clear();
        new TrainingHooks(List.of(skip, new Logging("B", log, true))).step(STEP, () -> log.add("body"));
        assertEquals(List.of("skipped"), log);

        log.clear();
        new TrainingHooks(List.of()).step(STEP, () -> log.add("body"));
        assertEquals(List.of("body"), log);
    }

    @Test
    void lossWrapsTheBaseWithTheFirstHookOutermost() {
        TrainingHook times2 = new TrainingHook() {
            @Override
            public NDArray lossFor(NDList outputs, Batch batch, StepContext step, LossFunction next) {
                return next.loss(outputs, batch).mul(2);
            }
        };
        TrainingHook plus3 = new TrainingHook() {
            @Override
            public NDArray lossFor(NDList outputs, Batch batch, StepContext step, LossFunction next) {
                return next.loss(outputs, batch).add(3);
            }
        };
        // The outer hook hands the inner ones other outputs: only its own, not the first.
        TrainingHook secondOutput = new TrainingHook() {
            @Override
            public NDArray lossFor(NDList outputs, Batch batch, StepContext step, LossFunction next) {
                return next.loss(new NDList(outputs.get(1)), batch);
            }
        };
        try (NDManager manager = NDManager.newBaseManager()) {
            NDList outputs = new NDList(manager.create(1f), manager.create(10f));
            TrainingHook.LossFunction base = (o, b) -> o.get(0);
            assertEquals(8f, new TrainingHooks(List.of(times2, plus3)).lossFor(outputs, null, STEP, base).getFloat());
            assertEquals(5f, new TrainingHooks(List.of(plus3, times2)).lossFor(outputs, null, STEP, base).getFloat());
            assertEquals(26f, new TrainingHooks(List.of(times2, secondOutput, plus3))
                    .lossFor(outputs, null, STEP, base).getFloat());
            assertEquals(1f, new TrainingHooks(List.of()).lossFor(outputs, null, STEP, base).getFloat());
        }
    }
}
