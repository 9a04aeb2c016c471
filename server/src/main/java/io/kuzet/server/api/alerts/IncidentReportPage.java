package io.kuzet.server.api.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import io.kuzet.server.api.console.AlertExplanation;
import io.kuzet.server.api.console.ConsoleTexts;
import io.kuzet.server.store.TrackPoint;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The HTML of a printed incident report (see {@link IncidentReportRoutes}): labels in English, Russian or Kazakh,
 * the explanation built from the alert's structured details as the console builds it ({@link AlertExplanation}),
 * every value escaped, times in the agency's zone with the zone named, one A4 page per section break when printed.
 * Stateless.
 */
final class IncidentReportPage {
    static final Set<String> LANGUAGES = Set.of("en", "ru", "kk");
    /** Fixes listed in the table; the map draws them all. */
    static final int MAX_TABLE_ROWS = 300;

    /** What the report shows beside the alert: the subject's case, the agency, the rule and its zone. */
    record Context(String caseId, String agencyName, String zoneName, JsonNode zoneGeoJson, String ruleName, String timeZone) {
    }

    private IncidentReportPage() {
    }

    static String html(String lang, JsonNode alert, JsonNode history, Context ctx, List<TrackPoint> track, Instant from,
                       Instant to, String reader, Instant now) {
        Labels l = new Labels(lang);
        String zone = ctx.timeZone();
        StringBuilder h = new StringBuilder(16_384);
        h.append("<!DOCTYPE html><html lang=\"").append(lang).append("\"><head><meta charset=\"utf-8\"><title>")
                .append(esc(l.get("title"))).append(" #").append(esc(alert.path("alertId").asText())).append("</title><style>")
                .append(CSS).append("</style></head><body>");
        h.append("<header><h1>").append(esc(l.get("title"))).append(" <span id=\"report-alert\">#")
                .append(esc(alert.path("alertId").asText())).append("</span></h1><button class=\"no-print\" onclick=\"window.print()\">")
                .append(esc(l.get("print"))).append("</button></header>");
        if (alert.path("presumedInnocent").asBoolean()) {
            h.append("<p class=\"presumed\">").append(esc(l.get("presumed"))).append("</p>");
        }
        h.append("<table class=\"facts\">");
        row(h, l.get("agency"), ctx.agencyName());
        row(h, l.get("subject"), alert.path("subjectName").asText() + " #" + alert.path("subjectId").asText());
        row(h, l.get("case"), ctx.caseId());
        row(h, l.get("type"), ConsoleTexts.text(lang, alert.path("type").asText()));
        row(h, l.get("severity"), ConsoleTexts.text(lang, alert.path("severity").asText()));
        row(h, l.get("state"), ConsoleTexts.text(lang, alert.path("state").asText()) + ", "
                + ConsoleTexts.text(lang, alert.path("reviewState").asText()));
        row(h, l.get("disposition"), alert.path("disposition").isNull() ? l.get("none")
                : ConsoleTexts.text(lang, alert.path("disposition").asText()));
        row(h, l.get("rule"), ctx.ruleName() == null ? l.get("none") : ctx.ruleName());
        row(h, l.get("zone"), ctx.zoneName() == null ? l.get("none") : ctx.zoneName());
        row(h, l.get("detected"), time(alert, "detectedAt", zone));
        row(h, l.get("fix"), time(alert, "fixTime", zone));
        row(h, l.get("opened"), time(alert, "openedFixTime", zone));
        row(h, l.get("cleared"), time(alert, "clearedFixTime", zone));
        row(h, l.get("acknowledged"), time(alert, "acknowledgedAt", zone));
        row(h, l.get("resolved"), time(alert, "resolvedAt", zone));
        row(h, l.get("takenBy"), text(alert, "takenBy", l.get("none")));
        row(h, l.get("escalated"), alert.path("escalated").asBoolean() ? l.get("yes") : l.get("no"));
        h.append("</table>");

        h.append("<h2>").append(esc(l.get("explanation"))).append("</h2><p id=\"report-explanation\">")
                .append(esc(AlertExplanation.text(lang, alert, zone))).append("</p>");

        h.append("<section class=\"map\"><h2>").append(esc(l.get("map"))).append("</h2>")
                .append(IncidentMapSvg.svg(ctx.zoneGeoJson(), track, Instant.parse(alert.path("fixTime").asText())))
                .append("<p class=\"legend\">").append(esc(l.get("legend"))).append("<br>")
                .append(esc(AgencyZone.format(from, zone))).append(" – ").append(esc(AgencyZone.format(to, zone))).append("</p></section>");

        h.append("<section class=\"history\"><h2>").append(esc(l.get("history"))).append("</h2><table id=\"report-history\"><thead><tr>");
        for (String k : new String[] {"time", "action", "user", "contact", "note"}) {
            h.append("<th>").append(esc(l.get(k))).append("</th>");
        }
        h.append("</tr></thead><tbody>");
        for (JsonNode x : history) {
            h.append("<tr data-action=\"").append(esc(x.path("action").asText())).append("\"><td>")
                    .append(esc(AgencyZone.format(Instant.parse(x.path("at").asText()), zone))).append("</td><td>")
                    .append(esc(ConsoleTexts.text(lang, "action_" + x.path("action").asText()))).append("</td><td>")
                    .append(esc(text(x, "user", ConsoleTexts.text(lang, "system")))).append("</td><td>")
                    .append(x.has("party") ? esc(ConsoleTexts.text(lang, "party_" + x.path("party").asText()) + " · "
                            + ConsoleTexts.text(lang, "outcome_" + x.path("outcome").asText())) : "")
                    .append("</td><td>").append(esc(text(x, "note", ""))).append("</td></tr>");
        }
        h.append("</tbody></table></section>");

        h.append("<section class=\"track\"><h2>").append(esc(l.get("track"))).append("</h2><p>")
                .append(Math.min(track.size(), MAX_TABLE_ROWS)).append(" / ").append(track.size()).append(' ')
                .append(esc(l.get("fixesShown"))).append("</p><table id=\"report-track\"><thead><tr>");
        for (String k : new String[] {"time", "position", "accuracy", "assurance"}) {
            h.append("<th>").append(esc(l.get(k))).append("</th>");
        }
        h.append("</tr></thead><tbody>");
        TrackPoint trigger = IncidentMapSvg.nearest(track, Instant.parse(alert.path("fixTime").asText()));
        for (TrackPoint t : track.subList(0, Math.min(track.size(), MAX_TABLE_ROWS))) {
            h.append(t == trigger ? "<tr class=\"trigger\">" : "<tr>").append("<td>").append(esc(AgencyZone.format(t.fixTime(), zone)))
                    .append("</td><td>").append(String.format(Locale.ROOT, "%.6f, %.6f", t.lat(), t.lon())).append("</td><td>")
                    .append(Double.isNaN(t.accuracyMetres()) ? "" : String.format(Locale.ROOT, "%.0f", t.accuracyMetres()))
                    .append("</td><td>").append(esc(t.assurance() == null ? "" : t.assurance())).append("</td></tr>");
        }
        h.append("</tbody></table></section>");
        h.append("<footer>").append(esc(l.get("generated"))).append(": ").append(esc(AgencyZone.format(now, zone))).append(", ")
                .append(esc(reader)).append(". ").append(esc(l.get("audited"))).append("</footer></body></html>");
        return h.toString();
    }

