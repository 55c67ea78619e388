package io.herald.tools.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.common.html.Html;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The bench's report as one self-contained HTML file: the figures as tables, the charts as inline SVG.
 * No script, no stylesheet or font from elsewhere: it opens the same from a CI artifact or offline.
 * Every value is escaped; the report is rendered from the same JSON that the bench writes.
 */
final class HtmlReport {
    private HtmlReport() {}

    static String render(String title, JsonNode report, List<ReportCharts.Chart> charts) {
        StringBuilder html = new StringBuilder(64 * 1024);
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(escape(title))
                .append("</title>\n<style>body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}"
                        + "table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border:1px solid #ccc;padding:2px 8px;"
                        + "text-align:left;vertical-align:top}th{background:#eee}td.n{text-align:right}"
                        + "figure{margin:1em 0}</style></head><body>\n<h1>").append(escape(title)).append("</h1>\n");
        html.append("<h2>Figures</h2>\n");
        List<Map.Entry<String, JsonNode>> sections = new ArrayList<>();
        html.append("<table>");
        for (Iterator<Map.Entry<String, JsonNode>> it = report.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (field.getValue().isContainerNode()) {
                sections.add(field);
            } else {
                html.append("<tr><th>").append(escape(field.getKey())).append("</th>").append(cell(field.getValue())).append("</tr>");
            }
        }
        html.append("</table>\n");
        for (ReportCharts.Chart chart : charts) {
            html.append("<figure>").append(chart.svg()).append("</figure>\n");
        }
        for (Map.Entry<String, JsonNode> section : sections) {
            html.append("<h2>").append(escape(section.getKey())).append("</h2>\n");
            value(html, section.getValue());
        }
        return html.append("</body></html>\n").toString();
    }

    /** An object as a two-column table, an array of objects as a table with a column per field, a scalar as text. */
    private static void value(StringBuilder html, JsonNode node) {
        if (node.isArray() && node.size() > 0 && node.get(0).isObject()) {
            List<String> columns = new ArrayList<>();
            node.get(0).fieldNames().forEachRemaining(columns::add);
            html.append("<table><tr>");
            columns.forEach(c -> html.append("<th>").append(escape(c)).append("</th>"));
            html.append("</tr>");
            for (JsonNode row : node) {
                html.append("<tr>");
                for (String c : columns) {
                    nested(html, row.path(c));
                }
                html.append("</tr>");
            }
            html.append("</table>\n");
        } else if (node.isObject()) {
            html.append("<table>");
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                html.append("<tr><th>").append(escape(field.getKey())).append("</th>");
                nested(html, field.getValue());
                html.append("</tr>");
            }
            html.append("</table>\n");
        } else if (node.isArray()) {
            List<String> items = new ArrayList<>();
            node.forEach(n -> items.add(n.isValueNode() ? n.asText() : n.toString()));
            html.append("<p>").append(escape(String.join(", ", items))).append("</p>\n");
        } else {
            html.append("<p>").append(escape(node.asText())).append("</p>\n");
        }
    }

    private static void nested(StringBuilder html, JsonNode node) {
        if (node.isContainerNode()) {
            html.append("<td>");
            value(html, node);
            html.append("</td>");
        } else {
            html.append(cell(node));
        }
    }

    private static String cell(JsonNode node) {
        return (node.isNumber() ? "<td class=\"n\">" : "<td>") + escape(node.isNull() ? "" : node.asText()) + "</td>";
    }

    private static String escape(String text) {
        return Html.escape(text);
    }
}
