package org.trickbench.harness.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.trickbench.core.run.Canonical;
import org.trickbench.harness.analysis.EffectEstimate;
import org.trickbench.harness.analysis.SeedStatistics;
import org.trickbench.harness.store.EpochRow;

/**
 * The page's charts. Each method takes what one section's table shows, adds that chart's data to the
 * page's one JSON block and returns the empty container the chart is drawn into (charts.js does the
 * drawing). Data points carry their tooltip as plain lines of text (configuration, genotype, the
 * numbers as the table prints them); charts.js HTML-escapes them before they reach the page.
 */
final class ReportCharts {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Pixels per category row of a horizontal chart, and the room its axes and title take. */
    private static final int ROW = 26;
    private static final int FRAME = 90;
    /** A forest plot's rows hold two whiskers each, and its legend takes a line more. */
    private static final int FOREST_ROW = 34;
    private static final int FOREST_FRAME = 120;
    private static final int SCATTER_HEIGHT = 380;
    /** A heatmap's column labels (op names, turned) and its colour scale take this much more room. */
    private static final int HEATMAP_LEGEND = 110;

    /** A bar: its category label, its length, an interval drawn as a whisker (NaN for none) and its tooltip lines. */
    record Bar(String label, double value, double low, double high, List<String> tip) {
        Bar(String label, double value, List<String> tip) {
            this(label, value, Double.NaN, Double.NaN, tip);
        }
    }

    /** A cell of a heatmap: its row and column (indices into the chart's labels), its value and its tooltip lines. */
    record Cell(int row, int column, double value, List<String> tip) {}

    /** A point of a scatter: the series it belongs to (a colour and a legend entry), x, y and its tooltip lines. */
    record Point(String series, double x, double y, List<String> tip) {}

    private final ArrayNode charts = JSON.createArrayNode();

    boolean isEmpty() {
        return charts.isEmpty();
    }

    /** Every chart's data, escaped to stand inside a {@code <script type="application/json">} element. */
    String json() {
        ObjectNode root = JSON.createObjectNode();
        root.set("charts", charts);
        try {
            return InlineScripts.json(JSON.writeValueAsString(root));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("chart data cannot be written as JSON", e);
        }
    }

    /**
     * Effects with their 95% t interval (thick whisker) and, where computed, seed-bootstrap interval (thin
     * whisker), in accuracy points; a dashed line marks no effect.
     *
     * @param describe what a term's effect compares, for the tooltip
     * @param sameScale the effects whose intervals the axis must span, so that plots meant to be compared
     *     (search-side and train-side tricks) share one scale
     */
    String forest(String title, List<EffectEstimate> effects, Function<String, String> describe,
            List<EffectEstimate> sameScale) {
        ObjectNode chart = chart("forest", title);
        double low = 0;
        double high = 0;
        for (EffectEstimate e : sameScale) {
            for (double v : new double[] {e.effect(), e.ciLow(), e.ciHigh(), e.bootstrapLow(), e.bootstrapHigh()}) {
                if (Double.isFinite(v)) {
                    low = Math.min(low, 100 * v);
                    high = Math.max(high, 100 * v);
                }
            }
        }
        chart.putArray("extent").add(low).add(high);
        // Without bootstrap bounds (too few seeds) the chart has no bootstrap whisker and no legend entry for one.
        chart.put("bootstrap", effects.stream().anyMatch(e -> Double.isFinite(e.bootstrapLow())));
        ArrayNode rows = chart.putArray("rows");
        for (EffectEstimate e : effects) {
            ObjectNode row = rows.addObject().put("label", e.term());
            number(row, "effect", 100 * e.effect());
            number(row, "low", 100 * e.ciLow());
            number(row, "high", 100 * e.ciHigh());
            number(row, "bootLow", 100 * e.bootstrapLow());
            number(row, "bootHigh", 100 * e.bootstrapHigh());
            List<String> tip = new java.util.ArrayList<>(List.of(e.term() + ": " + describe.apply(e.term()),
                    "effect " + HtmlReport.points(e.effect()) + " points",
                    "95% t interval [" + HtmlReport.points(e.ciLow()) + ", " + HtmlReport.points(e.ciHigh()) + "]"));
            if (Double.isFinite(e.bootstrapLow())) {
                tip.add("seed bootstrap [" + HtmlReport.points(e.bootstrapLow()) + ", "
                        + HtmlReport.points(e.bootstrapHigh()) + "]");
            }
            tip.add("Holm p " + HtmlReport.pValue(e.holmP()));
            tip(row, tip);
        }
        return container(chart, title, FOREST_FRAME + FOREST_ROW * effects.size());
    }

    /** Horizontal bars, one per row, negative ones in another colour, each with its interval where it has one. */
    String bars(String title, String axis, List<Bar> bars) {
        ObjectNode chart = chart("bars", title).put("axis", axis);
        ArrayNode rows = chart.putArray("rows");
        for (Bar b : bars) {
            ObjectNode row = rows.addObject().put("label", b.label());
            number(row, "value", b.value());
            number(row, "low", b.low());
            number(row, "high", b.high());
            tip(row, b.tip());
        }
        return container(chart, title, FRAME + ROW * bars.size());
    }

