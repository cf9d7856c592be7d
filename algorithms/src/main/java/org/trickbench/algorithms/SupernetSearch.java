package org.trickbench.algorithms;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.trickbench.core.data.PreparedData;
import org.trickbench.core.device.ConvBackend;
import org.trickbench.core.param.ParameterSpec;
import org.trickbench.core.run.AlgorithmSetting;
import org.trickbench.core.run.RunSpec;
import org.trickbench.core.search.BudgetUse;
import org.trickbench.core.search.Family;
import org.trickbench.core.search.SearchAlgorithm;
import org.trickbench.core.search.SearchContext;
import org.trickbench.core.search.SearchResult;
import org.trickbench.core.seed.Seeds;
import org.trickbench.core.UserInputException;
import org.trickbench.core.space.Architecture;
import org.trickbench.core.space.TrainableSupernet;
import org.trickbench.core.space.darts.DartsConfig;
import org.trickbench.core.space.darts.DartsStandalone;
import org.trickbench.core.space.darts.DartsSupernet;
import org.trickbench.core.space.nb201.Nb201Hook;
import org.trickbench.core.space.nb201.Nb201Hooks;
import org.trickbench.core.space.nb201.Nb201Network;
import org.trickbench.core.space.nb201.Nb201Ops;
import org.trickbench.core.space.nb201.Nb201Supernet;
import org.trickbench.core.space.nb201.NetworkConfig;
import org.trickbench.core.train.Batch;
import org.trickbench.core.train.EpochContext;
import org.trickbench.core.train.EpochMetrics;
import org.trickbench.core.train.Fidelity;
import org.trickbench.core.train.NesterovSgd;
import org.trickbench.core.train.Protocol;
import org.trickbench.core.train.StepContext;
import org.trickbench.core.train.SupernetSearchHook;
import org.trickbench.core.train.TorchDefaultInitializer;
import org.trickbench.core.train.TrainingHooks;

/**
 * The loop every gradient-based supernet search shares: build the supernet at the search fidelity,
 * then for each epoch walk the training half in batches, each paired with a validation batch, and let
 * the algorithm take its weight and architecture steps. The weights follow a cosine schedule per step
 * on NAS-Bench-201 and the run's protocol's schedule on DARTS ({@link #weightSchedule}); α is updated
 * only in epochs where every hook's {@link SupernetSearchHook#beforeArchitectureStep} allows it. The
 * result is the hooks' choice ({@link SupernetSearchHook#selectArchitecture}) from the argmax of α.
 *
 * <p>A gradient search's proxy score is the validation accuracy of the genotype it returns, run as a
 * single path of the trained supernet with the shared weights ({@link PathScorer}, on
 * {@link PathScorer#IMAGES} validation images): the measure one-shot searches choose by, so that proxy
 * scores of all supernet searches rank genotypes on one scale. Its trajectory is the same score of each
 * epoch's argmax: what the search would have returned had it stopped after that epoch. The supernet's own
 * validation accuracy is not used, because it measures the mixture of all ops, not the genotype.
 *
 * <p>A {@code seconds} budget ({@link TimeBudget}) is checked after each epoch: once it is spent, no new
 * epoch starts and the search chooses from the supernet as it is.
 *
 * <p>The supernet is the run's space's ({@link org.trickbench.core.space.TrainableSupernet}): on {@code nb201}
 * the NAS-Bench-201 supernet, whose candidate ops use the standard ReLU and affine BatchNorm unless a hook's
 * {@link Nb201Hook#configureSupernetCells} changes them (bn-affine-off restores the benchmark's
 * {@code affine=False}); on {@code darts} DARTS's search network ({@link DartsSupernet}) with L = 3·N + 2
 * cells, whose discretisation ({@link org.trickbench.core.space.darts.DartsGenotype#fromAlpha}) is the
 * architecture it proposes. Epochs, channels and cells come from the run's search fidelity. The crop and
 * flip come from the run's protocol; the optimiser settings are the algorithm's, with the space's
 * defaults ({@link SupernetSettings}).
 */
