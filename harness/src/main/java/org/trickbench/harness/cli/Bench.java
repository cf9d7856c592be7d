package org.trickbench.harness.cli;

import java.io.PrintWriter;
import org.trickbench.core.UserInputException;
import org.trickbench.harness.runner.Environment;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code bench}: runs NAS algorithms × training tricks × seeds under one protocol, stores every run
 * in SQLite and reports how much of an accuracy gain belongs to the architecture and how much to the
 * tricks. Exit codes: 0 ok; 1 runs or checks failed; 2 usage or input error.
 */
@Command(name = "bench",
        mixinStandardHelpOptions = true,
        versionProvider = Bench.Version.class,
        description = {
            "Attributes NAS accuracy gains to the searched architecture versus the training tricks around it.",
            "",
            "Typical use:",
            "  bench run --matrix smoke --report     tiny end-to-end run (seconds on a CPU)",
            "  bench status                          what the database holds",
            "  bench show 3f9a0c1b                   one run: spec, environment, results",
            "  bench diff 3f9a0c1b 77e2d410          what differs between two runs",
            "  bench report --matrix smoke           HTML report under reports/<matrix>/",
            "  bench genotype '|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|'",
            ""},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:some runs failed", "2:usage or input error (bad argument, missing or corrupt data)"},
        subcommands = {RunCommand.class, ReportCommand.class, StatusCommand.class, ShowCommand.class, DiffCommand.class,
            ListCommand.class, GenotypeCommand.class, MergeCommand.class, CheckCommand.class, ExportCommand.class,
            ImportCommand.class, PerfCommand.class, CommandLine.HelpCommand.class})
public final class Bench {
    public static final int EXIT_FAILED = 1;
    public static final int EXIT_USAGE = 2;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line; tests call {@code execute} on it with captured writers. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Bench());
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof UserInputException) {
                PrintWriter err = commandLine.getErr();
                err.println("bench: " + e.getMessage());
                err.flush();
                return EXIT_USAGE;
            }
            throw e;
        });
        return cl;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"TrickBench " + Environment.codeVersion()};
        }
    }
}
