package org.trickbench.harness.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.trickbench.core.run.AlgorithmSetting;
import org.trickbench.core.run.RunSpec;
import org.trickbench.core.run.TrickSetting;
import org.trickbench.harness.store.RunStatus;
import org.trickbench.harness.store.Store;

/**
 * Opens a written report in a real browser (Debian's chromium, driven through its chromedriver) and
 * checks what only a browser can: the inline scripts run without errors, every chart container holds
 * a drawn chart, nothing is fetched, and text from data that tries to run script does not. A
 * screenshot of the page is left in target/report-browser/ for people to look at.
 *
 * <p>It runs in every build; a machine without chromium fails it with the command that installs it.
 * {@code -Dtrickbench.skipBrowser} skips it; {@code -Dtrickbench.chromium} and
 * {@code -Dtrickbench.chromedriver} point at other binaries. The driver is never downloaded.
 */
class ReportInBrowserTest {
    /** Sets window.__pwned wherever it runs: as a script element, as an event handler, as JSON breaking out. */
    static final String HOSTILE = "</script><script>window.__pwned=1</script><!--<img src=x onerror=\"window.__pwned=2\">"
            + "\u2028&amp;";
    private static final String CHROMIUM = System.getProperty("trickbench.chromium", "/usr/bin/chromium");
    private static final String CHROMEDRIVER = System.getProperty("trickbench.chromedriver", "/usr/bin/chromedriver");
    private static final Path SCREENSHOTS = Path.of("target", "report-browser");

    /** Selenium warns that it has no DevTools binding for this chromium's version; the test uses none. */
    private static final Logger DEVTOOLS_LOG = Logger.getLogger("org.openqa.selenium.devtools");

    private static WebDriver browser;

