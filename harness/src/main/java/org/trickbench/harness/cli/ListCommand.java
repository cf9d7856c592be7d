package org.trickbench.harness.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.trickbench.algorithms.Algorithms;
import org.trickbench.core.UserInputException;
import org.trickbench.core.param.ParameterSpec;
import org.trickbench.core.search.AlgorithmInfo;
import org.trickbench.core.search.Family;
import org.trickbench.core.search.SearchAlgorithm;
import org.trickbench.core.space.darts.DartsGenotype;
import org.trickbench.core.space.darts.DartsOp;
import org.trickbench.core.space.SpaceId;
import org.trickbench.core.space.nb201.Genotype;
import org.trickbench.core.space.nb201.Nb201Op;
import org.trickbench.core.trick.Trick;
import org.trickbench.core.trick.TrickInfo;
import org.trickbench.harness.matrix.Expansion;
import org.trickbench.harness.matrix.Matrices;
import org.trickbench.harness.matrix.MatrixDefinition;
import org.trickbench.harness.runner.Batching;
import org.trickbench.tricks.Tricks;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "list", mixinStandardHelpOptions = true,
        description = {"Lists what TrickBench knows: spaces, algorithms or matrix presets.", ""})
final class ListCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "WHAT", description = "One of: spaces, algorithms, tricks, matrices.")
    String what;

    @Override
    public Integer call() {
        PrintWriter w = spec.commandLine().getOut();
        switch (what) {
            case "spaces" -> {
                w.printf("nb201  NAS-Bench-201 (Dong & Yang, ICLR 2020, arXiv 2001.00326): %,d cells of 6 edges;"
                        + " ops %s%n", Genotype.SPACE_SIZE, String.join(", ", Nb201Op.ids()));
                w.printf("darts  DARTS CNN cells (Liu, Simonyan & Yang, ICLR 2019, arXiv 1806.09055): a normal and a"
                        + " reduction cell of 4 nodes, 2 edges each; ops %s (docs/spaces.md)%n",
                        String.join(", ", DartsGenotype.CANDIDATE_OPS.stream().map(DartsOp::id).toList()));
            }
            case "algorithms" -> {
                for (SearchAlgorithm a : Algorithms.all()) {
                    AlgorithmInfo info = a.info();
                    w.printf("%-14s %-10s %s%n", info.id(), info.family(), info.summary());
                    for (ParameterSpec p : info.parameters()) {
                        w.printf("%25s %s%n", "", p.summary());
                    }
                    w.printf("%25s spaces: %s%n", "", String.join(", ", a.spaces()));
                    w.printf("%25s reference: %s%n", "", info.reference());
                }
            }
            case "tricks" -> {
                for (Trick t : Tricks.all()) {
                    TrickInfo info = t.info();
                    w.printf("%-18s %-13s %-28s %-12s %s%n", info.id(), info.phasesText().replace(", ", "+"),
                            info.families().equals(Family.ALL) ? "all families" : info.familiesText(),
                            info.spaces().equals(SpaceId.ALL) ? "all spaces" : info.spacesText(), info.summary());
                    if (!t.spacesNote().isBlank()) {
                        w.printf("%20s not in other spaces: %s%n", "", t.spacesNote());
                    }
                    if (!Batching.batchable(t)) {
                        w.printf("%20s not batched: its runs train alone under --batch-runs%n", "");
                    }
                    for (ParameterSpec p : info.parameters()) {
                        w.printf("%20s %s%n", "", p.summary());
                    }
                    w.printf("%20s reference: %s%n", "", info.reference());
                }
            }
            case "matrices" -> {
                for (String name : Matrices.PRESETS) {
                    MatrixDefinition m = Matrices.load(name);
                    w.printf("%-11s %3d runs  %s%n", name, Expansion.expand(m).size(), m.description());
                }
            }
            default -> throw new UserInputException("bench list: unknown '" + what + "'; allowed: spaces, algorithms, tricks, matrices");
        }
        w.flush();
        return 0;
    }
}
