package org.trickbench.algorithms;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;
import org.trickbench.core.param.ParameterSpec;
import org.trickbench.core.run.AlgorithmSetting;
import org.trickbench.core.search.Family;
import org.trickbench.core.search.SearchContext;
import org.trickbench.core.seed.Seeds;
import org.trickbench.core.space.Architecture;
import org.trickbench.core.space.SearchSpace;
import org.trickbench.core.space.nb201.Genotype;
import org.trickbench.core.space.nb201.Nb201SearchSpace;
import org.trickbench.core.space.nb201.Nb201Space;
import org.trickbench.core.train.SupernetSearchHook;

/**
 * One-shot search with weight sharing: first train the supernet with one uniformly sampled path per
 * step (Guo et al., Single Path One-Shot, ECCV 2020, arXiv 1904.00420; Li & Talwalkar, UAI 2019, arXiv
 * 1902.07638), then search the space scoring each candidate by its accuracy with the shared weights on
 * the validation half ({@link PathScorer}). α is never trained. Each candidate is scored on the same
 * validation images, in inference mode, after every hook's {@link SupernetSearchHook#selectWeights} and
 * {@link SupernetSearchHook#beforeScoring} (e.g. recomputing BatchNorm statistics for that path).
 * Paths come from the run's supernet ({@link org.trickbench.core.space.TrainableSupernet#randomPath}) and
 * candidates from the run's space ({@link SearchContext#searchSpace()}): NAS-Bench-201's cells as the
 * search-phase hooks restrict them, or DARTS's genotypes. A {@code seconds} budget,
 * once spent, ends the supernet training after its epoch and the scoring phase before its next new candidate.
 */
abstract class OneShotSearch extends SupernetSearch {

    @Override
    public Family family() {
        return Family.ONE_SHOT;
    }

    /**
     * The weight-training settings with the space's defaults (DARTS's own on {@code darts}, as
     * {@link SupernetSearch#parameters(String)} gives them), then the validation images each candidate is
     * scored on; no {@code arch-} parameters, since α is never trained.
     */
    @Override
    List<ParameterSpec> settingParameters(String space) {
        List<ParameterSpec> all = new ArrayList<>(SupernetSettings.weightParameters(space));
        all.add(ParameterSpec.integer("score-images", PathScorer.IMAGES, 0, Integer.MAX_VALUE,
                "validation images each candidate is scored on, the same for all (0 = the whole validation half)")
                .withUnit("images"));
        return all;
    }

    @Override
    boolean trainsArchitecture() {
        return false;
    }

    /**
     * Uniform single-path training: a fresh path of independently uniform ops every step, or the whole
     * mixed supernet where a hook asks for it ({@link SupernetSearchHook#trainAllOps}). The path is drawn
     * either way, so the hooks never shift the sampled paths of later steps.
     */
    @Override
    Steps steps(AlgorithmSetting setting, Seeds seeds) {
        SplittableRandom paths = seeds.forPurpose("path-sampling");
        return (trainer, train, valid, updateArchitecture, context) -> {
            Architecture path = trainer.supernet().randomPath(paths);
            if (trainer.trainsAllOps(context)) {
                trainer.supernet().useWeighted();
            } else {
                trainer.supernet().useSinglePath(path);
            }
            trainer.weightStep(train, context);
        };
    }

    /** One path of the full supernet, uniform over all cells, hence every edge's op uniform and independent. */
    static Genotype samplePath(SplittableRandom random) {
        return Nb201Space.full().randomCell(random);
    }

    /**
     * Searches {@code space} with a fitness (the shared-weight score in a run, any function in tests);
     * returns the best candidate, its score and the best-so-far scores. Candidates are drawn (and, by
     * SPOS, mutated and crossed) as architectures of {@code space}; on NAS-Bench-201 every draw consumes
     * the same random numbers as the NAS-Bench-201-only search did. Once {@code time} is spent it scores
     * no new candidate, but it always scores the first.
     */
    abstract Choice search(ToDoubleFunction<Architecture> fitness, AlgorithmSetting setting, Seeds seeds,
            SearchSpace space, TimeBudget time);

    /** The search over the NAS-Bench-201 cells of {@code space}, with a fitness of NAS-Bench-201 genotypes. */
    Choice search(ToDoubleFunction<Genotype> fitness, AlgorithmSetting setting, Seeds seeds, Nb201Space space,
            TimeBudget time) {
        return search(a -> fitness.applyAsDouble(Genotype.from(a)), setting, seeds, new Nb201SearchSpace(space),
                time);
    }

    /** The search over the full NAS-Bench-201 space with no time budget. */
    Choice search(ToDoubleFunction<Genotype> fitness, AlgorithmSetting setting, Seeds seeds) {
        return search(fitness, setting, seeds, Nb201Space.full(), TimeBudget.none());
    }

    /** The search over the full NAS-Bench-201 space. */
    Choice search(ToDoubleFunction<Genotype> fitness, AlgorithmSetting setting, Seeds seeds, TimeBudget time) {
        return search(fitness, setting, seeds, Nb201Space.full(), time);
    }

    /** The search over the NAS-Bench-201 cells of {@code space} with no time budget. */
    Choice search(ToDoubleFunction<Genotype> fitness, AlgorithmSetting setting, Seeds seeds, Nb201Space space) {
        return search(fitness, setting, seeds, space, TimeBudget.none());
    }

    @Override
    int scoreImages(AlgorithmSetting setting) {
        return resolve(setting).integer("score-images");
    }

    @Override
    Choice choose(SupernetRun run, SearchContext context, List<SupernetEpoch> history, TimeBudget time) {
        return search(run::score, context.spec().algorithm(), context.seeds(), context.searchSpace(), time);
    }
}
