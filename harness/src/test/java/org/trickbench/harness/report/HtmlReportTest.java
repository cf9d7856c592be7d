package org.trickbench.harness.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.trickbench.core.UserInputException;
import org.trickbench.harness.store.EpochRow;
import org.trickbench.harness.store.EvaluationRow;
import org.trickbench.harness.store.RunCompletion;
import org.trickbench.harness.store.RunStatus;
import org.trickbench.harness.store.Store;

class HtmlReportTest {
    private static final String HOSTILE = "<script>alert(1)</script>\"'&";
    private static final String HOSTILE_ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;";

    @TempDir
    Path dir;

    private static RunView run(String id, String genotype, String status, String error, List<EpochRow> curve) {
        return new RunView(id, "eval-" + id, "random {\"index\":0}", 3, "fashion-mnist", status, genotype, 1234L, 56789L,
                "done".equals(status) ? 0.8125 : null, 0.9, null, 1.5, 2.5, error, curve);
    }

    private static ReportData data(String matrix, RunView... runs) {
        return new ReportData(matrix, "2024-05-01T12:00:00Z", List.of(runs), Map.of("done", 1, "error", 1),
                Map.of("java", "17", "os", "Linux"), "bench run --matrix " + matrix);
    }

    private static ReportData hostileData() {
        return data("smoke",
                run("run-done-0001", HOSTILE, "done", null,
                        List.of(new EpochRow("e1", "final", 0, "train_loss", 0.75))),
                run("run-fail-0002", null, "error", "java.lang.IllegalStateException: " + HOSTILE, List.of()));
    }

    @Test
    void renderEscapesGenotypeAndErrorText() {
        String page = HtmlReport.render(hostileData());
        String html = outsideScripts(page);

        assertFalse(page.contains(HOSTILE), "raw hostile text must not reach the page");
        assertFalse(html.contains("<script"), "no script element outside the page's own three");
        assertFalse(html.contains("alert(1)</script>"));
        // Once in the runs table (genotype), once in the failures table (error).
        assertEquals(2, occurrences(html, HOSTILE_ESCAPED), html);
        assertTrue(html.contains("java.lang.IllegalStateException: " + HOSTILE_ESCAPED));
        assertTrue(html.contains("<code>" + HOSTILE_ESCAPED + "</code>"));
    }

    @Test
    void chartDataIsOneJsonBlockThatNoStringFromDataCanLeave() throws IOException {
        String page = HtmlReport.render(hostileData());

        assertEquals(List.of(CHART_DATA, "<script>", "<script>"), scriptTags(page), "data, ECharts, then our code");
        String json = chartData(page);
        for (String c : List.of("<", ">", "&", "\u2028", "\u2029")) {
            assertFalse(json.contains(c), "raw " + c + " in the embedded JSON");
        }
        // The escapes are JSON's own: parsed back, the hostile genotype is intact in the curve's tooltip.
        JsonNode charts = new ObjectMapper().readTree(json).path("charts");
        assertEquals("curves", charts.get(0).path("kind").asText());
        assertTrue(charts.get(0).toString().contains(new ObjectMapper().writeValueAsString("genotype " + HOSTILE)),
                charts.toString());
    }

    @Test
    void everyChartContainerHasItsDataAndEveryChartItsContainer() throws IOException {
        String page = HtmlReport.render(hostileData());

        List<String> ids = new ArrayList<>();
        new ObjectMapper().readTree(chartData(page)).path("charts").forEach(c -> ids.add(c.path("id").asText()));
        List<String> containers = new ArrayList<>();
        Matcher m = Pattern.compile("<div class=\"chart\" id=\"([^\"]+)\"").matcher(page);
        while (m.find()) {
            containers.add(m.group(1));
        }
        assertEquals(ids, containers);
        assertEquals(List.of("chart-1"), ids, "one curve chart for the one metric");
    }

    @Test
    void aPageWithNothingToDrawCarriesNoScript() {
        String page = HtmlReport.render(data("smoke", run("run-fail-0002", null, "error", "boom", List.of())));

        assertFalse(page.contains("<script"), page);
        assertFalse(page.contains("class=\"chart\""), page);
    }

    @Test
    void pageIsSelfContained() {
        String page = HtmlReport.render(hostileData());
        String html = outsideScripts(page).toLowerCase(Locale.ROOT);

        for (String forbidden : List.of("http://", "https://", "<script", "<link", "<img", "<iframe", "src=", "@import",
                "url(")) {
            assertFalse(html.contains(forbidden), "page contains " + forbidden);
        }
        assertTrue(scriptTags(page).stream().noneMatch(t -> t.contains("src")), "scripts are inline");
        assertTrue(page.startsWith("<!DOCTYPE html>"));
        assertTrue(page.contains("<style>"), "styles are inline");
        assertTrue(page.contains("echarts"), "the chart library is inline");
    }