abstract class SupernetSearch implements SearchAlgorithm {
    /** The ids of the spaces a supernet search knows. */
    static final String NB201 = "nb201";
    static final String DARTS = "darts";

    /** What an algorithm does in one search step, and how it prepares an epoch. */
    interface Steps {
        default void startEpoch(int epoch, int totalEpochs) {}

        /** The epoch's Gumbel-softmax temperature, NaN when the algorithm has none. */
        default double temperature() {
            return Double.NaN;
        }

        /** One step; {@code valid} gathers the paired validation batch only if asked. */
        void step(SupernetTrainer trainer, Batch train, Supplier<Batch> valid, boolean updateArchitecture,
                StepContext context);
    }

    /**
     * What a search returns after training: the genotype, its proxy score, the trajectory, and whether a
     * time budget cut its choosing short (a one-shot search's scoring phase).
     */
    record Choice(Architecture genotype, double score, List<Double> trajectory, boolean outOfTime) {}

    @Override
    public Family family() {
        return Family.GRADIENT;
    }

    @Override
    public List<ParameterSpec> parameters() {
        return parameters(NB201);
    }

    /**
     * On DARTS the shared optimiser settings default to DARTS's own search settings, so that a matrix run's
     * spec, which names every default, carries them.
     */
    @Override
    public List<ParameterSpec> parameters(String space) {
        List<ParameterSpec> all = new ArrayList<>(settingParameters(space));
        all.add(TimeBudget.parameter());
        all.addAll(extraParameters());
        return List.copyOf(all);
    }

    /** The training settings every search of this kind takes, with {@code space}'s defaults. */
    List<ParameterSpec> settingParameters(String space) {
        return SupernetSettings.parameters(space);
    }

    /** Checks every value against its spec and the learning rates against each other. */
    @Override
    public void validate(AlgorithmSetting setting) {
        SupernetSettings.from(resolve(setting));
    }

    /** Parameters beyond the shared optimiser settings (e.g. GDAS's temperatures). */
    List<ParameterSpec> extraParameters() {
        return List.of();
    }

    /** The algorithm's steps for one search, from its parameters and seeds. */
    abstract Steps steps(AlgorithmSetting setting, Seeds seeds);

    /** Whether the search trains α; one-shot searches leave it alone and record no α per epoch. */
    boolean trainsArchitecture() {
        return true;
    }

    /** Validation images each path is scored on. */
    int scoreImages(AlgorithmSetting setting) {
        return PathScorer.IMAGES;
    }

    /**
     * The architecture after training. Gradient searches return the hooks' choice from the argmax of α,
     * scored as a single path; one-shot searches score candidates with the trained weights instead.
     */
    Choice choose(SupernetRun run, SearchContext context, List<SupernetEpoch> history, TimeBudget time) {
        Architecture chosen = new TrainingHooks(context.hooks()).selectArchitecture(run.supernet().architecture(), run);
        List<Double> trajectory = history.stream().map(SupernetEpoch::argmaxAccuracy).filter(Double::isFinite).toList();
        return new Choice(chosen, run.score(chosen), trajectory, false);
    }

    @Override
    public SearchResult search(SearchContext context) {
        return run(context).result();
    }