    @BeforeAll
    static void startBrowser() {
        if (System.getProperty("trickbench.skipBrowser") != null) {
            Assumptions.abort("browser test skipped: -Dtrickbench.skipBrowser is set");
        }
        for (String binary : List.of(CHROMIUM, CHROMEDRIVER)) {
            if (!Files.isExecutable(Path.of(binary))) {
                fail(binary + " is missing: the report's browser test needs Debian's chromium and chromium-driver"
                        + " (apt-get install chromium chromium-driver), or -Dtrickbench.chromium=... and"
                        + " -Dtrickbench.chromedriver=... pointing at them, or -Dtrickbench.skipBrowser to skip it");
            }
        }
        DEVTOOLS_LOG.setLevel(Level.SEVERE);
        // An explicit driver: Selenium Manager would otherwise try to download one.
        System.setProperty(ChromeDriverService.CHROME_DRIVER_EXE_PROPERTY, CHROMEDRIVER);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER))
                .usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--window-size=1280,1600");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        browser = new ChromeDriver(service, options);
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void ciReportDrawsEveryChartWithoutErrorsAndRunsNoInjectedScript(@TempDir Path tmp) throws IOException {
        Path page;
        try (Store store = Store.open(tmp.resolve("results.db"))) {
            List<RunSpec> specs = PresetStore.fill(store, "ci");
            injectHostileRows(store, specs.get(specs.size() - 1));
            page = HtmlReport.write(ReportBuilder.from(store, "ci", "bench run --matrix ci"), tmp.resolve("reports"));
        }
        assertTrue(Files.readString(page).contains("sam" + HtmlReport.esc(HOSTILE)), "the hostile trick id reaches the page");

        List<String> charts = openAndCheckCharts(page);
        assertTrue(charts.size() >= 10, "the ci report has its charts: " + charts);
        screenshot("ci.png");

        // The tooltip of every point that carries the hostile text: shown as text, nothing created or run.
        JavascriptExecutor js = (JavascriptExecutor) browser;
        Object shown = js.executeScript("var shown = 0;"
                + "document.querySelectorAll('.chart').forEach(function (e) {"
                + "  var c = echarts.getInstanceByDom(e);"
                + "  c.getOption().series.forEach(function (s, si) {"
                + "    (s.data || []).forEach(function (d, di) {"
                + "      if (d && d.tip && d.tip.join(' ').indexOf('__pwned') >= 0) {"
                + "        c.dispatchAction({type: 'showTip', seriesIndex: si, dataIndex: di}); shown++; } }); }); });"
                + "return shown;");
        assertTrue(((Number) shown).intValue() > 0, "some chart points carry the hostile text in their tooltips");
        Object tooltipImages = js.executeScript("return document.querySelectorAll('.chart img, .chart script').length;");
        assertEquals(0L, tooltipImages, "tooltips hold the hostile markup as text");
        Object tooltipText = js.executeScript("return Array.from(document.querySelectorAll('.chart div'))"
                + ".map(function (e) { return e.textContent; }).join(' ');");
        assertTrue(tooltipText.toString().contains("onerror=\"window.__pwned=2\""), "the tooltip shows it literally");
        assertNoErrorRunOrFetch();
    }

    @Test
    void smokeReportOfTheRandomBaselineDrawsItsChartsWithoutErrors(@TempDir Path tmp) throws IOException {
        Path page;
        try (Store store = Store.open(tmp.resolve("results.db"))) {
            PresetStore.fill(store, "smoke");
            page = HtmlReport.write(ReportBuilder.from(store, "smoke", "bench run --matrix smoke"), tmp.resolve("reports"));
        }

        List<String> charts = openAndCheckCharts(page);

        // Variance (all of it residual), the seed box, accuracy against search cost, a curve per stored metric.
        assertEquals(8, charts.size(), charts.toString());
        assertNoErrorRunOrFetch();
        screenshot("smoke.png");
    }

    @Test
    void reportOfNb201AndDartsRunsDrawsItsHeatmapsWithoutErrors(@TempDir Path tmp) throws IOException {
        Path page;
        try (Store store = Store.open(tmp.resolve("results.db"))) {
            PresetStore.fill(store, "smoke");
            PresetStore.fillDarts(store, DartsReportTest.study(tmp).toString(), "darts-study", DartsReportTest::found);
            page = HtmlReport.write(ReportBuilder.from(store, List.of("smoke", "darts-study"), "smoke+darts-study", "…"),
                    tmp.resolve("reports"));
        }

        List<String> charts = openAndCheckCharts(page);

        // Two heatmaps of op frequencies, and one per configuration and cell type (4 configurations): 10 in all.
        @SuppressWarnings("unchecked")
        List<String> heatmaps = (List<String>) ((JavascriptExecutor) browser).executeScript(
                "return Array.from(document.querySelectorAll('.chart')).filter(function (e) {"
                + " return echarts.getInstanceByDom(e).getOption().series[0].type === 'heatmap'; }).map(function (e) {"
                + " return e.id; });");
        assertEquals(10, heatmaps.size(), charts.toString());
        assertNoErrorRunOrFetch();
        screenshot("smoke-darts.png");
    }

    /**
     * Opens the page and checks that every chart container holds an ECharts instance with series and a
     * drawn canvas, and is visible; returns "id series canvases height" per container.
     */
    private static List<String> openAndCheckCharts(Path page) {
        browser.get(page.toUri().toString());
        @SuppressWarnings("unchecked")
        List<String> charts = (List<String>) ((JavascriptExecutor) browser).executeScript(
                "return Array.from(document.querySelectorAll('.chart')).map(function (e) {"
                + " var c = echarts.getInstanceByDom(e);"
                + " return e.id + ' ' + (c ? c.getOption().series.length : -1) + ' ' + e.querySelectorAll('canvas').length"
                + " + ' ' + e.offsetHeight; });");
        for (String chart : charts) {
            String[] f = chart.split(" ");
            assertTrue(Integer.parseInt(f[1]) > 0, "an ECharts instance with series in " + chart);
            assertTrue(Integer.parseInt(f[2]) > 0, "a canvas drawn in " + chart);
            assertTrue(Integer.parseInt(f[3]) > 50, "a visible container " + chart);
        }
        return charts;
    }

    /** No injected script ran, nothing was fetched, and the console holds no error. */
    private static void assertNoErrorRunOrFetch() {
        JavascriptExecutor js = (JavascriptExecutor) browser;
        assertEquals(Boolean.TRUE, js.executeScript("return window.__pwned === undefined;"), "injected script ran");
        assertEquals(0L, js.executeScript("return performance.getEntriesByType('resource').length;"),
                "the page fetched something; it must be self-contained");
        List<String> severe = new ArrayList<>();
        for (LogEntry e : browser.manage().logs().get(LogType.BROWSER)) {
            if (e.getLevel().intValue() >= Level.SEVERE.intValue()) {
                severe.add(e.getMessage());
            }
        }
        assertEquals(List.of(), severe, "console errors");
    }

    /**
     * Rows as `bench import` or a merged shard could bring them: a run whose spec names an algorithm
     * parameter and a trick id this build never wrote, and a failed run whose error message carries
     * markup. They reach the runs table, the effects, the tooltips and the failures table.
     */
    private static void injectHostileRows(Store store, RunSpec like) {
        RunSpec imported = new RunSpec(like.dataset(), like.space(), new AlgorithmSetting("rea", Map.of("note", HOSTILE)),
                List.of(new TrickSetting("sam" + HOSTILE, Map.of())), like.searchFidelity(), like.finalFidelity(),
                like.protocol(), like.seed());
        store.runs().insertIfAbsent(imported.id(), "ci", imported.canonicalJson());
        PresetStore.complete(store, imported.id(), imported, new SplittableRandom(7));

        RunSpec failing = new RunSpec(like.dataset(), like.space(), new AlgorithmSetting("gdas", Map.of()), List.of(),
                like.searchFidelity(), like.finalFidelity(), like.protocol(), 99);
        store.runs().insertIfAbsent(failing.id(), "ci", failing.canonicalJson());
        assertTrue(store.runs().claim(failing.id(), "fixture", "host"));
        store.runs().fail(failing.id(), "fixture", RunStatus.ERROR, new IllegalStateException(HOSTILE));
    }

    /** The whole page, for people: the window grows to the page's height first. */
    private static void screenshot(String name) throws IOException {
        Number height = (Number) ((JavascriptExecutor) browser).executeScript(
                "return document.documentElement.scrollHeight;");
        browser.manage().window().setSize(new Dimension(1280, Math.min(height.intValue(), 30_000)));
        Files.createDirectories(SCREENSHOTS);
        Files.write(SCREENSHOTS.resolve(name), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }
}
