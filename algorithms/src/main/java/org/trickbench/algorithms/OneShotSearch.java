package org.trickbench.algorithms;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;
import org.trickbench.core.UserInputException;
import org.trickbench.core.run.AlgorithmSetting;
import org.trickbench.core.search.AlgorithmParameter;
import org.trickbench.core.search.SearchContext;
import org.trickbench.core.seed.Seeds;
import org.trickbench.core.space.nb201.Genotype;

/**
 * One-shot search with weight sharing: first train the supernet with one uniformly sampled path per
 * step (Guo et al., Single Path One-Shot, ECCV 2020, arXiv 1904.00420; Li & Talwalkar, UAI 2019, arXiv
 * 1902.07638), then search the space scoring each candidate by its accuracy with the shared weights on
 * the validation half ({@link PathScorer}). α is never trained. A {@code seconds} budget, once spent,
 * ends the supernet training after its epoch and the scoring phase before its next new candidate.
 */
abstract class OneShotSearch extends SupernetSearch {

    @Override
    public String family() {
        return "one-shot";
    }

    @Override
    public List<AlgorithmParameter> parameters() {
        List<AlgorithmParameter> all = new ArrayList<>(SupernetSettings.weightParameters());
        all.add(new AlgorithmParameter("score-images", "int", PathScorer.IMAGES,
                "validation images each candidate is scored on, the same for all (0 = the whole validation half)"));
        all.add(TimeBudget.parameter());
        all.addAll(extraParameters());
        return List.copyOf(all);
    }

    @Override
    boolean trainsArchitecture() {
        return false;
    }

    /**
     * Uniform single-path training: a fresh path of independently uniform ops every step, or the whole
     * mixed supernet where a hook asks for it ({@link TrainingHook#trainAllOps}). The path is drawn
     * either way, so the hooks never shift the sampled paths of later steps.
     */
    @Override
    Steps steps(AlgorithmSetting setting, Seeds seeds) {
        SplittableRandom paths = seeds.forPurpose("path-sampling");
        return (trainer, train, valid, updateArchitecture, context) -> {
            Genotype path = samplePath(paths);
            if (trainer.trainsAllOps(context)) {
                trainer.supernet().useWeighted();
            } else {
                trainer.supernet().useSinglePath(path);
            }
            trainer.weightStep(train, context);
        };
    }

    /** One path of the supernet, uniform over all cells, hence every edge's op uniform and independent. */
    static Genotype samplePath(SplittableRandom random) {
        return Genotype.fromIndex(random.nextInt(Genotype.SPACE_SIZE));
    }

    /**
     * Searches the space with a fitness (the shared-weight score in a run, any function in tests);
     * returns the best candidate, its score and the best-so-far scores. Once {@code time} is spent it
     * scores no new candidate, but it always scores the first.
     */
    abstract Choice search(ToDoubleFunction<Genotype> fitness, AlgorithmSetting setting, Seeds seeds, TimeBudget time);

    /** The search with no time budget. */
    Choice search(ToDoubleFunction<Genotype> fitness, AlgorithmSetting setting, Seeds seeds) {
        return search(fitness, setting, seeds, TimeBudget.none());
    }

    @Override
    int scoreImages(AlgorithmSetting setting) {
        int images = (int) SupernetSettings.number(setting, setting.params(), "score-images", PathScorer.IMAGES);
        if (images < 0) {
            throw new UserInputException("algorithm '" + setting.id() + "' parameter score-images must be >= 0, got "
                    + images);
        }
        return images;
    }

    @Override
    Choice choose(SupernetTrainer trainer, SearchContext context, PathScorer scorer, List<SupernetEpoch> history,
            TimeBudget time) {
        return search(scorer::score, context.spec().algorithm(), context.seeds(), time);
    }
}
