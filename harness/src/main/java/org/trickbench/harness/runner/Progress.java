package org.trickbench.harness.runner;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;

/**
 * Progress for people: on a terminal, one status line rewritten in place (runs done/total, the current
 * run, its epoch and an ETA); elsewhere (CI logs, files) plain lines, one per epoch, that read well
 * when scrolled. The ETA extrapolates the epochs trained so far over the epochs still to train.
 *
 * <p>Several runs may report at once ({@code --parallel}): every method is synchronized, so lines never
 * tear, and each run reports through its own {@link Run}, which can start its lines with the run's id.
 */
public final class Progress {
    private final PrintWriter out;
    private final boolean terminal;
    private final long started = System.nanoTime();
    private long epochsDone;
    private long epochsLeft;
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
    public synchronized void plan(long epochs) {
        epochsLeft = epochs;
    }

    public synchronized void line(String format, Object... args) {
        clearStatus();
        out.printf(Locale.ROOT, format + "%n", args);
        out.flush();
    }

    /**
     * The output of one run. {@code labelled}: several runs report at once, so each of this run's lines
     * starts with its short id.
     */
    public Run run(String shortId, boolean labelled) {
        return new Run(labelled ? shortId + " " : "");
    }

    /** One run's lines, epochs and skipped work. */
    public final class Run {
        private final String prefix;
        private String current = "";

        private Run(String prefix) {
            this.prefix = prefix;
        }

        public void started(int position, int total, String description) {
            current = "[" + position + "/" + total + "] " + description;
            Progress.this.line("%s", current);
        }

        public void line(String format, Object... args) {
            Progress.this.line("%s", prefix + String.format(Locale.ROOT, format, args));
        }

        /** One epoch of this run's training finished. */
        public void epoch(int epoch, int epochs, String metrics) {
            Progress.this.epoch(this, epoch, epochs, metrics);
        }

        public void skipEpochs(long epochs) {
            Progress.this.skipEpochs(epochs);
        }
    }

    private synchronized void epoch(Run run, int epoch, int epochs, String metrics) {
        epochsDone++;
        epochsLeft = Math.max(0, epochsLeft - 1);
        if (terminal) {
            String status = String.format(Locale.ROOT, "%s  epoch %d/%d  %s  ETA %s", run.current, epoch, epochs, metrics, eta());
            out.print("\r" + status + " ".repeat(Math.max(0, lineWidth - status.length())));
            lineWidth = status.length();
            out.flush();
        } else {
            line("%s  epoch %d/%d  %s", run.prefix, epoch, epochs, metrics);
        }
    }

    /** A run will not train the epochs planned for it (cache hit, failure, already done). */
    public synchronized void skipEpochs(long epochs) {
        epochsLeft = Math.max(0, epochsLeft - epochs);
    }

    synchronized String eta() {
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
