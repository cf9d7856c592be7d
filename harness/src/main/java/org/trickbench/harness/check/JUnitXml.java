package org.trickbench.harness.check;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.trickbench.core.UserInputException;

/**
 * The check as JUnit XML (the de-facto Ant/Surefire schema CI systems display): one test case per
 * configuration, a failure element for each regression, warnings as system-out. Written by hand: the
 * format is a dozen lines and a library for it would outweigh the code.
 */
public final class JUnitXml {
    private JUnitXml() {}

    public static String render(String matrix, RegressionCheck.Result result) {
        long failures = result.rows().stream().filter(RegressionCheck.Row::failed).count();
        StringBuilder x = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        x.append(String.format(Locale.ROOT, "<testsuite name=\"bench check %s\" tests=\"%d\" failures=\"%d\" errors=\"0\" skipped=\"0\">%n",
                esc(matrix), result.rows().size(), failures));
        for (RegressionCheck.Row r : result.rows()) {
            x.append("  <testcase classname=\"bench.check.").append(esc(matrix)).append("\" name=\"").append(esc(r.key()))
                    .append("\"");
            if (r.failed()) {
                x.append(">\n    <failure message=\"").append(esc(message(r))).append("\" type=\"").append(esc(r.verdict()))
                        .append("\">").append(esc(message(r))).append("</failure>\n  </testcase>\n");
            } else {
                x.append("/>\n");
            }
        }
        if (!result.warnings().isEmpty()) {
            x.append("  <system-out>").append(esc(String.join("\n", result.warnings()))).append("</system-out>\n");
        }
        return x.append("</testsuite>\n").toString();
    }

    public static void write(Path file, String matrix, RegressionCheck.Result result) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(file, render(matrix, result));
        } catch (IOException e) {
            throw new UserInputException("--junit " + file + ": cannot write: " + e.getMessage());
        }
    }

    static String message(RegressionCheck.Row r) {
        if (r.verdict().equals("MISSING")) {
            return r.detail();
        }
        return String.format(Locale.ROOT, "%s: %.2f%% now vs %.2f%% baseline (delta %+.2f points, allowed -%.2f)", r.verdict(),
                100 * r.nowMean(), 100 * r.baselineMean(), 100 * r.delta(), 100 * r.threshold());
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&apos;");
    }
}
