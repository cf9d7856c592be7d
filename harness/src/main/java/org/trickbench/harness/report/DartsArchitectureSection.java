package org.trickbench.harness.report;

import static org.trickbench.harness.report.HtmlReport.esc;
import static org.trickbench.harness.report.HtmlReport.pct;

import java.util.ArrayList;
import java.util.List;
import org.trickbench.core.space.darts.DartsGenotype;
import org.trickbench.core.space.darts.DartsOp;
import org.trickbench.harness.analysis.ArchitectureStatistics.DartsCell;
import org.trickbench.harness.analysis.ArchitectureStatistics.DartsResult;
import org.trickbench.harness.analysis.ArchitectureStatistics.EdgePosition;

/**
 * The DARTS part of a data set's "Architectures" section: per configuration, each cell type's
 * parameter-free share, its op frequencies overall and per edge position, and the inputs each node
 * chose. Every heatmap is also a table.
 */
final class DartsArchitectureSection {
    /** The two cell types, as the statistics name them and as the page does. */
    private static final List<String> CELLS = List.of("normal", "reduction");

    private DartsArchitectureSection() {}

    static void render(StringBuilder h, ReportCharts charts, List<DartsResult> results) {
        h.append("<h4>DARTS cells</h4>\n<p>Each genotype is a normal and a reduction cell of four intermediate nodes,"
                + " each the sum of two edges; an edge position is node i fed from input j, where inputs 0 and 1 are the"
                + " cell's inputs (the cells two back and one back) and 2 to 5 are nodes 0 to 3. Parameter-free edges are"
                + " none, max_pool_3x3, avg_pool_3x3 and skip_connect where it is an identity (in a reduction cell,"
                + " skip_connect from the cell's inputs is a factorized reduction, which has weights); a uniformly random"
                + " normal cell has 3/7 of them.</p>\n");
        h.append("<table><tr><th class=\"l\">algorithm</th><th class=\"l\">tricks</th><th>genotypes</th>"
                + "<th>distinct genotypes</th><th>parameter-free edges, normal</th>"
                + "<th>parameter-free edges, reduction</th></tr>\n");
        for (DartsResult r : results) {
            h.append("<tr>").append(configurationCells(r)).append("<td>").append(r.genotypes()).append("</td><td>")
                    .append(r.distinctGenotypes()).append("</td><td>").append(pct(r.normal().meanParameterFreeShare()))
                    .append("</td><td>").append(pct(r.reduce().meanParameterFreeShare())).append("</td></tr>\n");
        }
        h.append("</table>\n");
        for (String cell : CELLS) {
            opFrequencies(h, charts, results, cell);
        }
        for (DartsResult r : results) {
            for (String cell : CELLS) {
                edgePositions(h, charts, r, cell);
            }
        }
    }

    /** Each configuration's op frequencies over all edges of one cell type. */
    private static void opFrequencies(StringBuilder h, ReportCharts charts, List<DartsResult> results, String cell) {
        String title = "Op frequencies, " + cell + " cells";
        h.append("<h4>").append(esc(title)).append("</h4>\n");
        List<String> ops = DartsOp.ids();
        List<String> rows = new ArrayList<>();
        List<ReportCharts.Cell> cells = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            DartsResult r = results.get(i);
            String label = label(r);
            rows.add(label);
            int edges = DartsGenotype.EDGES * r.genotypes();
            for (int c = 0; c < ops.size(); c++) {
                int count = of(r, cell).ops().get(ops.get(c));
                cells.add(new ReportCharts.Cell(i, c, 100.0 * count / edges, List.of(label, cell + " cell: " + ops.get(c),
                        count + " of " + edges + " edges (" + pct(count / (double) edges) + ")")));
            }
        }
        h.append(charts.heatmap(title, "share of the cells' edges (%)", rows, ops, cells, 100));
        h.append("<div class=\"wide\"><table><tr><th class=\"l\">algorithm</th><th class=\"l\">tricks</th>");
        ops.forEach(op -> h.append("<th>").append(esc(op)).append("</th>"));
        h.append("</tr>\n");
        for (DartsResult r : results) {
            int edges = DartsGenotype.EDGES * r.genotypes();
            h.append("<tr>").append(configurationCells(r));
            for (String op : ops) {
                int count = of(r, cell).ops().get(op);
                h.append("<td>").append(count).append(" (").append(pct(count / (double) edges)).append(")</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</table></div>\n");
    }

    /** One configuration's cell type: how often each op sat on each edge position, and the inputs each node chose. */
    private static void edgePositions(StringBuilder h, ReportCharts charts, DartsResult r, String cell) {
        String title = label(r) + ": " + cell + " cell, ops per edge position";
        h.append("<h4>").append(esc(title)).append("</h4>\n<p>Counts over ").append(r.genotypes())
                .append(" genotype(s); each node has two edges.</p>\n");
        List<String> ops = DartsOp.ids();
        List<EdgePosition> positions = of(r, cell).edges();
        List<String> rows = new ArrayList<>();
        List<ReportCharts.Cell> cells = new ArrayList<>();
        for (int i = 0; i < positions.size(); i++) {
            EdgePosition p = positions.get(i);
            String position = "node " + p.node() + ", input " + p.input();
            rows.add(position);
            for (int c = 0; c < ops.size(); c++) {
                int count = p.ops().get(ops.get(c));
                cells.add(new ReportCharts.Cell(i, c, count, List.of(label(r), cell + " cell, " + position + ": "
                        + ops.get(c), count + " of " + r.genotypes() + " genotype(s)")));
            }
        }
        h.append(charts.heatmap(title, "genotypes", rows, ops, cells, r.genotypes()));
        h.append("<div class=\"wide\"><table><tr><th>node</th><th>input</th>");
        ops.forEach(op -> h.append("<th>").append(esc(op)).append("</th>"));
        h.append("<th>chosen</th></tr>\n");
        for (EdgePosition p : positions) {
            h.append("<tr><td>").append(p.node()).append("</td><td>").append(p.input()).append("</td>");
            ops.forEach(op -> h.append("<td>").append(p.ops().get(op)).append("</td>"));
            h.append("<td>").append(p.chosen()).append("</td></tr>\n");
        }
        h.append("</table></div>\n");
        int inputs = DartsGenotype.NODES + 2;
        h.append("<table><tr><th class=\"l\">inputs chosen, ").append(esc(cell)).append(" cell</th>");
        for (int j = 0; j < inputs; j++) {
            h.append("<th>input ").append(j).append("</th>");
        }
        h.append("</tr>\n");
        for (int node = 0; node < DartsGenotype.NODES; node++) {
            h.append("<tr><td class=\"l\">node ").append(node).append("</td>");
            for (int j = 0; j < inputs; j++) {
                EdgePosition p = position(positions, node, j);
                h.append("<td>").append(p == null ? "" : p.chosen() + " (" + pct(p.chosen() / (double) r.genotypes())
                        + ")").append("</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</table>\n");
    }

    private static EdgePosition position(List<EdgePosition> positions, int node, int input) {
        return positions.stream().filter(p -> p.node() == node && p.input() == input).findFirst().orElse(null);
    }

    private static DartsCell of(DartsResult r, String cell) {
        return cell.equals("normal") ? r.normal() : r.reduce();
    }

    private static String label(DartsResult r) {
        return r.configuration().algorithm() + " · " + r.configuration().trickLabel();
    }

    private static String configurationCells(DartsResult r) {
        return "<td class=\"l\">" + esc(r.configuration().algorithm()) + "</td><td class=\"l\">"
                + esc(r.configuration().trickLabel()) + "</td>";
    }
}
