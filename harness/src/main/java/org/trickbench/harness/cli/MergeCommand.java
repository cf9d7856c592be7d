package org.trickbench.harness.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.trickbench.core.UserInputException;
import org.trickbench.harness.store.Store;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "merge", mixinStandardHelpOptions = true,
        description = {
            "Unions shard databases (from `bench run --shard i/n --db shard-i.db`) into one, by run id.",
            "Idempotent: merging the same file again adds nothing. A run or evaluation finished in two files with",
            "different results is listed as a conflict (evidence of non-determinism) and exits 1.",
            ""})
final class MergeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "DB", description = "Databases to merge.")
    List<Path> sources;

    @Option(names = "--into", required = true, paramLabel = "DB", description = "Target database (created if missing).")
    Path into;

    @Override
    public Integer call() {
        PrintWriter w = spec.commandLine().getOut();
        int conflicts = 0;
        for (Path source : sources) {
            if (!Files.isRegularFile(source)) {
                throw new UserInputException(source + ": no such database");
            }
            if (source.toAbsolutePath().normalize().equals(into.toAbsolutePath().normalize())) {
                throw new UserInputException(source + " is also the --into target; merge into another file");
            }
        }
        // Every source is opened (and its pages checked) before the target is touched, so a damaged source
        // stops the merge with nothing merged.
        for (Path source : sources) {
            Store.open(source).close();
        }
        try (Store target = Store.open(into)) {
            for (Path source : sources) {
                Store.MergeReport r = target.mergeFrom(source);
                w.printf("%s: %d runs added, %d completed, %d evaluations added, %d conflicts%n", source, r.runsAdded(),
                        r.runsCompleted(), r.evaluationsAdded(), r.conflicts().size());
                r.conflicts().forEach(c -> w.println("  conflict: " + c));
                conflicts += r.conflicts().size();
            }
        }
        w.flush();
        return conflicts > 0 ? Bench.EXIT_FAILED : 0;
    }
}