    /** Runs the search and returns everything it recorded. */
    public SupernetOutcome run(SearchContext context) {
        TimeBudget time = TimeBudget.start(context.spec().algorithm(), context.clock());
        RunSpec spec = context.spec();
        String space = spec.space();
        if (!supernetSpaces().contains(space)) {
            throw new UserInputException("algorithm '" + id() + "' does not search space '" + space + "'; allowed: "
                    + String.join(", ", supernetSpaces()));
        }
        SupernetSettings settings = SupernetSettings.from(resolve(spec.algorithm()), spec.algorithm().params(), space);
        Steps steps = steps(spec.algorithm(), context.seeds());
        TrainingHooks hooks = new TrainingHooks(context.hooks());
        Fidelity fidelity = spec.searchFidelity();
        Protocol searchProtocol = new Protocol(settings.learningRate(), settings.minLearningRate(),
                settings.momentum(), settings.nesterov(), settings.weightDecay(), settings.batchSize(),
                fidelity.epochs(), weightSchedule(spec), spec.protocol().cropPadding(), spec.protocol().horizontalFlip(),
                0);
        Built built = space.equals(DARTS) ? darts(searchProtocol, context.searchData().get(), fidelity, hooks)
                : nb201(searchProtocol, context.searchData(), fidelity, hooks);
        PreparedData data = context.searchData().get();
        Protocol protocol = built.protocol();
        Device device = data.train().images().getDevice();

        try (NDManager manager = NDManager.newBaseManager(device)) {
            TrainableSupernet net = built.supernet();
            net.setInitializer(new TorchDefaultInitializer(), Parameter.Type.WEIGHT);
            context.seeds().onEngine("supernet-search", () -> {
                net.initialize(manager, DataType.FLOAT32, built.inputShape());
                return null;
            });
            ConvBackend.ensureFor(net);
            if (net instanceof Nb201Supernet nb201) {
                nb201.restrict(context.space());
            }
            data = hooks.configureSearchData(data, net);
            double[][] initialAlpha = net.alphaValues();
            NesterovSgd weightOptimizer = new NesterovSgd((float) protocol.learningRate(), (float) protocol.momentum(),
                    protocol.nesterov(), (float) protocol.weightDecay());
            ArchitectureAdam architectureOptimizer = new ArchitectureAdam(settings.archLearningRate(),
                    settings.archBeta1(), settings.archBeta2(), settings.archWeightDecay());
            SupernetTrainer trainer = new SupernetTrainer(net, manager, weightOptimizer, architectureOptimizer,
                    settings.gradientClip(), context.hooks());
            SearchBatches batches = new SearchBatches(data, protocol, context.seeds());
            try (SupernetRun supernetRun = new SupernetRun(trainer, context, data, batches, steps, protocol, family(),
                    scoreImages(spec.algorithm()), trainsArchitecture())) {
                return loop(context, steps, protocol, supernetRun, hooks, initialAlpha, time);
            } finally {
                architectureOptimizer.close();
            }
        }
    }

    /**
     * How the weights' learning rate falls from the search's {@code learning-rate} to its
     * {@code min-learning-rate}: on DARTS as the run's protocol schedules it ({@code cosine-epoch} is DARTS's
     * own {@code train_search.py}, stepped once per epoch), on NAS-Bench-201 always one cosine cycle
     * evaluated per step, as the benchmark's search scripts are reproduced.
     */
    static String weightSchedule(RunSpec spec) {
        return spec.space().equals(DARTS) ? spec.protocol().schedule() : "cosine";
    }

    @Override
    public List<String> spaces() {
        return supernetSpaces();
    }

    /** The spaces whose supernet this search trains and chooses from. */
    List<String> supernetSpaces() {
        return List.of(NB201, DARTS);
    }

    /** A space's supernet before initialisation, the input shape it initialises with, and the search protocol. */
    private record Built(TrainableSupernet supernet, Shape inputShape, Protocol protocol) {}

    /**
     * The NAS-Bench-201 supernet at the fidelity's channels and cells per stage. Its candidate ops use the
     * standard ReLU and affine BatchNorm unless a hook's {@link Nb201Hook#configureSupernetCells} changes
     * them, and the hooks may configure the protocol and skeleton ({@link Nb201Hook#configureSupernet}).
     */
    private static Built nb201(Protocol searchProtocol, Supplier<PreparedData> searchData, Fidelity fidelity,
            TrainingHooks hooks) {
        Nb201Hooks spaceHooks = new Nb201Hooks(hooks);
        Nb201Hooks.SupernetSetup setup = spaceHooks.configureSupernet(
                new Nb201Hooks.SupernetSetup(searchProtocol, Nb201Ops.standard(), Nb201Ops.standard()));
        Nb201Ops cellOps = spaceHooks.configureSupernetCells(setup.cellOps());
        PreparedData data = searchData.get();
        NetworkConfig config = new NetworkConfig(data.channels(), data.side(), data.side(), data.classes(),
                fidelity.channels(), fidelity.cells());
        return new Built(new Nb201Supernet(config, setup.skeletonOps(), cellOps), Nb201Network.inputShape(config, 2),
                setup.protocol());
    }