    @Test
    void curveTableListsEpochsInOrder() {
        List<EpochRow> shuffled = List.of(
                new EpochRow("e1", "final", 10, "train_loss", 0.1111),
                new EpochRow("e1", "final", 0, "train_loss", 0.9999),
                new EpochRow("e1", "final", 9, "train_loss", 0.2222),
                new EpochRow("e1", "final", 1, "train_loss", 0.5555),
                new EpochRow("e1", "final", 0, "val_acc", 0.3333));
        String page = HtmlReport.render(data("smoke", run("run-done-0001", "g", "done", null, shuffled)));

        String curves = page.substring(page.indexOf("<h2>Training curves</h2>"), page.indexOf("<h2>Failures</h2>"));
        int first = curves.indexOf("<tr><td>1</td><td>0.9999</td><td>0.3333</td></tr>");
        int second = curves.indexOf("<tr><td>2</td><td>0.5555</td><td>–</td></tr>");
        int tenth = curves.indexOf("<tr><td>10</td><td>0.2222</td><td>–</td></tr>");
        int eleventh = curves.indexOf("<tr><td>11</td><td>0.1111</td><td>–</td></tr>");
        assertTrue(first >= 0 && second > first && tenth > second && eleventh > tenth, curves);
        assertTrue(curves.contains("<th>epoch</th><th>train_loss</th><th>val_acc</th>"), curves);
    }

    @Test
    void writeCreatesIndexUnderTheMatrixFolderAndReturnsIt() throws IOException {
        Path outRoot = dir.resolve("reports");
        ReportData data = hostileData();

        Path page = HtmlReport.write(data, outRoot);

        assertEquals(outRoot.resolve("smoke").resolve("index.html"), page);
        assertEquals(HtmlReport.render(data), Files.readString(page));
        try (Stream<Path> files = Files.list(outRoot.resolve("smoke"))) {
            assertEquals(List.of(page.resolveSibling("analysis.json"), page), files.sorted().toList(),
                    "the page and its numbers, and no temporary file");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"../evil", "a/b", "..", ".", ""})
    void writeRefusesAMatrixNameThatIsNotASingleSafeFolder(String matrix) throws IOException {
        Path outRoot = dir.resolve("out").resolve("reports");
        Files.createDirectories(outRoot);

        UserInputException e = assertThrows(UserInputException.class, () -> HtmlReport.write(data(matrix), outRoot));

        assertTrue(e.getMessage().contains("'" + matrix + "'"), e.getMessage());
        try (Stream<Path> all = Files.walk(dir)) {
            assertEquals(List.of(dir, dir.resolve("out"), outRoot), all.sorted().toList(), "nothing is written anywhere");
        }
    }

    @Test
    void reportBuilderJoinsRunsWithTheirEvaluationCurveAndFailure() {
        String doneSpec = "{\"algorithm\":{\"id\":\"random\",\"params\":{\"index\":0}},\"dataset\":\"fashion-mnist\",\"seed\":3}";
        String failSpec = "{\"algorithm\":{\"id\":\"random\",\"params\":{\"index\":1}},\"dataset\":\"fashion-mnist\",\"seed\":4}";
        try (Store store = Store.open(dir.resolve("results.db"))) {
            store.runs().insertIfAbsent("run-a-done", "smoke", doneSpec);
            store.runs().insertIfAbsent("run-b-fail", "smoke", failSpec);
            store.runs().insertIfAbsent("run-c-elsewhere", "other", doneSpec);

            assertTrue(store.runs().claim("run-a-done", "owner", "host"));
            store.evaluations().save(new EvaluationRow("eval-1", "|skip_connect~0|+|none~0|none~1|+|none~0|none~1|none~2|", "proto", "fashion-mnist", 3, "tiny",
                    RunStatus.DONE, 0.8125, 0.9375, 0.25, 4321L, 98765L, 2, null, 7.5, null));
            store.epochs().append("eval-1", "final", 1, Map.of("train_loss", 0.25));
            store.epochs().append("eval-1", "final", 0, Map.of("train_loss", 0.75));
            store.epochs().append("eval-1", "search", 0, Map.of("train_loss", 9.0));
            store.runs().complete("run-a-done", "owner", new RunCompletion("|skip_connect~0|+|none~0|none~1|+|none~0|none~1|none~2|", null, 11.0, 10.0, "eval-1"));
            store.environment().save("run-a-done", Map.of("java", "17"));

            assertTrue(store.runs().claim("run-b-fail", "owner", "host"));
            store.runs().fail("run-b-fail", "owner", RunStatus.ERROR, new IllegalStateException("boom at epoch 3"));

            ReportData report = ReportBuilder.from(store, "smoke", "bench report smoke");

            assertEquals("smoke", report.matrix());
            assertEquals(Map.of("done", 1, "error", 1), report.statusCounts());
            assertEquals(Map.of("java", "17"), report.environment());
            assertEquals("bench report smoke", report.reproduceCommand());
            assertEquals(List.of("run-a-done", "run-b-fail"), report.runs().stream().map(RunView::runId).toList());

            RunView done = report.runs().get(0);
            assertEquals("done", done.status());
            assertEquals("random {\"index\":0}", done.algorithm());
            assertEquals(3, done.seed());
            assertEquals("fashion-mnist", done.dataset());
            assertEquals("|skip_connect~0|+|none~0|none~1|+|none~0|none~1|none~2|", done.genotype());
            assertEquals(0.8125, done.testAccuracy());
            assertEquals(0.9375, done.trainAccuracy());
            assertEquals(4321L, done.params());
            assertEquals(98765L, done.flops());
            assertEquals(11.0, done.searchWallSeconds());
            assertEquals(7.5, done.finalWallSeconds());
            assertNull(done.error());
            assertEquals(List.of(new EpochRow("eval-1", "final", 0, "train_loss", 0.75),
                    new EpochRow("eval-1", "final", 1, "train_loss", 0.25)), done.finalEpochs());

            RunView failed = report.runs().get(1);
            assertEquals("error", failed.status());
            assertEquals("random {\"index\":1}", failed.algorithm());
            assertEquals(4, failed.seed());
            assertEquals("java.lang.IllegalStateException: boom at epoch 3", failed.error());
            assertNull(failed.testAccuracy());
            assertNull(failed.params());
            assertTrue(failed.finalEpochs().isEmpty());
            assertEquals(0.8125, report.meanTestAccuracy());
        }
    }

