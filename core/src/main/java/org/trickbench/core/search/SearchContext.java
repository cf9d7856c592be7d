package org.trickbench.core.search;

import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.trickbench.core.data.PreparedData;
import org.trickbench.core.run.RunSpec;
import org.trickbench.core.seed.Seeds;
import org.trickbench.core.space.SearchSpace;
import org.trickbench.core.space.SearchSpaces;
import org.trickbench.core.space.nb201.Nb201Hooks;
import org.trickbench.core.space.nb201.Nb201SearchSpace;
import org.trickbench.core.space.nb201.Nb201Space;
import org.trickbench.core.train.TrainingHook;

/**
 * What a search may use: the run's spec (algorithm parameters, fidelities, data set), its seeds, an
 * evaluator for black-box scoring (already caching: identical genotypes are evaluated once per
 * search), the search data (training half / validation half on the device, prepared on first use),
 * the hooks of the search-phase tricks, and the clock its cost and time budget are measured with.
 */
public record SearchContext(RunSpec spec, Seeds seeds, Evaluator evaluator, Supplier<PreparedData> searchData,
        List<TrainingHook> hooks, Ticker clock) {
    public SearchContext {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(seeds, "seeds");
        evaluator = evaluator instanceof CachingEvaluator ? evaluator
                : evaluator == null ? null : new CachingEvaluator(evaluator);
        hooks = hooks == null ? List.of() : List.copyOf(hooks);
        clock = clock == null ? Ticker.SYSTEM : clock;
    }

    /** A context on the system clock. */
    public SearchContext(RunSpec spec, Seeds seeds, Evaluator evaluator, Supplier<PreparedData> searchData,
            List<TrainingHook> hooks) {
        this(spec, seeds, evaluator, searchData, hooks, Ticker.SYSTEM);
    }

    /**
     * The NAS-Bench-201 cells this search may propose: the full space as every search-phase hook configures
     * it. What a NAS-Bench-201 supernet is restricted to; a space-neutral search asks {@link #searchSpace()}.
     */
    public Nb201Space space() {
        return new Nb201Hooks(hooks).configureSpace(Nb201Space.full());
    }

    /**
     * The space of the run ({@link RunSpec#space()}) as a space-neutral search sees it; NAS-Bench-201's is
     * {@link #space()}, restricted as the search-phase hooks configure it.
     *
     * @throws org.trickbench.core.UserInputException when the spec names no known space
     */
    public SearchSpace searchSpace() {
        SearchSpace space = SearchSpaces.byId(spec.space());
        return space instanceof Nb201SearchSpace ? new Nb201SearchSpace(space()) : space;
    }

    /** A context for algorithms that need no data (the random baseline) or for tests with a synthetic fitness. */
    public static SearchContext of(RunSpec spec, Seeds seeds, Evaluator evaluator) {
        return new SearchContext(spec, seeds, evaluator, () -> {
            throw new IllegalStateException("this search context has no data");
        }, List.of());
    }

    /** This context measuring time with {@code ticker} instead (tests of time budgets). */
    public SearchContext withClock(Ticker ticker) {
        return new SearchContext(spec, seeds, evaluator, searchData, hooks, ticker);
    }
}