    /**
     * DARTS's search network ({@link DartsSupernet}, BN without affine parameters in its cells) at the
     * fidelity's channels C and L = 3·N + 2 cells for its N cells per stage, as the evaluation network
     * counts them ({@link DartsStandalone#layers}); the hooks may configure the protocol (e.g. heavy weight
     * decay), as they do on NAS-Bench-201.
     */
    private static Built darts(Protocol searchProtocol, PreparedData data, Fidelity fidelity, TrainingHooks hooks) {
        DartsConfig config = new DartsConfig(data.channels(), data.side(), data.side(), data.classes(),
                fidelity.channels(), DartsStandalone.layers(fidelity.cells()), false);
        return new Built(new DartsSupernet(config), DartsSupernet.inputShape(config, 2),
                hooks.configureProtocol(searchProtocol));
    }

    private SupernetOutcome loop(SearchContext context, Steps steps, Protocol protocol, SupernetRun run,
            TrainingHooks hooks, double[][] initialAlpha, TimeBudget time) {
        SupernetTrainer trainer = run.trainer();
        TrainableSupernet net = trainer.supernet();
        int epochs = protocol.epochs();
        int perEpoch = run.stepsPerEpoch();
        long totalSteps = (long) perEpoch * epochs;
        List<SupernetEpoch> history = new ArrayList<>();
        boolean diverged = false;
        long step = 0;
        boolean outOfTime = false;
        for (int epoch = 0; epoch < epochs && !diverged && !outOfTime; epoch++) {
            long epochStart = time.clock().nanos();
            steps.startEpoch(epoch, epochs);
            boolean updateArchitecture = hooks.beforeArchitectureStep(EpochContext.starting(epoch, epochs, net));
            SupernetTrainer.Totals totals = run.runEpoch(epoch, epochs, step, totalSteps, updateArchitecture,
                    s -> protocol.learningRateAt(s, totalSteps));
            step += perEpoch;
            double lr = protocol.learningRateAt(step - 1, totalSteps);
            diverged = !Double.isFinite(totals.trainLoss());
            boolean alpha = trainsArchitecture();
            run.scorer().forget();
            double argmaxAccuracy = alpha && !diverged ? run.score(net.architecture()) : Double.NaN;
            SupernetEpoch record = new SupernetEpoch(epoch, totals.trainLoss(), totals.trainAccuracy(),
                    totals.validLoss(), totals.validAccuracy(), alpha ? net.meanEntropy() : Double.NaN, lr,
                    steps.temperature(), alpha ? net.architecture() : null, time.clock().secondsSince(epochStart),
                    argmaxAccuracy);
            history.add(record);
            if (!diverged) {
                EpochMetrics metrics = new EpochMetrics(epoch, totals.trainLoss(), totals.trainAccuracy(),
                        totals.validAccuracy(), lr, record.seconds());
                EpochContext ended = EpochContext.ended(metrics, epochs, net);
                hooks.afterEpoch(ended);
                hooks.afterSearchEpoch(ended, run);
            }
            outOfTime = time.spent();
        }
        if (!diverged) {
            hooks.afterSupernetTraining(run);
        }
        Choice choice = choose(run, context, history, time);
        BudgetUse.Stop stop = diverged ? BudgetUse.Stop.DIVERGED
                : history.size() < epochs || choice.outOfTime() ? BudgetUse.Stop.SECONDS : BudgetUse.Stop.COMPLETE;
        BudgetUse use = new BudgetUse(history.size(), trainsArchitecture() ? 0 : run.scorer().evaluations(), stop);
        List<Map<String, Double>> metrics = history.stream().map(SupernetEpoch::metrics).toList();
        double wall = time.seconds();
        SearchResult result = new SearchResult(choice.genotype(), choice.score(), wall, wall, choice.trajectory(), use,
                metrics);
        return new SupernetOutcome(result, history, initialAlpha, net.alphaValues(), perEpoch, diverged,
                choice.genotype());
    }
}
