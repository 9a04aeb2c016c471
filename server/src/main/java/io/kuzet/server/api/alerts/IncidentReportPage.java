package io.kuzet.server.api.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import io.kuzet.server.store.TrackPoint;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The HTML of a printed incident report (see {@link IncidentReportRoutes}): labels in English, Russian or Kazakh,
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

    private static final String[] KEYS = {"title", "agency", "subject", "case", "type", "severity", "state", "disposition",
        "rule", "zone", "detected", "fix", "opened", "cleared", "acknowledged", "resolved", "takenBy", "escalated",
        "explanation", "map", "track", "history", "time", "position", "accuracy", "assurance", "action", "user", "note",
        "contact", "generated", "audited", "presumed", "yes", "no", "legend", "none", "fixesShown", "print"};
    private static final Map<String, String[]> TEXT = Map.of(
            "en", new String[] {"Incident report", "Agency", "Subject", "Case", "Alert type", "Severity", "State", "Disposition",
                "Rule", "Zone", "Detected", "Fix time", "Opened (fix time)", "Cleared (fix time)", "Acknowledged", "Resolved",
                "Taken by", "Escalated", "Explanation", "Map", "Track", "History and contact log", "Time", "Position",
                "Accuracy, m", "Assurance", "Action", "User", "Note", "Contact", "Generated", "This access is recorded in the audit log.",
                "Pre-trial: the subject is presumed innocent.", "yes", "no",
                "red: zone; blue: track; orange: the fix that raised the alert, with its accuracy circle", "none",
                "fixes listed (the map shows all)", "Print"},
            "ru", new String[] {"Отчёт об инциденте", "Служба", "Поднадзорный", "Дело", "Тип тревоги", "Важность", "Состояние",
                "Решение", "Правило", "Зона", "Обнаружено", "Время координат", "Начало (время координат)",
                "Завершение (время координат)", "Принято", "Закрыто", "Взял в работу", "Передано старшему", "Пояснение", "Карта",
                "Трек", "История и журнал звонков", "Время", "Позиция", "Точность, м", "Достоверность", "Действие", "Пользователь",
                "Заметка", "Звонок", "Сформирован", "Этот доступ записан в журнал аудита.",
                "До суда: поднадзорный считается невиновным.", "да", "нет",
                "красное: зона; синее: трек; оранжевое: координаты, вызвавшие тревогу, с кругом точности", "нет",
                "координат в таблице (карта показывает все)", "Печать"},
            "kk", new String[] {"Оқиға туралы есеп", "Қызмет", "Бақылаудағы адам", "Іс", "Дабыл түрі", "Маңыздылығы", "Күйі",
                "Шешім", "Ереже", "Аймақ", "Анықталды", "Координат уақыты", "Басталуы (координат уақыты)",
                "Аяқталуы (координат уақыты)", "Қабылданды", "Жабылды", "Жұмысқа алған", "Аға маманға жіберілді", "Түсіндірме",
                "Карта", "Трек", "Тарих және қоңыраулар журналы", "Уақыт", "Орны", "Дәлдігі, м", "Сенімділік", "Әрекет",
                "Пайдаланушы", "Жазба", "Қоңырау", "Жасалған уақыты", "Бұл кіру аудит журналына жазылды.",
                "Сотқа дейін: бақылаудағы адам кінәсіз деп саналады.", "иә", "жоқ",
                "қызыл: аймақ; көк: трек; қызғылт сары: дабыл тудырған координаттар, дәлдік шеңберімен", "жоқ",
                "координат кестеде (карта бәрін көрсетеді)", "Басып шығару"});

    private IncidentReportPage() {
    }

    static String html(String lang, JsonNode alert, JsonNode history, Context ctx, List<TrackPoint> track, Instant from,
                       Instant to, String reader, Instant now) {
        Labels l = new Labels(TEXT.get(lang));
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
        row(h, l.get("type"), alert.path("type").asText());
        row(h, l.get("severity"), alert.path("severity").asText());
        row(h, l.get("state"), alert.path("state").asText());
        row(h, l.get("disposition"), text(alert, "disposition", l.get("none")));
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
                .append(esc(alert.path("explanation").asText())).append("</p>");

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
                    .append(esc(x.path("action").asText())).append("</td><td>").append(esc(text(x, "user", "system")))
                    .append("</td><td>").append(x.has("party") ? esc(x.path("party").asText() + " / " + x.path("outcome").asText()) : "")
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

    private record Labels(String[] texts) {
        String get(String key) {
            for (int i = 0; i < KEYS.length; i++) {
                if (KEYS[i].equals(key)) {
                    return texts[i];
                }
            }
            throw new IllegalArgumentException(key);
        }
    }
}