    private static final String CHART_DATA = "<script type=\"application/json\" id=\"report-charts\">";

    /** The opening tags of the page's script elements, in order. */
    static List<String> scriptTags(String page) {
        List<String> tags = new ArrayList<>();
        Matcher m = Pattern.compile("<script[^>]*>").matcher(page);
        while (m.find()) {
            tags.add(m.group());
        }
        return tags;
    }

    /** The page with every script element's content cut out: the HTML a reader without scripts gets. */
    static String outsideScripts(String page) {
        return page.replaceAll("(?s)<script[^>]*>.*?</script>", "");
    }

    /** The embedded chart data, as it stands in the page. */
    static String chartData(String page) {
        int start = page.indexOf(CHART_DATA) + CHART_DATA.length();
        return page.substring(start, page.indexOf("</script>", start));
    }

    private static int occurrences(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    @Test
    void cacheHitRateCountsFinishedRunsThatSharedAnEvaluation() {
        List<RunView> runs = List.of(
                new RunView("a", "e1", "rea", 0, "fashion-mnist", "done", "g", 1L, 1L, 0.5, 0.5, null, 0.0, 0.0, null, List.of()),
                new RunView("b", "e1", "local-search", 0, "fashion-mnist", "done", "g", 1L, 1L, 0.5, 0.5, null, 0.0, 0.0, null,
                        List.of()),
                new RunView("c", "e2", "random", 0, "fashion-mnist", "done", "h", 1L, 1L, 0.4, 0.4, null, 0.0, 0.0, null, List.of()),
                new RunView("d", "e3", "random", 1, "fashion-mnist", "error", null, null, null, null, null, null, 0.0, 0.0, "x",
                        List.of()));
        ReportData data = new ReportData("m", "now", runs, Map.of("done", 3, "error", 1), Map.of(), "bench run");
        assertEquals(1 / 3.0, data.evaluationCacheHitRate(), 1e-12);
        assertTrue(HtmlReport.render(data).contains("Evaluation cache hit rate: <b>33.33%</b>"));
    }

    @Test
    void effectsTableListsTheInteractionsAFullFactorialEstimates() {
        List<org.trickbench.harness.analysis.Observation> runs = org.trickbench.harness.analysis.PlantedEffectsTest
                .plantedRuns(new java.util.SplittableRandom(1));
        List<AnalysisSummary> analysis = AnalysisSummary.of(runs, java.util.Set.of("cutout", "mixup"));
        assertEquals(6, analysis.get(0).effects().interactions().size(), analysis.get(0).effectsNote());
        String page = HtmlReport.render(new ReportData("m", "now", List.of(), Map.of(), Map.of(), "bench run", analysis));
        assertTrue(page.contains("<tr><td class=\"l\">cutout:mixup</td><td class=\"l\">interaction</td><td>"), page);
        // Planted runs have no random baseline, so the random-versus-searched table says why it is empty.
        assertTrue(page.contains("<h3>Training tricks on random versus searched genotypes</h3>\n<p>Not estimable: the"
                + " comparison needs both random-baseline and searched runs"), page);
    }
}
