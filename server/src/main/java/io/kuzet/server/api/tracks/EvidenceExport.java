package io.kuzet.server.api.tracks;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kuzet.server.api.http.Json;
import io.kuzet.server.store.TrackPoint;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The content of an evidence export: a subject's fixes, device events and alerts in [from, to), rendered as one
 * GeoJSON FeatureCollection or as CSV. Rendering is deterministic (fixed column order, ordered rows) so the same
 * window exported twice has the same SHA-256. Stateless, thread-safe; linear in the rows.
 */
final class EvidenceExport {
    /** Assurance levels in the export header, in a fixed order (docs/device-trust.md); UNRECORDED = stored before V23. */
    private static final List<String> ASSURANCE_LEVELS = List.of("AUTHENTICATED", "LOGIN_AUTHENTICATED", "IMEI_ONLY", "UNRECORDED");

    private EvidenceExport() {
    }

    record Event(Instant time, long deviceId, int type, int value) {
    }

    /**
     * One alert with both times of each transition: opened (first violating fix, and when the core decided) and cleared
     * (the fix that showed the end, and when the core decided); the cleared pair is null while the alert is open.
     */
    record AlertRow(long id, Instant fixTime, Instant detectedAt, String type, String severity, String state,
                    String disposition, String explanation, Instant openedFixTime, Instant clearedFixTime,
                    Instant clearedAt) {
    }

    static List<Event> events(Connection c, long subjectId, Instant from, Instant to) throws SQLException {
        List<Event> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                select event_time, device_id, event_type, value from device_events
                where subject_id = ? and event_time >= ? and event_time < ? order by event_time, journal_index""")) {
            ps.setLong(1, subjectId);
            ps.setTimestamp(2, Timestamp.from(from));
            ps.setTimestamp(3, Timestamp.from(to));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Event(rs.getTimestamp(1).toInstant(), rs.getLong(2), rs.getInt(3), rs.getInt(4)));
                }
            }
        }
        return out;
    }

    static List<AlertRow> alerts(Connection c, long subjectId, Instant from, Instant to) throws SQLException {
        List<AlertRow> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                select id, fix_time, detected_at, type, severity, state, disposition, explanation, opened_fix_time,
                       cleared_fix_time, cleared_at from alerts
                where subject_id = ? and fix_time >= ? and fix_time < ? order by fix_time, id""")) {
            ps.setLong(1, subjectId);
            ps.setTimestamp(2, Timestamp.from(from));
            ps.setTimestamp(3, Timestamp.from(to));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new AlertRow(rs.getLong(1), rs.getTimestamp(2).toInstant(), rs.getTimestamp(3).toInstant(),
                            rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8),
                            instant(rs.getTimestamp(9)), instant(rs.getTimestamp(10)), instant(rs.getTimestamp(11))));
                }
            }
        }
        return out;
    }

    static String geoJson(long subjectId, Instant from, Instant to, List<TrackPoint> fixes, List<Event> events, List<AlertRow> alerts) {
        ObjectNode fc = TrackGeoJson.featureCollection(fixes, false);
        ObjectNode meta = fc.putObject("properties").put("subjectId", Long.toString(subjectId))
                .put("from", from.toString()).put("to", to.toString());
        ObjectNode byAssurance = meta.putObject("fixesByAssurance");   // fixed key order: deterministic digest
        for (String level : ASSURANCE_LEVELS) {
            byAssurance.put(level, fixes.stream().filter(p -> level.equals(p.assurance() == null ? "UNRECORDED" : p.assurance())).count());
        }
        ArrayNode ev = meta.putArray("deviceEvents");
        for (Event e : events) {
            ev.addObject().put("time", e.time().toString()).put("deviceId", Long.toString(e.deviceId()))
                    .put("eventType", e.type()).put("value", e.value());
        }
        ArrayNode al = meta.putArray("alerts");
        for (AlertRow a : alerts) {
            al.addObject().put("alertId", Long.toString(a.id())).put("fixTime", a.fixTime().toString())
                    .put("detectedAt", a.detectedAt().toString()).put("type", a.type()).put("severity", a.severity())
                    .put("state", a.state()).put("disposition", a.disposition()).put("explanation", a.explanation())
                    .put("openedFixTime", text(a.openedFixTime())).put("clearedFixTime", text(a.clearedFixTime()))
                    .put("clearedAt", text(a.clearedAt()));
        }
        return Json.write(fc);
    }

    /**
     * CSV (RFC 4180), one header and one row per record:
     * <pre>record,time,device_id,lat,lon,accuracy_m,speed_kmh,code,value,alert_id,severity,state,disposition,explanation,assurance</pre>
     * {@code record} is {@code fix}, {@code event}, {@code alert} (time = the completing fix's time) or
     * {@code alert_cleared} (time = the clearing fix's time; {@code value} = when the core decided the clearing); {@code assurance} (fixes only) is how far the fix can be
     * trusted to come from the device ({@code AUTHENTICATED}, {@code LOGIN_AUTHENTICATED}, {@code IMEI_ONLY}; empty when
     * not recorded).
     */
    static String csv(List<TrackPoint> fixes, List<Event> events, List<AlertRow> alerts) {
        StringBuilder sb = new StringBuilder(64 * (fixes.size() + events.size() + alerts.size() + 1));
        sb.append("record,time,device_id,lat,lon,accuracy_m,speed_kmh,code,value,alert_id,severity,state,disposition,explanation,assurance\r\n");
        for (TrackPoint p : fixes) {
            sb.append("fix,").append(p.fixTime()).append(',').append(p.deviceId()).append(',').append(p.lat()).append(',')
                    .append(p.lon()).append(',').append(Double.isNaN(p.accuracyMetres()) ? "" : p.accuracyMetres()).append(',')
                    .append(p.speedKmh()).append(",,,,,,,,").append(p.assurance() == null ? "" : p.assurance()).append("\r\n");
        }
        for (Event e : events) {
            sb.append("event,").append(e.time()).append(',').append(e.deviceId()).append(",,,,,").append(e.type()).append(',')
                    .append(e.value()).append(",,,,,,\r\n");
        }
        for (AlertRow a : alerts) {
            sb.append("alert,").append(a.fixTime()).append(",,,,,,").append(quote(a.type())).append(",,").append(a.id())
                    .append(',').append(a.severity()).append(',').append(a.state()).append(',')
                    .append(a.disposition() == null ? "" : a.disposition()).append(',').append(quote(a.explanation())).append(",\r\n");
            if (a.clearedFixTime() != null) {
                sb.append("alert_cleared,").append(a.clearedFixTime()).append(",,,,,,").append(quote(a.type())).append(',')
                        .append(a.clearedAt() == null ? "" : a.clearedAt()).append(',').append(a.id()).append(',')
                        .append(a.severity()).append(',').append(a.state()).append(",,,\r\n");
            }
        }
        return sb.toString();
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    private static String text(Instant t) {
        return t == null ? null : t.toString();
    }

    private static String quote(String s) {
        if (s == null) {
            return "";
        }
        boolean needs = s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0;
        String safe = !s.isEmpty() && "=+-@".indexOf(s.charAt(0)) >= 0 ? "'" + s : s; // no formula injection in spreadsheets
        return needs || !safe.equals(s) ? '"' + safe.replace("\"", "\"\"") + '"' : s;
    }
}