    private static final String CSS = """
            body{font-family:system-ui,sans-serif;font-size:12px;color:#111;margin:16px}
            header{display:flex;justify-content:space-between;align-items:center}h1{font-size:20px;margin:0}h2{font-size:15px;margin:14px 0 6px}
            table{border-collapse:collapse;width:100%}td,th{border:1px solid #bbb;padding:3px 6px;text-align:left;vertical-align:top}
            table.facts td:first-child{width:28%;font-weight:600;background:#f2f4f7}tr.trigger{background:#ffe8cc;font-weight:600}
            tr[data-action=CONTACT]{font-weight:600}.presumed{background:#fff3cd;padding:4px}.legend{color:#444}
            footer{margin-top:16px;color:#444;border-top:1px solid #bbb;padding-top:6px}
            @page{size:A4;margin:14mm}
            @media print{.no-print{display:none}body{margin:0}section.map,section.history{break-inside:avoid}thead{display:table-header-group}}
            """;

    private static void row(StringBuilder h, String label, String value) {
        h.append("<tr><td>").append(esc(label)).append("</td><td>").append(esc(value)).append("</td></tr>");
    }

    private static String time(JsonNode n, String field, String zone) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? "" : AgencyZone.format(Instant.parse(v.asText()), zone);
    }

    private static String text(JsonNode n, String field, String fallback) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? fallback : v.asText();
    }

    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(ch);
            }
        }
        return out.toString();
    }

    /** The report's own texts, {@code report_<key>} in the console's dictionaries. */
    private record Labels(String lang) {
        String get(String key) {
            return ConsoleTexts.text(lang, "report_" + key);
        }
    }
}
