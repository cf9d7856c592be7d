package org.trickbench.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.trickbench.core.data.PreparedData;
import org.trickbench.core.space.Architecture;
import org.trickbench.core.space.Supernet;

/**
 * The ordered hooks of a run as one: one method per hook point of {@link WeightTrainingHook} and
 * {@link SupernetSearchHook}, each combining the hooks by a named rule, so that a training or search loop
 * calls a hook point once and never iterates the hooks itself. A point asks only the hooks that implement
 * its interface, in list order; a search space's own hook points use the same rules through
 * {@link #fold(Class, Object, BiFunction)} and {@link #fold(Object, BiFunction)}. The rules:
 *
 * <ul>
 *   <li><b>fold</b>: a value passes through every hook in list order, each seeing the one before's result;
 *   <li><b>each</b>: every hook is told, in list order;
 *   <li><b>all</b>: true when every hook answers true; every hook is asked, even after one said false;
 *   <li><b>any</b>: true when at least one hook answers true; every hook is asked, even after one said true;
 *   <li><b>wrap</b>: a chain of responsibility around a base action, the first hook outermost: it runs
 *       first and its {@code next} runs the rest of the chain, the base innermost.
 * </ul>
 */
public final class TrainingHooks {
    private final List<TrainingHook> hooks;

    /** The hooks in the order they act: the first folds first and wraps outermost. */
    public TrainingHooks(List<? extends TrainingHook> hooks) {
        this.hooks = List.copyOf(hooks);
    }

    /** Fold: each hook adjusts the protocol the one before it returned (e.g. longer, then heavier decay). */
    public Protocol configureProtocol(Protocol protocol) {
        return fold(WeightTrainingHook.class, protocol, WeightTrainingHook::configureProtocol);
    }

    /** Fold: pixel augmentations stack, each on the images the one before it produced. */
    public NDArray transformImages(NDArray images, StepContext step) {
        return fold(WeightTrainingHook.class, images, (hook, x) -> hook.transformImages(x, step));
    }

    /** Fold: batch augmentations stack, each on the batch the one before it produced (e.g. cutout, then mixup). */
    public Batch transformBatch(Batch batch, StepContext step) {
        return fold(WeightTrainingHook.class, batch, (hook, b) -> hook.transformBatch(b, step));
    }

    /**
     * Wrap: the training loss, the first hook outermost around {@code base}. Each hook's {@code next}
     * computes the rest of the chain's loss, so an outer hook sees (and may scale or add to) what the
     * inner ones made of it, e.g. an auxiliary tower's loss around label smoothing.
     */
    public NDArray lossFor(NDList outputs, Batch batch, StepContext step, WeightTrainingHook.LossFunction base) {
        return wrap(WeightTrainingHook.class, base,
                (hook, next) -> (WeightTrainingHook.LossFunction) (o, b) -> hook.lossFor(o, b, step, next))
                .loss(outputs, batch);
    }

    /**
     * Wrap: runs the optimiser step {@code body}, the first hook outermost. Each hook's {@code next} runs
     * the rest of the chain, so a hook may act before and after the update or run it more than once (SAM).
     */
    public void step(StepContext step, Runnable body) {
        wrap(WeightTrainingHook.class, body, (hook, next) -> (Runnable) () -> hook.step(step, next)).run();
    }

    /** Each: every hook sees the epoch's metrics, in order; none can stop the others hearing of it. */
    public void afterEpoch(EpochContext epoch) {
        each(WeightTrainingHook.class, hook -> hook.afterEpoch(epoch));
    }

    /** Fold: each hook replaces the search data the one before it returned (e.g. the frozen stem's output). */
    public PreparedData configureSearchData(PreparedData data, Supernet supernet) {
        return fold(SupernetSearchHook.class, data, (hook, d) -> hook.configureSearchData(d, supernet));
    }

    /**
     * All: whether α may be updated in this epoch; any one hook may hold it still (warm-up). Every hook
     * is asked even after one said no, so that a hook with state sees every epoch whatever its place in
     * the list.
     */
    public boolean beforeArchitectureStep(EpochContext epoch) {
        return all(SupernetSearchHook.class, hook -> hook.beforeArchitectureStep(epoch));
    }

