package io.kuzet.server.api.console;

import com.fasterxml.jackson.databind.JsonNode;
import io.kuzet.server.api.alerts.AgencyZone;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An alert's explanation in English, Russian or Kazakh from its structured details, for pages the server renders
 * (the printed incident report): a line-by-line port of {@code console/console-explain.js} with the same texts
 * ({@code i18n-explain.js}, read through {@link ConsoleTexts}), so a report says what the console says.
 * AlertExplanationParityBrowserTest runs both on the same alerts of every type in every language and fails on any
 * difference: change the two together. Times are in the agency's zone as {@link AgencyZone#format} writes them (the
 * console's {@code fmtTime}). Stateless.
 */
public final class AlertExplanation {
    private static final Set<String> ZONE_TYPES = Set.of("EXCLUSION_VIOLATION", "INCLUSION_VIOLATION", "CURFEW_VIOLATION",
            "PROXIMITY_VIOLATION", "PROXIMITY_WARNING", "ZONE_UNCERTAIN", "CURFEW_STATUS_UNKNOWN",
            "ZONE_APPROACH_WARNING", "CURFEW_WARNING");
    /** An upload delay worth stating, as in console-explain.js. */
    private static final double UPLOAD_DELAY_STATED_S = 60;
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{(\\w+)\\}");

    private final String lang;
    private final String zone;

    private AlertExplanation(String lang, String zone) {
        this.lang = lang;
        this.zone = zone;
    }

    /** The explanation of {@code alert} (as the alert API answers it) in {@code lang}, times in {@code zone}. */
    public static String text(String lang, JsonNode alert, String zone) {
        return new AlertExplanation(lang, zone).explain(alert);
    }

    private String explain(JsonNode a) {
        JsonNode d = a.path("details");
        String type = a.path("type").asText();
        String text = ZONE_TYPES.contains(type) ? (truthy(d.get("ruleKind")) ? zoneExplanation(a, d) : null) : deviceExplanation(a, d);
        if (text != null) {
            return text;
        }
        return "en".equals(lang) && truthy(a.get("explanation")) ? a.get("explanation").asText() : t(type);
    }

    private String t(String key) {
        return ConsoleTexts.text(lang, key);
    }

