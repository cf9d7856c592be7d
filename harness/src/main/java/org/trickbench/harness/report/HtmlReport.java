package org.trickbench.harness.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.trickbench.core.UserInputException;
import org.trickbench.core.run.Canonical;
import org.trickbench.harness.store.EpochRow;
import org.trickbench.harness.store.RunStatus;

/**
 * Renders {@link ReportData} as one self-contained HTML page: inline CSS, and inline scripts only (the
 * chart data as JSON, ECharts, and the code that draws the charts); no fonts, images, links or
 * requests, so it opens offline and can be archived with a paper. Every number a chart draws is also
 * in a table, so the page reads without scripts. Every value from data is escaped: as HTML in the
 * page, as JSON inside the script block (see {@link InlineScripts#json}).
 */
public final class HtmlReport {
    /** Matrix names, and '+' joining several for a report of them together. */
    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9._+-]+");

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
            Files.writeString(dir.resolve("analysis.json"), AnalysisJson.of(data));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + page, e);
        }
        return page;
    }

    /** The headings of each data set's analysis, in page order; every one is present whatever the data. */
    public static final List<String> ANALYSIS_SECTIONS = List.of("Relative improvement over the random baseline",
            "Trick effects", "Training tricks on random versus searched genotypes", "Variance decomposition", "Seed variance", "Architectures", "Rank consistency",
            "Accuracy versus search cost");
    /** The page's top-level headings after the summary and the per-data-set analysis. */
    public static final List<String> SECTIONS = List.of("Summary", "Runs", "Training curves", "Failures", "Environment",
            "Reproduce");

    public static String render(ReportData d) {
        StringBuilder h = new StringBuilder(16_384);
        ReportCharts charts = new ReportCharts();
        head(h, d);
        summarySection(h, d);
        for (AnalysisSummary a : d.analysis()) {
            analysisSection(h, charts, a, d);
        }
        runsSection(h, d);
        curvesSection(h, charts, d);
        failuresSection(h, d);
        environmentSection(h, d);
        scripts(h, charts);
        return h.append("</body></html>\n").toString();
    }

    private static void head(StringBuilder h, ReportData d) {
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<title>TrickBench report: ").append(esc(d.matrix())).append("</title>\n<style>")
                .append("body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:1100px;color:#222;padding:0 1em}")
                .append("table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}")
                .append("th{background:#f3f3f3}td.l,th.l{text-align:left}code{font-size:12px}")
                .append("td.g{max-width:26em;word-break:break-all}.wide{overflow-x:auto}")
                .append(".fail{color:#a00}details{margin:.3em 0}h2{border-bottom:1px solid #ddd;margin-top:1.6em}")
                // Chart containers stay out of the way until the inline script has drawn into them, so the
                // page without scripts is the tables alone.
                .append(".chart{display:none;width:100%;margin:.8em 0 1.2em}.js .chart{display:block}")
                .append("</style></head><body>\n");
        h.append("<h1>TrickBench report: ").append(esc(d.matrix())).append("</h1>\n");
        h.append("<p>Generated ").append(esc(d.generatedAt())).append(". Accuracies are final test accuracies of the"
                + " genotypes each run found, trained from scratch with the run's final protocol; the random baseline is trained"
                + " the same way.</p>\n");
    }

    private static void summarySection(StringBuilder h, ReportData d) {
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
    }

    private static void runsSection(StringBuilder h, ReportData d) {
        h.append("<h2>Runs</h2>\n<div class=\"wide\"><table><tr><th class=\"l\">run</th><th class=\"l\">algorithm</th>")
                .append("<th class=\"l\">tricks</th><th>seed</th>")
                .append("<th class=\"l\">data set</th><th class=\"l\">status</th><th class=\"l\">genotype</th><th>params</th>")
                .append("<th>FLOPs</th><th>test acc</th><th>train acc</th><th>proxy</th><th>search s</th><th>train s</th></tr>\n");
        for (RunView r : d.runs()) {
            h.append("<tr><td class=\"l\"><code>").append(esc(Canonical.shortId(r.runId()))).append("</code></td><td class=\"l\">")
                    .append(esc(r.algorithm())).append("</td><td class=\"l\">").append(esc(r.tricks()))
                    .append("</td><td>").append(r.seed()).append("</td><td class=\"l\">")
                    .append(esc(r.dataset())).append("</td><td class=\"l\">").append(esc(r.status()))
                    .append("</td><td class=\"l g\"><code>").append(esc(r.genotype() == null ? "" : r.genotype()))
                    .append("</code></td><td>").append(num(r.params())).append("</td><td>").append(num(r.flops()))
                    .append("</td><td>").append(pct(r.testAccuracy())).append("</td><td>").append(pct(r.trainAccuracy()))
                    .append("</td><td>").append(fmt(r.proxyScore()))
                    .append("</td><td>").append(fmt(r.searchWallSeconds())).append("</td><td>")
                    .append(fmt(r.finalWallSeconds())).append("</td></tr>\n");
        }
        h.append("</table></div>\n");
    }

    /** A chart per metric with a line per run, then each run's numbers in a table of its own. */
    private static void curvesSection(StringBuilder h, ReportCharts charts, ReportData d) {
        h.append("<h2>Training curves</h2>\n");
        List<RunView> curved = d.runs().stream().filter(r -> !r.finalEpochs().isEmpty()).toList();
        if (curved.isEmpty()) {
            h.append("<p>No run has per-epoch metrics yet.</p>\n");
        }
        // Accuracies first, then losses, then the rest (learning rate, seconds): what a reader looks for first.
        TreeSet<String> metrics = new TreeSet<>(Comparator.comparing((String m) -> m.endsWith("_acc") ? 0
                : m.endsWith("_loss") ? 1 : 2).thenComparing(m -> m));
        curved.forEach(r -> r.finalEpochs().forEach(e -> metrics.add(e.metric())));
        metrics.forEach(m -> h.append(charts.curves(m, curved)));
        for (RunView r : curved) {
            h.append("<details><summary><code>").append(esc(Canonical.shortId(r.runId()))).append("</code> ")
                    .append(esc(r.configurationLabel())).append(" seed ").append(r.seed()).append("</summary>\n");
            h.append(curveTable(r.finalEpochs())).append("</details>\n");
        }
    }

    private static void failuresSection(StringBuilder h, ReportData d) {
        List<RunView> failed = d.runs().stream().filter(r -> r.error() != null).toList();
        h.append("<h2>Failures</h2>\n");
        if (failed.isEmpty()) {
            h.append("<p>None.</p>\n");
        } else {
            h.append("<table><tr><th class=\"l\">run</th><th class=\"l\">status</th><th class=\"l\">reason</th></tr>\n");
            for (RunView r : failed) {
                h.append("<tr class=\"fail\"><td class=\"l\"><code>").append(esc(Canonical.shortId(r.runId())))
                        .append("</code></td><td class=\"l\">").append(esc(r.status())).append("</td><td class=\"l\">")
                        .append(esc(r.error())).append("</td></tr>\n");
            }
            h.append("</table>\n");
        }
    }

    private static void environmentSection(StringBuilder h, ReportData d) {
        h.append("<h2>Environment</h2>\n<table>\n");
        for (Map.Entry<String, String> e : new TreeMap<>(d.environment()).entrySet()) {
            h.append("<tr><th class=\"l\">").append(esc(e.getKey())).append("</th><td class=\"l\">")
                    .append(esc(e.getValue())).append("</td></tr>\n");
        }
        h.append("</table>\n<h2>Reproduce</h2>\n<p><code>").append(esc(d.reproduceCommand())).append("</code></p>\n");
    }

    /**
     * The chart data as one JSON block, then ECharts and the code that draws it, all inline so the page
     * stays one file that opens offline. Without charts the page carries no script at all.
     */
    private static void scripts(StringBuilder h, ReportCharts charts) {
        if (charts.isEmpty()) {
            return;
        }
        h.append("<script type=\"application/json\" id=\"report-charts\">").append(charts.json()).append("</script>\n")
                .append("<script>").append(InlineScripts.echarts()).append("</script>\n")
                .append("<script>").append(InlineScripts.charts()).append("</script>\n");
    }

    /** One data set's analysis: every number also in a table, so the page reads without scripts. */
    private static void analysisSection(StringBuilder h, ReportCharts charts, AnalysisSummary a, ReportData d) {
        h.append("<h2>Attribution: ").append(esc(a.dataset()))
                .append(a.protocol() == null ? "" : " · " + esc(a.protocol())).append("</h2>\n");
        String headline = a.headline();
        h.append("<p><b>").append(esc(headline == null ? "Not enough variation in this matrix to attribute the accuracy"
                + " (it needs several algorithms or tricks and more than one seed)." : headline)).append("</b></p>\n");
        List<RunView> finished = d.runs().stream().filter(r -> r.dataset().equals(a.dataset())
                && java.util.Objects.equals(r.protocol(), a.protocol())
                && RunStatus.DONE.is(r.status()) && r.testAccuracy() != null).toList();
        relativeImprovementSection(h, charts, a);
        effectsSection(h, charts, a, d.trickPhases());
        protocolGainSection(h, a, d.trickPhases());
        attributionSection(h, a);
        varianceSection(h, charts, a);
        seedSection(h, charts, a);
        architectureSection(h, charts, a);
        rankSection(h, charts, a, finished);
        costSection(h, charts, a, finished);
    }

    /** A section's heading and, when some trick is on in every run, the line that says it is not a factor. */
    private static void heading(StringBuilder h, AnalysisSummary a, String title) {
        h.append("<h3>").append(esc(title)).append("</h3>\n");
        if (a.protocolTricksNote() != null) {
            h.append("<p class=\"protocol\">").append(esc(a.protocolTricksNote())).append("</p>\n");
        }
    }

    private static void relativeImprovementSection(StringBuilder h, ReportCharts charts, AnalysisSummary a) {
        heading(h, a, "Relative improvement over the random baseline");
        h.append("<p>RI = 100 · (Acc − Acc_random) / Acc_random"
                + " (Yang et al., ICLR 2020), against random genotypes trained with the same final protocol.</p>\n");
        if (a.relativeImprovement().isEmpty()) {
            h.append("<p>No searched configuration on this data set: only the random baseline ran.</p>\n");
            return;
        }
        if (a.relativeImprovementNote() != null) {
            h.append("<p>").append(esc(a.relativeImprovementNote())).append("</p>\n");
        }
        List<ReportCharts.Bar> bars = new ArrayList<>();
        for (var r : a.relativeImprovement()) {
            String label = r.configuration().algorithm() + " · " + r.configuration().trickLabel();
            bars.add(new ReportCharts.Bar(label, r.relativeImprovement(), r.riLow(), r.riHigh(), List.of(label,
                    "RI " + fmt(r.relativeImprovement()) + " %"
                            + (Double.isNaN(r.riLow()) ? "" : ", 95% interval " + riInterval(r)),
                    "mean accuracy " + pct(r.meanAccuracy()) + " over " + r.n()
                            + " runs", "random baseline " + pct(r.baselineMean()) + " over " + r.baselineN() + " runs")));
        }
        h.append(charts.bars("Relative improvement over the random baseline", "RI (%)", bars));
        if (a.relativeImprovement().stream().anyMatch(r -> r.configuration().algorithm().endsWith(ReportBuilder.REFERENCE))) {
            h.append("<p>Rows marked ").append(ReportBuilder.REFERENCE).append(" are reference cells: a given genotype"
                    + " (algorithm fixed) trained under the same protocol, not the result of a search.</p>\n");
        }
        h.append("<p>Whiskers: 95% interval over seeds (Welch t interval of the difference between the configuration's"
                + " runs and the baseline's, over Acc_random); none where a side has fewer than two runs.</p>\n");
        h.append("<table><tr><th class=\"l\">algorithm</th><th class=\"l\">tricks</th><th>runs</th><th>mean acc</th>"
                + "<th>baseline runs</th><th>baseline acc</th><th>RI %</th><th>95% interval</th></tr>\n");
        for (var r : a.relativeImprovement()) {
            h.append("<tr><td class=\"l\">").append(esc(r.configuration().algorithm())).append("</td><td class=\"l\">")
                    .append(esc(r.configuration().trickLabel())).append("</td><td>").append(r.n()).append("</td><td>")
                    .append(pct(r.meanAccuracy())).append("</td><td>").append(r.baselineN()).append("</td><td>")
                    .append(pct(r.baselineMean())).append("</td><td>").append(fmt(r.relativeImprovement()))
                    .append("</td><td>").append(riInterval(r)).append("</td></tr>\n");
        }
        h.append("</table>\n");
    }

    private static String riInterval(org.trickbench.harness.analysis.RelativeImprovement.Result r) {
        return Double.isNaN(r.riLow()) ? "–" : String.format(Locale.ROOT, "[%.2f, %.2f]", r.riLow(), r.riHigh());
    }

    /**
     * Trick effects as forest plots, one per phase the tricks act in (a search-side trick's on/off
     * effect holds what it changes in the search and in the final training; a train-only trick's, the
     * final training alone), then the algorithm contrasts; then all of them in one table.
     */
    private static void effectsSection(StringBuilder h, ReportCharts charts, AnalysisSummary a, Map<String, String> phases) {
        heading(h, a, "Trick effects");
        if (a.effects() == null) {
            h.append("<p>Not estimable: ").append(esc(a.effectsNote())).append("</p>\n");
            return;
        }
        boolean bootstrap = a.effects().bootstrapResamples() > 0;
        h.append("<p>OLS over the design (±1 coding, algorithm as a factor); effect = accuracy with the trick on minus off,"
                + " in points, with 95% t").append(bootstrap ? " and seed-bootstrap intervals" : " intervals")
                .append(" and Holm-adjusted p-values. Residual df ")
                .append(a.effects().residualDegreesOfFreedom()).append(".</p>\n");
        if (a.bootstrapNote() != null) {
            h.append("<p>").append(esc(a.bootstrapNote())).append("</p>\n");
        }
        Map<String, List<org.trickbench.harness.analysis.EffectEstimate>> byPhase = new TreeMap<>();
        a.effects().tricks().forEach(e -> byPhase.computeIfAbsent(phase(phases, e.term()), k -> new ArrayList<>()).add(e));
        byPhase.forEach((phase, effects) -> h.append(charts.forest(phaseTitle(phase), effects,
                term -> "on minus off, acts in " + phase(phases, term), a.effects().tricks())));
        if (!a.effects().algorithms().isEmpty()) {
            String reference = a.effects().referenceAlgorithm();
            h.append(charts.forest("Algorithms against " + reference + " at equal tricks", a.effects().algorithms(),
                    term -> "accuracy minus " + reference + "'s", a.effects().algorithms()));
        }
        h.append("<table><tr><th class=\"l\">term</th><th class=\"l\">acts in</th><th>effect</th><th>95% t interval</th>")
                .append(bootstrap ? "<th>bootstrap</th>" : "").append("<th>p</th><th>Holm p</th></tr>\n");
        List<org.trickbench.harness.analysis.EffectEstimate> all = new ArrayList<>(a.effects().tricks());
        all.addAll(a.effects().interactions());
        all.addAll(a.effects().algorithms());
        for (var e : all) {
            String actsIn = a.effects().tricks().contains(e) ? phase(phases, e.term())
                    : a.effects().interactions().contains(e) ? "interaction" : "algorithm";
            h.append("<tr><td class=\"l\">").append(esc(e.term())).append("</td><td class=\"l\">").append(esc(actsIn))
                    .append("</td><td>").append(points(e.effect()))
                    .append("</td><td>[").append(points(e.ciLow())).append(", ").append(points(e.ciHigh())).append("]");
            if (bootstrap) {
                h.append("</td><td>[").append(points(e.bootstrapLow())).append(", ").append(points(e.bootstrapHigh()))
                        .append("]");
            }
            h.append("</td><td>").append(pValue(e.pValue())).append("</td><td>").append(pValue(e.holmP()))
                    .append("</td></tr>\n");
        }
        h.append("</table>\n");
        if (!a.effects().interactions().isEmpty()) {
            h.append("<p>An interaction a:b is half the difference between a's effect with b on and with b off.</p>\n");
        } else if (a.effectsNote() != null) {
            h.append("<p>").append(esc(a.effectsNote())).append("</p>\n");
        }
    }

    /**
     * Each training trick's effect over the random baseline against its effect over the searched runs:
     * a gain that random cells get as well is the protocol's, not the search's.
     */
    private static void protocolGainSection(StringBuilder h, AnalysisSummary a, Map<String, String> phases) {
        heading(h, a, "Training tricks on random versus searched genotypes");
        if (a.protocolGainNote() != null) {
            h.append("<p>Not estimable: ").append(esc(a.protocolGainNote())).append("</p>\n");
            return;
        }
        h.append("<p>On minus off, in points: over the random-baseline runs (cells drawn uniformly, trained with the"
                + " same protocol) and over the searched runs (algorithm as a factor), each a main-effects OLS fit with"
                + " its 95% t interval; the difference searched − random has a Welch t interval. A trick whose gain random"
                + " cells share is a protocol gain; a difference away from zero means it helps or hurts the searched"
                + " cells more.</p>\n");
        h.append("<table><tr><th class=\"l\">trick</th><th class=\"l\">acts in</th><th>on random</th>"
                + "<th>on searched</th><th>searched − random</th><th>p</th><th class=\"l\">reading</th></tr>\n");
        for (var r : a.protocolGain()) {
            h.append("<tr><td class=\"l\">").append(esc(r.trick())).append("</td><td class=\"l\">")
                    .append(esc(phase(phases, r.trick()))).append("</td>");
            for (var e : List.of(r.onRandom(), r.onSearched())) {
                h.append("<td>").append(points(e.effect())).append(" [").append(points(e.ciLow())).append(", ")
                        .append(points(e.ciHigh())).append("]</td>");
            }
            h.append("<td>").append(points(r.difference())).append(" [").append(points(r.differenceLow())).append(", ")
                    .append(points(r.differenceHigh())).append("]</td><td>").append(pValue(r.differenceP()))
                    .append("</td><td class=\"l\">").append(esc(r.reading())).append("</td></tr>\n");
        }
        h.append("</table>\n");
    }

    private static String phase(Map<String, String> phases, String trick) {
        return phases.getOrDefault(trick, "unknown");
    }

    private static String phaseTitle(String phase) {
        return switch (phase) {
            case "search+train" -> "Search-side tricks (act in the search and the final training)";
            case "train" -> "Train-side tricks (act in the final training only)";
            case "search" -> "Search-side tricks (act in the search only)";
            default -> "Tricks this build does not know (phase " + phase + ")";
        };
    }

    private static void varianceSection(StringBuilder h, ReportCharts charts, AnalysisSummary a) {
        heading(h, a, "Variance decomposition");
        if (a.variance() == null) {
            h.append("<p>Not estimable: ").append(esc(a.varianceNote())).append("</p>\n");
            return;
        }
        if (a.varianceNote() != null) {
            h.append("<p>").append(esc(a.varianceNote())).append("</p>\n");
        }
        List<ReportCharts.Bar> bars = new ArrayList<>();
        for (var c : a.variance().components()) {
            String source = c.source().toString().toLowerCase(Locale.ROOT);
            String label = source.equals(c.term()) ? source : source + ": " + c.term();
            bars.add(new ReportCharts.Bar(label, 100 * c.share(), List.of(label, pct(c.share()) + " of the variance",
                    c.degreesOfFreedom() + " degrees of freedom")));
        }
        h.append(charts.bars("Share of accuracy variance", "share of variance (%)", bars));
        h.append("<table><tr><th class=\"l\">source</th><th class=\"l\">term</th><th>df</th><th>share</th></tr>\n");
        for (var c : a.variance().components()) {
            h.append("<tr><td class=\"l\">").append(esc(c.source().toString().toLowerCase(Locale.ROOT)))
                    .append("</td><td class=\"l\">").append(esc(c.term())).append("</td><td>").append(c.degreesOfFreedom())
                    .append("</td><td>").append(pct(c.share())).append("</td></tr>\n");
        }
        h.append("</table>\n");
    }

    private static void seedSection(StringBuilder h, ReportCharts charts, AnalysisSummary a) {
        heading(h, a, "Seed variance");
        h.append("<p>Final accuracy over the runs of each configuration: the noise floor an"
                + " effect has to clear.</p>\n");
        if (!a.seeds().isEmpty()) {
            h.append(charts.seedBoxes("Final accuracy per configuration over seeds", a.seeds()));
        }
        h.append("<table><tr><th class=\"l\">algorithm</th><th class=\"l\">tricks</th><th>runs</th><th>mean acc</th>"
                + "<th>seed sd</th><th>min</th><th>lower quartile</th><th>median</th><th>upper quartile</th><th>max</th></tr>\n");
        for (var r : a.seeds()) {
            h.append("<tr><td class=\"l\">").append(esc(r.configuration().algorithm())).append("</td><td class=\"l\">")
                    .append(esc(r.configuration().trickLabel())).append("</td><td>").append(r.n()).append("</td><td>")
                    .append(pct(r.mean())).append("</td><td>").append(magnitude(r.standardDeviation())).append("</td><td>")
                    .append(pct(r.min())).append("</td><td>").append(pct(r.lowerQuartile())).append("</td><td>")
                    .append(pct(r.median())).append("</td><td>").append(pct(r.upperQuartile())).append("</td><td>")
                    .append(pct(r.max())).append("</td></tr>\n");
        }
        h.append("</table>\n");
    }

    /**
     * What the searches found: NAS-Bench-201's table, and the DARTS cells' statistics where the data set has
     * DARTS runs (the NAS-Bench-201 table then only where it has NAS-Bench-201 runs too).
     */
    private static void architectureSection(StringBuilder h, ReportCharts charts, AnalysisSummary a) {
        heading(h, a, "Architectures");
        boolean darts = !a.dartsArchitectures().isEmpty();
        if (!darts || !a.architectures().isEmpty()) {
            if (darts) {
                h.append("<h4>NAS-Bench-201 cells</h4>\n");
            }
            nb201ArchitectureTable(h, a);
        }
        if (darts) {
            DartsArchitectureSection.render(h, charts, a.dartsArchitectures());
        }
    }

    private static void nb201ArchitectureTable(StringBuilder h, AnalysisSummary a) {
        h.append("<table><tr><th class=\"l\">algorithm</th><th class=\"l\">tricks</th>"
                + "<th>genotypes</th><th>parameter-free edges</th><th>distinct genotypes</th></tr>\n");
        for (var r : a.architectures()) {
            h.append("<tr><td class=\"l\">").append(esc(r.configuration().algorithm())).append("</td><td class=\"l\">")
                    .append(esc(r.configuration().trickLabel())).append("</td><td>").append(r.genotypes()).append("</td><td>")
                    .append(pct(r.meanParameterFreeShare())).append("</td><td>").append(r.distinctGenotypes())
                    .append("</td></tr>\n");
        }
        h.append("</table>\n");
    }

    /** The search-side versus train-side attribution table: one row per algorithm (and pooled) and contrast. */
    private static void attributionSection(StringBuilder h, AnalysisSummary a) {
        if (a.attribution().isEmpty() && a.attributionNote() == null) {
            return;
        }
        heading(h, a, "Architecture versus training");
        if (a.attributionNote() != null) {
            h.append("<p>Not estimable: ").append(esc(a.attributionNote())).append("</p>\n");
            return;
        }
        h.append("<p>Each run with tricks on against its base run (every trick off; same algorithm and seed), crossed:"
                + " the genotype found with the tricks trained without them (architecture), the base's genotype trained"
                + " with them (training), and the rest (interaction). Points, with 95% t intervals over seeds; shares of"
                + " the total with seed-bootstrap intervals where there are at least "
                + org.trickbench.harness.analysis.TrickEffects.MIN_BOOTSTRAP_SEEDS + " seeds.</p>\n");
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
                h.append("<td>").append(pct(s.value()));
                if (!Double.isNaN(s.low())) {
                    h.append(" [").append(pct(s.low())).append(", ").append(pct(s.high())).append("]");
                }
                h.append("</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</table>\n");
    }

    /** Proxy score against final accuracy, run by run; the numbers are the runs table's proxy and test acc columns. */
    private static void rankSection(StringBuilder h, ReportCharts charts, AnalysisSummary a, List<RunView> finished) {
        heading(h, a, "Rank consistency");
        h.append("<p>Rank consistency of proxy scores with final accuracy: ");
        if (a.proxyRank() == null || a.proxyRank().n() < 2) {
            h.append("fewer than two runs with a proxy score.</p>\n");
            return;
        }
        h.append("Kendall τ ").append(fmt(a.proxyRank().kendallTau())).append(", Spearman ρ ")
                .append(fmt(a.proxyRank().spearmanRho())).append(" over ").append(a.proxyRank().n()).append(" runs.</p>\n");
        List<ReportCharts.Point> points = new ArrayList<>();
        for (RunView r : finished) {
            if (r.proxyScore() != null && !r.proxyScore().isNaN()) {
                points.add(new ReportCharts.Point(r.algorithmId(), r.proxyScore(), 100 * r.testAccuracy(), withValues(r,
                        "proxy " + fmt(r.proxyScore()) + ", test accuracy " + pct(r.testAccuracy()))));
            }
        }
        h.append(charts.scatter("Proxy score against final accuracy", "proxy score", "final test accuracy (%)", points,
                List.of()));
    }

    /** Every finished run's accuracy against its search cost, with the runs no other beats on both. */
    private static void costSection(StringBuilder h, ReportCharts charts, AnalysisSummary a, List<RunView> finished) {
        heading(h, a, "Accuracy versus search cost");
        h.append("<p>Search cost is the search's wall time; the Pareto front"
                + " holds the runs that no other run beats on both cost and accuracy. Each run's numbers are in the"
                + " runs table.</p>\n");
        if (finished.isEmpty()) {
            h.append("<p>No finished run on this data set.</p>\n");
            return;
        }
        List<ReportCharts.Point> points = new ArrayList<>();
        for (RunView r : finished) {
            if (r.searchWallSeconds() != null) {
                points.add(new ReportCharts.Point(r.algorithmId(), r.searchWallSeconds(), 100 * r.testAccuracy(),
                        withValues(r, "search " + fmt(r.searchWallSeconds()) + " s, test accuracy " + pct(r.testAccuracy()))));
            }
        }
        long uncosted = finished.size() - points.size();
        if (uncosted > 0) {
            h.append("<p>").append(uncosted).append(" finished run(s) have no recorded search cost (imported without"
                    + " search-seconds) and are left out of this chart and the front.</p>\n");
        }
        List<ReportCharts.Point> front = new ArrayList<>();
        for (var o : a.costFront()) {
            String configuration = o.algorithm() + " · " + o.configuration().trickLabel();
            front.add(new ReportCharts.Point("Pareto front", o.searchCost(), 100 * o.accuracy(), List.of(
                    "Pareto front: " + configuration + ", seed " + o.seed(), "genotype " + o.genotype(),
                    "search " + fmt(o.searchCost()) + " s, test accuracy " + pct(o.accuracy()))));
        }
        h.append(charts.scatter("Final accuracy against search cost", "search cost (s)", "final test accuracy (%)",
                points, front));
        h.append("<table><tr><th class=\"l\">Pareto front: algorithm</th><th class=\"l\">tricks</th><th>seed</th>"
                + "<th class=\"l\">genotype</th><th>search s</th><th>test acc</th></tr>\n");
        for (var o : a.costFront()) {
            h.append("<tr><td class=\"l\">").append(esc(o.algorithm())).append("</td><td class=\"l\">")
                    .append(esc(o.configuration().trickLabel())).append("</td><td>").append(o.seed())
                    .append("</td><td class=\"l g\"><code>").append(esc(o.genotype() == null ? "" : o.genotype()))
                    .append("</code></td><td>").append(fmt(o.searchCost())).append("</td><td>").append(pct(o.accuracy()))
                    .append("</td></tr>\n");
        }
        h.append("</table>\n");
    }

    private static List<String> withValues(RunView r, String values) {
        List<String> tip = new ArrayList<>(ReportCharts.runTip(r));
        tip.add(values);
        return tip;
    }

    /** An effect or difference in accuracy points, signed. */
    static String points(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%+.2f", 100 * v);
    }

    /** A spread in accuracy points (a standard deviation): never negative, so no sign. */
    static String magnitude(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.2f", 100 * v);
    }

    /**
     * A p-value with four decimals, raw and adjusted alike ("1.0000", not "1.0"); below 1e-4 four decimals
     * would print 0.0000, which no test gives, so it reads "&lt; 1e-4".
     */
    static String pValue(double p) {
        if (Double.isNaN(p)) {
            return "–";
        }
        return p < 1e-4 ? "< 1e-4" : String.format(Locale.ROOT, "%.4f", p);
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

    static String pct(Double v) {
        return v == null || v.isNaN() ? "–" : String.format(Locale.ROOT, "%.2f%%", 100 * v);
    }

    private static String num(Long v) {
        return v == null ? "–" : String.format(Locale.ROOT, "%,d", v);
    }

    static String fmt(Double v) {
        if (v == null || v.isNaN()) {
            return "–";
        }
        return Math.abs(v) >= 100 || v == Math.rint(v) && Math.abs(v) < 1e6
                ? String.format(Locale.ROOT, "%.1f", v) : String.format(Locale.ROOT, "%.4f", v);
    }
}