    /**
     * Fold: each hook perturbs the α the one before it returned. Returns {@code alpha} itself, the same
     * array, when no hook changes it, so that a caller can tell that the stored α stands.
     */
    public NDArray architectureForWeightStep(NDArray alpha, StepContext step) {
        return fold(SupernetSearchHook.class, alpha, (hook, a) -> hook.architectureForWeightStep(a, step));
    }

    /**
     * Any: whether this single-path step trains every op; one hook asking is enough. Every hook is asked
     * even after one said yes, so that a hook with state (a draw, a counter) sees every step whatever its
     * place in the list.
     */
    public boolean trainAllOps(StepContext step) {
        return any(SupernetSearchHook.class, hook -> hook.trainAllOps(step));
    }

    /** Each: every hook acts on the supernet after a search epoch, in order, each on what the one before left. */
    public void afterSearchEpoch(EpochContext epoch, SupernetSession session) {
        each(SupernetSearchHook.class, hook -> hook.afterSearchEpoch(epoch, session));
    }

    /** Each: every hook acts on the trained supernet, in order, each on what the one before left. */
    public void afterSupernetTraining(SupernetSession session) {
        each(SupernetSearchHook.class, hook -> hook.afterSupernetTraining(session));
    }

    /** Each: every hook may choose the weights that score {@code candidate}, in order, before any scoring. */
    public void selectWeights(Architecture candidate, SupernetSession session) {
        each(SupernetSearchHook.class, hook -> hook.selectWeights(candidate, session));
    }

    /** Each: every hook prepares the supernet, set to the candidate, for scoring, in order. */
    public void beforeScoring(SupernetSession session) {
        each(SupernetSearchHook.class, hook -> hook.beforeScoring(session));
    }

    /** Fold: each hook may replace the architecture the one before it chose (e.g. perturbation-based selection). */
    public Architecture selectArchitecture(Architecture proposed, SupernetSession session) {
        return fold(SupernetSearchHook.class, proposed, (hook, a) -> hook.selectArchitecture(a, session));
    }

    /**
     * Fold over the hooks of one kind, those implementing {@code kind}, in list order: the rule of a point
     * that one interface declares, e.g. a search space's own configuration points.
     */
    public <H extends TrainingHook, T> T fold(Class<H> kind, T value, BiFunction<? super H, T, T> transform) {
        return fold(value, (hook, v) -> apply(hook, kind, v, transform));
    }

    /**
     * Fold over every hook, in list order: for points that span interfaces, so that each hook configures
     * everything it configures before the next hook is asked (see {@link #apply}).
     */
    public <T> T fold(T value, BiFunction<TrainingHook, T, T> transform) {
        T result = value;
        for (TrainingHook hook : hooks) {
            result = transform.apply(hook, result);
        }
        return result;
    }

    /** What {@code hook} makes of {@code value} at a point of {@code kind}, or {@code value} itself if it is not one. */
    public static <H extends TrainingHook, T> T apply(TrainingHook hook, Class<H> kind, T value,
            BiFunction<? super H, T, T> transform) {
        return kind.isInstance(hook) ? transform.apply(kind.cast(hook), value) : value;
    }

    private <H extends TrainingHook> void each(Class<H> kind, Consumer<? super H> action) {
        for (TrainingHook hook : hooks) {
            if (kind.isInstance(hook)) {
                action.accept(kind.cast(hook));
            }
        }
    }

    /** True when every hook of {@code kind} answers true; asks every one, with no short circuit. */
    private <H extends TrainingHook> boolean all(Class<H> kind, Predicate<? super H> answer) {
        return fold(kind, true, (hook, all) -> answer.test(hook) & all);
    }

    /** True when some hook of {@code kind} answers true; asks every one, with no short circuit. */
    private <H extends TrainingHook> boolean any(Class<H> kind, Predicate<? super H> answer) {
        return fold(kind, false, (hook, any) -> answer.test(hook) | any);
    }

    /**
     * The chain of {@code around} over the hooks of {@code kind} with {@code base} innermost: the first
     * hook's link is returned, and each link's {@code next} is the following hook's link, the last one's
     * is {@code base}.
     */
    private <H extends TrainingHook, A> A wrap(Class<H> kind, A base, BiFunction<? super H, A, A> around) {
        A chain = base;
        for (int i = hooks.size() - 1; i >= 0; i--) {
            chain = apply(hooks.get(i), kind, chain, around);
        }
        return chain;
    }
}