    /** A text with {name} placeholders filled in; a missing or null value leaves its placeholder, as in JS. */
    private String tf(String key, Map<String, Object> params) {
        Matcher m = PLACEHOLDER.matcher(t(key));
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            Object v = params.get(m.group(1));
            String s = v == null || (v instanceof JsonNode n && n.isNull()) ? m.group() : js(v);
            m.appendReplacement(out, Matcher.quoteReplacement(s));
        }
        m.appendTail(out);
        return out.toString();
    }

    private String duration(JsonNode seconds) {
        return duration(number(seconds));
    }

    private String duration(double seconds) {
        long s = Math.max(0, Math.round(Double.isNaN(seconds) ? 0 : seconds));
        if (s < 120) {
            return tf("ex_sec", Map.of("n", s));
        }
        long m = Math.round(s / 60.0);
        if (m >= 48 * 60) {
            return tf("ex_days", Map.of("n", Math.floorDiv(m, 1440)));
        }
        return m < 120 ? tf("ex_min", Map.of("n", m)) : tf("ex_hmin", Map.of("h", Math.floorDiv(m, 60), "m", m % 60));
    }

    private String metres(JsonNode value) {
        double abs = Math.abs(number(value));
        return abs >= 10000 ? tf("ex_km", Map.of("n", new BigDecimal(abs / 1000).setScale(1, RoundingMode.HALF_UP).toPlainString()))
                : tf("ex_m", Map.of("n", Math.round(abs)));
    }

    private String position(JsonNode d) {
        JsonNode distance = d.get("signedDistanceMetres");
        if (distance == null || distance.isNull()) {
            return t("ex_distanceUnknown");
        }
        boolean proximity = "PROXIMITY".equals(d.path("ruleKind").asText());
        boolean inside = number(distance) >= 0;
        String text = tf(proximity ? (inside ? "ex_proxInside" : "ex_proxOutside") : (inside ? "ex_inside" : "ex_outside"),
                Map.of("distance", metres(distance)));
        JsonNode accuracy = d.get("accuracyMetres");
        return accuracy == null || accuracy.isNull() ? text : text + " (" + tf("ex_accuracy", Map.of("accuracy", metres(accuracy))) + ")";
    }

    private String zoneExplanation(JsonNode a, JsonNode d) {
        String type = a.path("type").asText();
        JsonNode zoneName = d.get("zoneName");
        String head = tf("ex_subject", params("kind", t("ex_kind_" + d.path("ruleKind").asText()), "rule", d.get("ruleName")))
                + (truthy(zoneName) && !zoneName.equals(d.get("ruleName")) ? " (" + tf("ex_zoneNamed", params("zone", zoneName)) + ")" : "");
        String body;
        if (type.equals("CURFEW_STATUS_UNKNOWN")) {
            body = tf("ex_statusUnknown", Map.of("time", fmtTime(d.get("openingFixTime")), "duration", duration(d.get("durationSeconds"))));
        } else if ("LAST_KNOWN_POSITION".equals(d.path("basis").asText(null))) {
            body = tf("ex_windowAway", Map.of("time", fmtTime(d.get("openingFixTime")),
                    "last", truthy(d.get("lastFixTime")) ? fmtTime(d.get("lastFixTime")) : t("ex_neverSince"))) + ", " + position(d);
        } else if (type.equals("ZONE_UNCERTAIN")) {
            body = tf("ex_ambiguous", Map.of("duration", duration(d.get("durationSeconds")))) + ": " + position(d) + ", "
                    + tf("ex_fixCount", params("count", d.get("fixCount")));
        } else if (type.equals("PROXIMITY_WARNING")) {
            body = t("ex_warning") + ": " + position(d);
        } else if (type.equals("ZONE_APPROACH_WARNING")) {
            body = t("ex_approach") + ": " + position(d);
        } else if (type.equals("CURFEW_WARNING")) {
            body = tf("ex_curfewSoon", Map.of("time", fmtTime(d.get("openingFixTime")), "duration", duration(d.get("durationSeconds"))))
                    + ": " + position(d);
        } else {
            body = position(d) + ", " + tf("ex_fixes", params("count", d.get("fixCount"), "duration", duration(d.get("durationSeconds"))));
        }
        String text = head + ": " + body;
        if (number(d.get("uploadDelaySeconds")) >= UPLOAD_DELAY_STATED_S) {
            text += "; " + tf("ex_upload", Map.of("duration", duration(d.get("uploadDelaySeconds"))));
        }
        if (truthy(a.get("late"))) {
            text += "; " + t("ex_late");
        }
        return text;
    }

    private String since(JsonNode d, JsonNode a, String key) {
        return truthy(d.get("neverSinceMonitoringBegan")) ? t("ex_neverSince") : tf(key, Map.of("time", fmtTime(a.get("fixTime"))));
    }

    private String deviceExplanation(JsonNode a, JsonNode d) {
        switch (a.path("type").asText()) {
            case "BATTERY_LOW", "BATTERY_CRITICAL" -> {
                return d.get("batteryPercent") == null ? null : tf(d.get("thresholdPercent") == null ? "ex_batteryLevel" : "ex_battery",
                        params("percent", d.get("batteryPercent"), "threshold", d.get("thresholdPercent")));
            }
            case "NO_COMMUNICATION" -> {
                return d.get("silentSeconds") == null ? null : tf("ex_noComm", Map.of("duration", duration(d.get("silentSeconds")),
                        "limit", duration(d.get("limitSeconds")))) + "; " + since(d, a, "ex_lastMessage");
            }
            case "NO_GPS_FIX" -> {
                return d.get("noFixSeconds") == null ? null : tf("ex_noFix", Map.of("duration", duration(d.get("noFixSeconds")),
                        "limit", duration(d.get("limitSeconds")))) + "; " + since(d, a, "ex_lastFix");
            }
            case "STRAP_TAMPER", "CASE_TAMPER", "POWER_OFF" -> {
                return tf("ex_reported", Map.of("time", fmtTime(a.get("fixTime"))))
                        + (truthy(a.get("late")) ? "; " + tf("ex_reportedLate", Map.of("time", fmtTime(a.get("detectedAt")))) : "");
            }
            case "CLOCK_FAULT" -> {
                if (d.get("faultyFixes") == null) {
                    return null;
                }
                double offset = number(d.get("offsetSeconds"));
                return tf("ex_clockFault", params("count", d.get("faultyFixes"), "offset", duration(Math.abs(offset)),
                        "direction", t(offset > 0 ? "ex_ahead" : "ex_behind"),
                        "claimed", AgencyZone.format(Instant.ofEpochMilli((long) number(d.get("claimedFixTimeMs"))), zone),
                        "received", AgencyZone.format(Instant.ofEpochMilli((long) number(d.get("receivedAtMs"))), zone)));
            }
            case "DUPLICATE_SESSION" -> {
                return tf("ex_duplicate", Map.of("time", fmtTime(a.get("fixTime"))))
                        + (truthy(d.get("outcome")) ? "; " + t("ex_dup_" + d.get("outcome").asText()) : "");
            }
            default -> {
                return null;
            }
        }
    }

    /** The console's fmtTime: empty for a missing time. */
    private String fmtTime(JsonNode iso) {
        return truthy(iso) ? AgencyZone.format(Instant.parse(iso.asText()), zone) : "";
    }

    /** Parameters that may be absent (a null value keeps its placeholder); Map.of refuses nulls. */
    private static Map<String, Object> params(Object... kv) {
        Map<String, Object> out = new java.util.HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            if (kv[i + 1] != null) {
                out.put((String) kv[i], kv[i + 1]);
            }
        }
        return out;
    }

    /** JavaScript's Number(): NaN for missing, null counts as 0. */
    private static double number(JsonNode n) {
        if (n == null) {
            return Double.NaN;
        }
        if (n.isNull()) {
            return 0;
        }
        if (n.isBoolean()) {
            return n.asBoolean() ? 1 : 0;
        }
        return n.isNumber() ? n.asDouble() : parse(n.asText());
    }

    private static double parse(String s) {
        try {
            return s.isBlank() ? 0 : Double.parseDouble(s.trim());
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /** JavaScript's truthiness of a JSON value. */
    private static boolean truthy(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return false;
        }
        if (n.isBoolean()) {
            return n.asBoolean();
        }
        if (n.isNumber()) {
            return n.asDouble() != 0 && !Double.isNaN(n.asDouble());
        }
        return !n.isTextual() || !n.asText().isEmpty();
    }

    /** JavaScript's String() of a value. */
    private static String js(Object v) {
        if (v instanceof JsonNode n) {
            return n.isNumber() ? jsNumber(n.asDouble()) : n.asText();
        }
        if (v instanceof Double x) {
            return jsNumber(x);
        }
        return String.valueOf(v);
    }

    private static String jsNumber(double x) {
        if (x == Math.rint(x) && Math.abs(x) < 1e21) {
            return Long.toString((long) x);
        }
        return new BigDecimal(Double.toString(x)).stripTrailingZeros().toPlainString();
    }
}
