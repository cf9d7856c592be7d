package org.trickbench.harness.runner;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;

/**
 * Progress for people: on a terminal, one status line rewritten in place (runs done/total, the current
 * run, its epoch and an ETA); elsewhere (CI logs, files) plain lines, one per epoch, that read well
 * when scrolled. The ETA extrapolates the epochs trained so far over the epochs still to train.
 */
public final class Progress {
    private final PrintWriter out;
    private final boolean terminal;
    private final long started = System.nanoTime();
    private long epochsDone;
    private long epochsLeft;
    private String current = "";
    private int lineWidth;

    public Progress(PrintWriter out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    /** Whether standard output is an interactive terminal. */
    public static boolean stdoutIsTerminal() {
        return System.console() != null && System.getenv("CI") == null;
    }

    /** The total work ahead, in training epochs. */
    public void plan(long epochs) {
        epochsLeft = epochs;
    }

    public void line(String format, Object... args) {
        clearStatus();
        out.printf(Locale.ROOT, format + "%n", args);
        out.flush();
    }

    public void runStarted(int position, int total, String description) {
        current = "[" + position + "/" + total + "] " + description;
        line("%s", current);
    }

    /** One epoch of the current run's training finished. */
    public void epoch(int epoch, int epochs, String metrics) {
        epochsDone++;
        epochsLeft = Math.max(0, epochsLeft - 1);
        if (terminal) {
            String status = String.format(Locale.ROOT, "%s  epoch %d/%d  %s  ETA %s", current, epoch, epochs, metrics, eta());
            out.print("\r" + status + " ".repeat(Math.max(0, lineWidth - status.length())));
            lineWidth = status.length();
            out.flush();
        } else {
            line("  epoch %d/%d  %s", epoch, epochs, metrics);
        }
    }

    /** A run will not train the epochs planned for it (cache hit, failure, already done). */
    public void skipEpochs(long epochs) {
        epochsLeft = Math.max(0, epochsLeft - epochs);
    }

    String eta() {
        if (epochsDone == 0) {
            return "unknown";
        }
        double perEpoch = (System.nanoTime() - started) / 1e9 / epochsDone;
        Duration d = Duration.ofSeconds(Math.round(perEpoch * epochsLeft));
        return d.toHours() > 0 ? String.format(Locale.ROOT, "%dh%02dm", d.toHours(), d.toMinutesPart())
                : String.format(Locale.ROOT, "%dm%02ds", d.toMinutes(), d.toSecondsPart());
    }

    private void clearStatus() {
        if (terminal && lineWidth > 0) {
            out.print("\r" + " ".repeat(lineWidth) + "\r");
            lineWidth = 0;
        }
    }
}
