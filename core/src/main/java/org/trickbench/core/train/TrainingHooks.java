package org.trickbench.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.trickbench.core.data.PreparedData;
import org.trickbench.core.space.nb201.Genotype;
import org.trickbench.core.space.nb201.Nb201Ops;
import org.trickbench.core.space.nb201.Nb201Space;
import org.trickbench.core.space.nb201.Nb201Supernet;
import org.trickbench.core.space.nb201.NetworkConfig;

/**
 * The ordered hooks of a run as one: one method per {@link TrainingHook} point, each combining the hooks
 * by a named rule, so that a training or search loop calls a hook point once and never iterates the
 * hooks itself. The rules:
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
    public TrainingHooks(List<TrainingHook> hooks) {
        this.hooks = List.copyOf(hooks);
    }

    /** Fold: each hook adjusts the protocol the one before it returned (e.g. longer, then heavier decay). */
    public Protocol configureProtocol(Protocol protocol) {
        return fold(protocol, TrainingHook::configureProtocol);
    }

    /** Fold: each hook swaps op factories in the ops the one before it returned (e.g. Swish, then GroupNorm). */
    public Nb201Ops configureNetwork(Nb201Ops ops) {
        return fold(ops, TrainingHook::configureNetwork);
    }

    /** Fold: each hook resizes the config the one before it returned, so that sizes compose. */
    public NetworkConfig configureNetworkConfig(NetworkConfig config) {
        return fold(config, TrainingHook::configureNetworkConfig);
    }

    /** What a standalone training is built with: its protocol, the network's ops and its size. */
    public record StandaloneSetup(Protocol protocol, Nb201Ops ops, NetworkConfig config) {}

    /**
     * Fold of {@link #configureProtocol}, {@link #configureNetwork} and {@link #configureNetworkConfig}
     * hook by hook: each hook configures the protocol, the ops and the size before the next hook is asked.
     */
    public StandaloneSetup configureStandalone(StandaloneSetup setup) {
        return fold(setup, (hook, s) -> new StandaloneSetup(hook.configureProtocol(s.protocol()),
                hook.configureNetwork(s.ops()), hook.configureNetworkConfig(s.config())));
    }

    /**
     * What a supernet is built with: the search protocol, the ops of its skeleton (stem, reductions, head)
     * and the ops of its search cells' candidate operations.
     */
    public record SupernetSetup(Protocol protocol, Nb201Ops skeletonOps, Nb201Ops cellOps) {}

    /**
     * Fold of {@link #configureProtocol} and of {@link #configureNetwork} on the skeleton's and the cells'
     * ops, hook by hook: each hook configures the protocol, then the skeleton's ops, then the cells' ops,
     * before the next hook is asked. {@link #configureSupernetCells} comes after, on the cells' ops alone.
     */
    public SupernetSetup configureSupernet(SupernetSetup setup) {
        return fold(setup, (hook, s) -> new SupernetSetup(hook.configureProtocol(s.protocol()),
                hook.configureNetwork(s.skeletonOps()), hook.configureNetwork(s.cellOps())));
    }

    /** Fold: each hook changes the op factories of a supernet's search cells as the one before left them. */
    public Nb201Ops configureSupernetCells(Nb201Ops cellOps) {
        return fold(cellOps, TrainingHook::configureSupernetCells);
    }

    /** Fold: each hook restricts the space the one before it returned, so that restrictions add up. */
    public Nb201Space configureSpace(Nb201Space space) {
        return fold(space, TrainingHook::configureSpace);
    }

    /** Fold: each hook replaces the search data the one before it returned (e.g. the frozen stem's output). */
    public PreparedData configureSearchData(PreparedData data, Nb201Supernet supernet) {
        return fold(data, (hook, d) -> hook.configureSearchData(d, supernet));
    }

    /** Fold: pixel augmentations stack, each on the images the one before it produced. */
    public NDArray transformImages(NDArray images, StepContext step) {
        return fold(images, (hook, x) -> hook.transformImages(x, step));
    }

    /** Fold: batch augmentations stack, each on the batch the one before it produced (e.g. cutout, then mixup). */
    public Batch transformBatch(Batch batch, StepContext step) {
        return fold(batch, (hook, b) -> hook.transformBatch(b, step));
    }

    /**
     * Fold: each hook perturbs the α the one before it returned. Returns {@code alpha} itself, the same
     * array, when no hook changes it, so that a caller can tell that the stored α stands.
     */
    public NDArray architectureForWeightStep(NDArray alpha, StepContext step) {
        return fold(alpha, (hook, a) -> hook.architectureForWeightStep(a, step));
    }

    /** Fold: each hook may replace the architecture the one before it chose (e.g. perturbation-based selection). */
    public Genotype selectArchitecture(Genotype proposed, SupernetSession session) {
        return fold(proposed, (hook, g) -> hook.selectArchitecture(g, session));
    }

    /**
     * Wrap: the training loss, the first hook outermost around {@code base}. Each hook's {@code next}
     * computes the rest of the chain's loss, so an outer hook sees (and may scale or add to) what the
     * inner ones made of it, e.g. an auxiliary tower's loss around label smoothing.
     */
    public NDArray lossFor(NDList outputs, Batch batch, StepContext step, TrainingHook.LossFunction base) {
        return wrap(base, (hook, next) -> (TrainingHook.LossFunction) (o, b) -> hook.lossFor(o, b, step, next))
                .loss(outputs, batch);
    }

    /**
     * Wrap: runs the optimiser step {@code body}, the first hook outermost. Each hook's {@code next} runs
     * the rest of the chain, so a hook may act before and after the update or run it more than once (SAM).
     */
    public void step(StepContext step, Runnable body) {
        wrap(body, (hook, next) -> (Runnable) () -> hook.step(step, next)).run();
    }

    /**
     * All: whether α may be updated in this epoch; any one hook may hold it still (warm-up). Every hook
     * is asked even after one said no, so that a hook with state sees every epoch whatever its place in
     * the list.
     */
    public boolean beforeArchitectureStep(int epoch, int totalEpochs) {
        return all(hook -> hook.beforeArchitectureStep(epoch, totalEpochs));
    }

    /**
     * Any: whether this single-path step trains every op; one hook asking is enough. Every hook is asked
     * even after one said yes, so that a hook with state (a draw, a counter) sees every step whatever its
     * place in the list.
     */
    public boolean trainAllOps(StepContext step) {
        return any(hook -> hook.trainAllOps(step));
    }

    /** Each: every hook sees the epoch's metrics, in order; none can stop the others hearing of it. */
    public void afterEpoch(EpochMetrics metrics, Block network) {
        each(hook -> hook.afterEpoch(metrics, network));
    }

    /** Each: every hook acts on the trained supernet, in order, each on what the one before left. */
    public void afterSupernetTraining(SupernetSession session) {
        each(hook -> hook.afterSupernetTraining(session));
    }

    /** Each: every hook may choose the weights that score {@code candidate}, in order, before any scoring. */
    public void selectWeights(Genotype candidate, SupernetSession session) {
        each(hook -> hook.selectWeights(candidate, session));
    }

    /** Each: every hook prepares the supernet, set to the candidate, for scoring, in order. */
    public void beforeScoring(SupernetSession session) {
        each(hook -> hook.beforeScoring(session));
    }

    private <T> T fold(T value, BiFunction<TrainingHook, T, T> transform) {
        T result = value;
        for (TrainingHook hook : hooks) {
            result = transform.apply(hook, result);
        }
        return result;
    }

    private void each(Consumer<TrainingHook> action) {
        for (TrainingHook hook : hooks) {
            action.accept(hook);
        }
    }

    /** True when every hook answers true; asks every hook, with no short circuit. */
    private boolean all(Predicate<TrainingHook> answer) {
        boolean all = true;
        for (TrainingHook hook : hooks) {
            all &= answer.test(hook);
        }
        return all;
    }

    /** True when some hook answers true; asks every hook, with no short circuit. */
    private boolean any(Predicate<TrainingHook> answer) {
        boolean any = false;
        for (TrainingHook hook : hooks) {
            any |= answer.test(hook);
        }
        return any;
    }

    /**
     * The chain of {@code around} over the hooks with {@code base} innermost: the first hook's link is
     * returned, and each link's {@code next} is the following hook's link, the last one's is {@code base}.
     */
    private <A> A wrap(A base, BiFunction<TrainingHook, A, A> around) {
        A chain = base;
        for (int i = hooks.size() - 1; i >= 0; i--) {
            chain = around.apply(hooks.get(i), chain);
        }
        return chain;
    }
}