    /**
     * A grid of counts or shares: one row per {@code rows} label, one column per {@code columns} label, each
     * cell shaded by its value (white at 0, the darkest at {@code max}) and labelled with {@code label}.
     */
    String heatmap(String title, String legend, List<String> rows, List<String> columns, List<Cell> cells, double max) {
        ObjectNode chart = chart("heatmap", title).put("legend", legend);
        number(chart, "max", max);
        ArrayNode rowLabels = chart.putArray("rows");
        rows.forEach(rowLabels::add);
        ArrayNode columnLabels = chart.putArray("columns");
        columns.forEach(columnLabels::add);
        ArrayNode data = chart.putArray("cells");
        for (Cell c : cells) {
            ObjectNode cell = data.addObject().put("row", c.row()).put("column", c.column());
            number(cell, "value", c.value());
            tip(cell, c.tip());
        }
        return container(chart, title, FRAME + HEATMAP_LEGEND + ROW * rows.size());
    }

    /** One box per configuration: minimum, quartiles and maximum of final accuracy over its runs, in percent. */
    String seedBoxes(String title, List<SeedStatistics.Result> seeds) {
        ObjectNode chart = chart("boxplot", title).put("axis", "final test accuracy (%)");
        ArrayNode rows = chart.putArray("rows");
        for (SeedStatistics.Result r : seeds) {
            String label = r.configuration().algorithm() + " · " + r.configuration().trickLabel();
            ObjectNode row = rows.addObject().put("label", label);
            ArrayNode box = row.putArray("box");
            for (double v : new double[] {r.min(), r.lowerQuartile(), r.median(), r.upperQuartile(), r.max()}) {
                box.add(100 * v);
            }
            tip(row, List.of(label, r.n() + " runs over " + r.seeds() + " seeds",
                    "min " + HtmlReport.pct(r.min()) + ", median " + HtmlReport.pct(r.median()) + ", max " + HtmlReport.pct(r.max()),
                    "quartiles " + HtmlReport.pct(r.lowerQuartile()) + " to " + HtmlReport.pct(r.upperQuartile()),
                    "mean " + HtmlReport.pct(r.mean()) + ", seed sd " + HtmlReport.magnitude(r.standardDeviation()) + " points"));
        }
        return container(chart, title, FRAME + ROW * seeds.size());
    }

    /**
     * Points coloured by series; with a non-empty front, the front is drawn as a staircase (the best
     * accuracy reachable for at most a given cost) through its points.
     */
    String scatter(String title, String xAxis, String yAxis, List<Point> points, List<Point> front) {
        ObjectNode chart = chart("scatter", title).put("xAxis", xAxis).put("yAxis", yAxis);
        Map<String, ArrayNode> bySeries = new TreeMap<>();
        for (Point p : points) {
            bySeries.computeIfAbsent(p.series(), s -> JSON.createArrayNode()).add(point(p));
        }
        ArrayNode series = chart.putArray("series");
        bySeries.forEach((name, data) -> series.addObject().put("name", name).set("points", data));
        ArrayNode frontData = chart.putArray("front");
        front.forEach(p -> frontData.add(point(p)));
        return container(chart, title, SCATTER_HEIGHT);
    }

    /** One line per run for one per-epoch metric, coloured by algorithm. */
    String curves(String metric, List<RunView> runs) {
        String title = metric + " per epoch of the final training";
        ObjectNode chart = chart("curves", title).put("xAxis", "epoch").put("yAxis", metric);
        ArrayNode series = chart.putArray("series");
        for (RunView r : runs) {
            ArrayNode points = JSON.createArrayNode();
            for (EpochRow e : byEpoch(r.finalEpochs(), metric).values()) {
                ArrayNode xy = points.addArray().add(e.epoch() + 1);
                if (Double.isFinite(e.value())) {
                    xy.add(e.value());
                } else {
                    xy.addNull();
                }
            }
            if (!points.isEmpty()) {
                ObjectNode s = series.addObject().put("name", r.algorithmId());
                s.set("points", points);
                tip(s, runTip(r));
            }
        }
        return container(chart, title, SCATTER_HEIGHT);
    }

    /** What identifies a run in a tooltip: its id, configuration, seed and genotype. */
    static List<String> runTip(RunView r) {
        return List.of("run " + Canonical.shortId(r.runId()) + ", seed " + r.seed(), r.configurationLabel(),
                "genotype " + (r.genotype() == null ? "none" : r.genotype()));
    }

    private static Map<Integer, EpochRow> byEpoch(List<EpochRow> rows, String metric) {
        Map<Integer, EpochRow> out = new TreeMap<>();
        rows.stream().filter(e -> e.metric().equals(metric)).forEach(e -> out.put(e.epoch(), e));
        return out;
    }

    private static ObjectNode point(Point p) {
        ObjectNode o = JSON.createObjectNode();
        number(o, "x", p.x());
        number(o, "y", p.y());
        tip(o, p.tip());
        return o;
    }

    private static ObjectNode chart(String kind, String title) {
        return JSON.createObjectNode().put("kind", kind).put("title", title);
    }

    private String container(ObjectNode chart, String title, int height) {
        String id = "chart-" + (charts.size() + 1);
        chart.put("id", id);
        charts.add(chart);
        return "<div class=\"chart\" id=\"" + id + "\" style=\"height:" + height + "px\" role=\"img\" aria-label=\""
                + HtmlReport.esc(title) + "\"></div>\n";
    }

    /** JSON has no NaN or infinity: a number the analysis could not estimate is null, drawn as nothing. */
    private static void number(ObjectNode o, String field, double value) {
        if (Double.isFinite(value)) {
            o.put(field, value);
        } else {
            o.putNull(field);
        }
    }

    private static void tip(ObjectNode o, List<String> lines) {
        ArrayNode tip = o.putArray("tip");
        lines.forEach(tip::add);
    }
}
