package org.trickbench.harness.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.trickbench.core.UserInputException;
import org.trickbench.harness.store.EpochRow;

/**
 * Renders {@link ReportData} as one self-contained HTML page: inline CSS, no scripts, fonts, images or
 * links, so it opens offline and can be archived with a paper. Every value from data is escaped.
 */
public final class HtmlReport {
    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9._-]+");

    private HtmlReport() {}

    /** Writes {@code outRoot/<matrix>/index.html} and returns its path. */
    public static Path write(ReportData data, Path outRoot) {
        String name = data.matrix();
        if (name == null || !SAFE_NAME.matcher(name).matches() || name.equals(".") || name.equals("..")) {
            throw new UserInputException("matrix name '" + name + "' cannot be a report folder: use letters, digits, '.', '_' and '-'");
        }
        Path dir = outRoot.resolve(name);
        Path page = dir.resolve("index.html");
        try {
            Files.createDirectories(dir);
            Path tmp = dir.resolve("index.html.tmp");
            Files.writeString(tmp, render(data));
            Files.move(tmp, page, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            // Every number the page shows, for scripts and papers; NaN is written as the string "NaN".
            Files.writeString(dir.resolve("analysis.json"), new com.fasterxml.jackson.databind.ObjectMapper()
                    .enable(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT).writeValueAsString(data));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + page, e);
        }
        return page;
    }

    public static String render(ReportData d) {
        StringBuilder h = new StringBuilder(16_384);
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<title>TrickBench report: ").append(esc(d.matrix())).append("</title>\n<style>")
                .append("body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:1100px;color:#222;padding:0 1em}")
                .append("table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}")
                .append("th{background:#f3f3f3}td.l,th.l{text-align:left}code{font-size:12px}")
                .append("td.g{max-width:26em;word-break:break-all}.wide{overflow-x:auto}")
                .append(".fail{color:#a00}details{margin:.3em 0}h2{border-bottom:1px solid #ddd;margin-top:1.6em}")
                .append("</style></head><body>\n");
        h.append("<h1>TrickBench report: ").append(esc(d.matrix())).append("</h1>\n");
        h.append("<p>Generated ").append(esc(d.generatedAt())).append(". Accuracies are final test accuracies of the"
                + " genotypes each run found, trained from scratch with the run's final protocol; the random baseline is trained"
                + " the same way.</p>\n");

        h.append("<h2>Summary</h2>\n<table><tr><th class=\"l\">status</th><th>runs</th></tr>\n");
        int total = 0;
        for (Map.Entry<String, Integer> e : new TreeMap<>(d.statusCounts()).entrySet()) {
            h.append("<tr><td class=\"l\">").append(esc(e.getKey())).append("</td><td>").append(e.getValue()).append("</td></tr>\n");
            total += e.getValue();
        }
        h.append("<tr><th class=\"l\">total</th><th>").append(total).append("</th></tr></table>\n");
        h.append("<p>Mean test accuracy of finished runs: <b>").append(pct(d.meanTestAccuracy())).append("</b>. ")
                .append("Evaluation cache hit rate: <b>").append(pct(d.evaluationCacheHitRate()))
                .append("</b> of finished runs reused a final training another run had done.</p>\n");

        for (AnalysisSummary a : d.analysis()) {
            analysisSection(h, a);
        }

        h.append("<h2>Runs</h2>\n<div class=\"wide\"><table><tr><th class=\"l\">run</th><th class=\"l\">algorithm</th><th>seed</th>")
                .append("<th class=\"l\">data set</th><th class=\"l\">status</th><th class=\"l\">genotype</th><th>params</th>")
                .append("<th>FLOPs</th><th>test acc</th><th>train acc</th><th>search s</th><th>train s</th></tr>\n");
        for (RunView r : d.runs()) {
            h.append("<tr><td class=\"l\"><code>").append(esc(shortId(r.runId()))).append("</code></td><td class=\"l\">")
                    .append(esc(r.algorithm())).append("</td><td>").append(r.seed()).append("</td><td class=\"l\">")
                    .append(esc(r.dataset())).append("</td><td class=\"l\">").append(esc(r.status()))
                    .append("</td><td class=\"l g\"><code>").append(esc(r.genotype() == null ? "" : r.genotype()))
                    .append("</code></td><td>").append(num(r.params())).append("</td><td>").append(num(r.flops()))
                    .append("</td><td>").append(pct(r.testAccuracy())).append("</td><td>").append(pct(r.trainAccuracy()))
                    .append("</td><td>").append(fmt(r.searchWallSeconds())).append("</td><td>")
                    .append(fmt(r.finalWallSeconds())).append("</td></tr>\n");
        }
        h.append("</table></div>\n");

        h.append("<h2>Training curves</h2>\n");
        for (RunView r : d.runs()) {
            if (r.finalEpochs().isEmpty()) {
                continue;
            }
            h.append("<details><summary><code>").append(esc(shortId(r.runId()))).append("</code> ")
                    .append(esc(r.algorithm())).append(" seed ").append(r.seed()).append("</summary>\n");
            h.append(curveTable(r.finalEpochs())).append("</details>\n");
        }

        List<RunView> failed = d.runs().stream().filter(r -> r.error() != null).toList();
        h.append("<h2>Failures</h2>\n");
        if (failed.isEmpty()) {
            h.append("<p>None.</p>\n");
        } else {
            h.append("<table><tr><th class=\"l\">run</th><th class=\"l\">status</th><th class=\"l\">reason</th></tr>\n");
            for (RunView r : failed) {
                h.append("<tr class=\"fail\"><td class=\"l\"><code>").append(esc(shortId(r.runId())))
                        .append("</code></td><td class=\"l\">").append(esc(r.status())).append("</td><td class=\"l\">")
                        .append(esc(r.error())).append("</td></tr>\n");
            }
            h.append("</table>\n");
        }

        h.append("<h2>Environment</h2>\n<table>\n");
        for (Map.Entry<String, String> e : new TreeMap<>(d.environment()).entrySet()) {
            h.append("<tr><th class=\"l\">").append(esc(e.getKey())).append("</th><td class=\"l\">")
                    .append(esc(e.getValue())).append("</td></tr>\n");
        }
        h.append("</table>\n<h2>Reproduce</h2>\n<p><code>").append(esc(d.reproduceCommand())).append("</code></p>\n");
        return h.append("</body></html>\n").toString();
    }

    /** One data set's analysis: every number also in a table, so the page reads without scripts. */
    private static void analysisSection(StringBuilder h, AnalysisSummary a) {
        h.append("<h2>Attribution: ").append(esc(a.dataset())).append("</h2>\n");
        String headline = a.headline();
        h.append("<p><b>").append(esc(headline == null ? "Not enough variation in this matrix to attribute the accuracy"
                + " (it needs several algorithms or tricks and more than one seed)." : headline)).append("</b></p>\n");

        h.append("<h3>Relative improvement over the random baseline</h3>\n<p>RI = 100 · (Acc − Acc_random) / Acc_random"
                + " (Yang et al., ICLR 2020), against random genotypes trained with the same final protocol.</p>\n");
        h.append("<table><tr><th class=\"l\">algorithm</th><th class=\"l\">tricks</th><th>runs</th><th>mean acc</th>"
                + "<th>baseline runs</th><th>baseline acc</th><th>RI %</th></tr>\n");
        for (var r : a.relativeImprovement()) {
            h.append("<tr><td class=\"l\">").append(esc(r.configuration().algorithm())).append("</td><td class=\"l\">")
                    .append(esc(r.configuration().trickLabel())).append("</td><td>").append(r.n()).append("</td><td>")
                    .append(pct(r.meanAccuracy())).append("</td><td>").append(r.baselineN()).append("</td><td>")
                    .append(pct(r.baselineMean())).append("</td><td>").append(fmt(r.relativeImprovement())).append("</td></tr>\n");
        }
        h.append("</table>\n");

        h.append("<h3>Trick effects</h3>\n");
        if (a.effects() == null) {
            h.append("<p>Not estimable: ").append(esc(a.effectsNote())).append("</p>\n");
        } else {
            h.append("<p>OLS over the design (±1 coding, algorithm as a factor); effect = accuracy with the trick on minus off,"
                    + " in points, with 95% t and seed-bootstrap intervals and Holm-adjusted p-values. Residual df ")
                    .append(a.effects().residualDegreesOfFreedom()).append(".</p>\n");
            h.append("<table><tr><th class=\"l\">term</th><th>effect</th><th>95% t interval</th><th>bootstrap</th>"
                    + "<th>p</th><th>Holm p</th></tr>\n");
            List<org.trickbench.harness.analysis.EffectEstimate> all = new ArrayList<>(a.effects().tricks());
            all.addAll(a.effects().algorithms());
            for (var e : all) {
                h.append("<tr><td class=\"l\">").append(esc(e.term())).append("</td><td>").append(points(e.effect()))
                        .append("</td><td>[").append(points(e.ciLow())).append(", ").append(points(e.ciHigh()))
                        .append("]</td><td>[").append(points(e.bootstrapLow())).append(", ").append(points(e.bootstrapHigh()))
                        .append("]</td><td>").append(fmt(e.pValue())).append("</td><td>").append(fmt(e.holmP()))
                        .append("</td></tr>\n");
            }
            h.append("</table>\n");
        }

        attributionSection(h, a);

        h.append("<h3>Variance decomposition</h3>\n");
        if (a.variance() == null) {
            h.append("<p>Not estimable: ").append(esc(a.varianceNote())).append("</p>\n");
        } else {
            h.append("<table><tr><th class=\"l\">source</th><th class=\"l\">term</th><th>df</th><th>share</th></tr>\n");
            for (var c : a.variance().components()) {
                h.append("<tr><td class=\"l\">").append(esc(c.source().toString().toLowerCase(Locale.ROOT)))
                        .append("</td><td class=\"l\">").append(esc(c.term())).append("</td><td>").append(c.degreesOfFreedom())
                        .append("</td><td>").append(pct(c.share())).append("</td></tr>\n");
            }
            h.append("</table>\n");
        }

        h.append("<h3>Seeds and architectures</h3>\n<table><tr><th class=\"l\">algorithm</th><th class=\"l\">tricks</th>"
                + "<th>runs</th><th>mean acc</th><th>seed sd</th></tr>\n");
        for (var r : a.seeds()) {
            h.append("<tr><td class=\"l\">").append(esc(r.configuration().algorithm())).append("</td><td class=\"l\">")
                    .append(esc(r.configuration().trickLabel())).append("</td><td>").append(r.n()).append("</td><td>")
                    .append(pct(r.mean())).append("</td><td>").append(points(r.standardDeviation())).append("</td></tr>\n");
        }
        h.append("</table>\n<table><tr><th class=\"l\">algorithm</th><th class=\"l\">tricks</th><th>genotypes</th>"
                + "<th>parameter-free edges</th><th>distinct genotypes</th></tr>\n");
        for (var r : a.architectures()) {
            h.append("<tr><td class=\"l\">").append(esc(r.configuration().algorithm())).append("</td><td class=\"l\">")
                    .append(esc(r.configuration().trickLabel())).append("</td><td>").append(r.genotypes()).append("</td><td>")
                    .append(pct(r.meanParameterFreeShare())).append("</td><td>").append(r.distinctGenotypes())
                    .append("</td></tr>\n");
        }
        h.append("</table>\n<p>Rank consistency of proxy scores with final accuracy: ");
        if (a.proxyRank() == null || a.proxyRank().n() < 2) {
            h.append("fewer than two runs with a proxy score.</p>\n");
        } else {
            h.append("Kendall τ ").append(fmt(a.proxyRank().kendallTau())).append(", Spearman ρ ")
                    .append(fmt(a.proxyRank().spearmanRho())).append(" over ").append(a.proxyRank().n()).append(" runs.</p>\n");
        }
    }

    /** The search-side versus train-side attribution table: one row per algorithm (and pooled) and contrast. */
    private static void attributionSection(StringBuilder h, AnalysisSummary a) {
        if (a.attribution().isEmpty() && a.attributionNote() == null) {
            return;
        }
        h.append("<h3>Architecture versus training</h3>\n");
        if (a.attributionNote() != null) {
            h.append("<p>Not estimable: ").append(esc(a.attributionNote())).append("</p>\n");
            return;
        }
        h.append("<p>Each run with tricks on against its base run (every trick off; same algorithm and seed), crossed:"
                + " the genotype found with the tricks trained without them (architecture), the base's genotype trained"
                + " with them (training), and the rest (interaction). Points, with 95% t intervals over seeds; shares of"
                + " the total with seed-bootstrap intervals.</p>\n");
        h.append("<table><tr><th class=\"l\">algorithm</th><th class=\"l\">tricks</th><th>seeds</th><th>total</th>"
                + "<th>architecture</th><th>training</th><th>interaction</th><th>architecture share</th>"
                + "<th>training share</th></tr>\n");
        for (var r : a.attribution()) {
            h.append("<tr><td class=\"l\">").append(esc(r.algorithm())).append("</td><td class=\"l\">")
                    .append(esc(r.contrast())).append("</td><td>").append(r.seeds()).append("</td>");
            for (var e : List.of(r.total(), r.architecture(), r.training(), r.interaction())) {
                h.append("<td>").append(points(e.mean())).append(" [").append(points(e.ciLow())).append(", ")
                        .append(points(e.ciHigh())).append("]</td>");
            }
            for (var s : List.of(r.architectureShare(), r.trainingShare())) {
                h.append("<td>").append(pct(s.value())).append(" [").append(pct(s.low())).append(", ")
                        .append(pct(s.high())).append("]</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</table>\n");
    }

    private static String points(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%+.2f", 100 * v);
    }

    private static String curveTable(List<EpochRow> rows) {
        TreeSet<String> metrics = new TreeSet<>();
        TreeMap<Integer, Map<String, Double>> byEpoch = new TreeMap<>();
        for (EpochRow e : rows) {
            metrics.add(e.metric());
            byEpoch.computeIfAbsent(e.epoch(), k -> new TreeMap<>()).put(e.metric(), e.value());
        }
        StringBuilder t = new StringBuilder("<table><tr><th>epoch</th>");
        List<String> cols = new ArrayList<>(metrics);
        cols.forEach(m -> t.append("<th>").append(esc(m)).append("</th>"));
        t.append("</tr>\n");
        byEpoch.forEach((epoch, values) -> {
            t.append("<tr><td>").append(epoch + 1).append("</td>");
            cols.forEach(m -> t.append("<td>").append(fmt(values.get(m))).append("</td>"));
            t.append("</tr>\n");
        });
        return t.append("</table>\n").toString();
    }

    /**
     * HTML-escapes text for element content and quoted attributes. Hand-written: five replacements do
     * not justify a dependency.
     */
    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    private static String shortId(String id) {
        return id == null ? "" : id.substring(0, Math.min(10, id.length()));
    }

    private static String pct(Double v) {
        return v == null || v.isNaN() ? "–" : String.format(Locale.ROOT, "%.2f%%", 100 * v);
    }

    private static String num(Long v) {
        return v == null ? "–" : String.format(Locale.ROOT, "%,d", v);
    }

    private static String fmt(Double v) {
        if (v == null || v.isNaN()) {
            return "–";
        }
        return Math.abs(v) >= 100 || v == Math.rint(v) && Math.abs(v) < 1e6
                ? String.format(Locale.ROOT, "%.1f", v) : String.format(Locale.ROOT, "%.4f", v);
    }
}
