package org.trickbench.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.Test;

class TrainingHooksTest {
    private static final StepContext STEP = new StepContext(0, 1, 0, 1, 0.1, null);
    private static final EpochContext START = EpochContext.starting(0, 1, null);
    private static final Protocol PROTOCOL = new Protocol(0.1, 0, 0.9, true, 5e-4, 32, 10, "cosine", 1, true, 0);

    /** A hook of both lifecycles that logs every call it gets, by name, and answers as told. */
    private static class Logging implements WeightTrainingHook, SupernetSearchHook {
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
        public boolean beforeArchitectureStep(EpochContext epoch) {
            log.add(name + ".before");
            return answer;
        }

        @Override
        public boolean trainAllOps(StepContext step) {
            log.add(name + ".allOps");
            return answer;
        }

        @Override
        public void afterEpoch(EpochContext epoch) {
            log.add(name + ".epoch" + epoch.epoch());
        }

        @Override
        public void step(StepContext step, Runnable next) {
            log.add(name + ".in");
            next.run();
            log.add(name + ".out");
        }
    }

    private static TrainingHook epochs(IntUnaryOperator f) {
        return new WeightTrainingHook() {
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
    void foldOfAlphaReturnsTheSameArrayWhenNoHookChangesIt() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray alpha = manager.ones(new Shape(6, 5));
            TrainingHooks neutral = new TrainingHooks(List.of(new SupernetSearchHook() {}, new SupernetSearchHook() {}));
            assertSame(alpha, neutral.architectureForWeightStep(alpha, STEP));
        }
    }

    @Test
    void allIsFalseIfOneHookSaysNoAndStillAsksEveryHook() {
        List<String> log = new ArrayList<>();
        TrainingHooks hooks = new TrainingHooks(List.of(new Logging("A", log, true), new Logging("B", log, false),
                new Logging("C", log, true)));
        assertFalse(hooks.beforeArchitectureStep(START));
        assertEquals(List.of("A.before", "B.before", "C.before"), log);

        log.clear();
        assertTrue(new TrainingHooks(List.of(new Logging("A", log, true), new Logging("B", log, true)))
                .beforeArchitectureStep(START));
        assertEquals(List.of("A.before", "B.before"), log);
        assertTrue(new TrainingHooks(List.of()).beforeArchitectureStep(START));
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
        hooks.afterEpoch(EpochContext.ended(new EpochMetrics(3, 0, 0, 0, 0, 0), 4, null));
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
        TrainingHook twice = new WeightTrainingHook() {
            @Override
            public void step(StepContext step, Runnable next) {
                next.run();
                next.run();
            }
        };
        TrainingHook skip = new WeightTrainingHook() {
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
        TrainingHook times2 = new WeightTrainingHook() {
            @Override
            public NDArray lossFor(NDList outputs, Batch batch, StepContext step, LossFunction next) {
                return next.loss(outputs, batch).mul(2);
            }
        };
        TrainingHook plus3 = new WeightTrainingHook() {
            @Override
            public NDArray lossFor(NDList outputs, Batch batch, StepContext step, LossFunction next) {
                return next.loss(outputs, batch).add(3);
            }
        };
        // The outer hook hands the inner ones other outputs: only its own, not the first.
        TrainingHook secondOutput = new WeightTrainingHook() {
            @Override
            public NDArray lossFor(NDList outputs, Batch batch, StepContext step, LossFunction next) {
                return next.loss(new NDList(outputs.get(1)), batch);
            }
        };
        try (NDManager manager = NDManager.newBaseManager()) {
            NDList outputs = new NDList(manager.create(1f), manager.create(10f));
            WeightTrainingHook.LossFunction base = (o, b) -> o.get(0);
            assertEquals(8f, new TrainingHooks(List.of(times2, plus3)).lossFor(outputs, null, STEP, base).getFloat());
            assertEquals(5f, new TrainingHooks(List.of(plus3, times2)).lossFor(outputs, null, STEP, base).getFloat());
            assertEquals(26f, new TrainingHooks(List.of(times2, secondOutput, plus3))
                    .lossFor(outputs, null, STEP, base).getFloat());
            assertEquals(1f, new TrainingHooks(List.of()).lossFor(outputs, null, STEP, base).getFloat());
        }
    }

    @Test
    void aPointAsksOnlyTheHooksOfItsInterfaceAndWrapsAroundTheOthers() {
        List<String> log = new ArrayList<>();
        TrainingHook searchOnly = new SupernetSearchHook() {
            @Override
            public boolean trainAllOps(StepContext step) {
                log.add("search.allOps");
                return true;
            }
        };
        TrainingHook trainingOnly = new WeightTrainingHook() {
            @Override
            public void step(StepContext step, Runnable next) {
                log.add("training.in");
                next.run();
            }
        };
        TrainingHooks hooks = new TrainingHooks(List.of(new Logging("A", log, false), searchOnly, trainingOnly,
                new TrainingHook() {}));
        assertTrue(hooks.trainAllOps(STEP));
        assertEquals(List.of("A.allOps", "search.allOps"), log);

        log.clear();
        hooks.step(STEP, () -> log.add("body"));
        assertEquals(List.of("A.in", "training.in", "body", "A.out"), log);

        log.clear();
        assertTrue(new TrainingHooks(List.of(trainingOnly)).beforeArchitectureStep(START),
                "no search hook: nothing holds alpha");
        assertEquals(List.of(), log);
    }
}
