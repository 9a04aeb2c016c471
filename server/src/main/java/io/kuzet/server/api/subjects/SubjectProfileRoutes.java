package io.kuzet.server.api.subjects;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kuzet.protocol.DeviceEventType;
import io.kuzet.server.api.ApiContext;
import io.kuzet.server.api.auth.Role;
import io.kuzet.server.api.http.ApiException;
import io.kuzet.server.api.http.ApiRequest;
import io.kuzet.server.api.http.ApiResponse;
import io.kuzet.server.api.http.Json;
import io.kuzet.server.api.http.Route;
import io.kuzet.server.registry.DeviceRecord;
import io.kuzet.server.registry.OrderRecord;
import io.kuzet.server.registry.RegistrySnapshot;
import io.kuzet.server.registry.RuleRecord;
import io.kuzet.server.registry.VictimUnits;
import io.kuzet.server.registry.ZoneRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAdjusters;
import java.util.Comparator;
import java.util.List;

/**
 * The subject profile an operator reads beside an alert (issue 13): case, order terms and risk level, the rules with
 * their zones and schedules, the victim unit of a proximity rule (only when it belongs to the subject's agency, see
 * {@link VictimUnits}), the assigned officer and the numbers to call, and each device's last contact and last
 * battery report. Schedules are written in the order's time zone; the profile gives each window as it falls in the
 * agency's time zone (the zone the console shows) for the coming week. Operators and up, scoped by agency (404 for
 * another agency's subject). Read-only; rules and devices come from the registry snapshot, contacts and device
 * vitals from the database (a handful of indexed queries). Thread-safe.
 */
public final class SubjectProfileRoutes {
    private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm");
    private static final int MAX_EXCEPTIONS = 20;

    private final ApiContext ctx;

    public SubjectProfileRoutes(ApiContext ctx) {
        this.ctx = ctx;
    }

    public List<Route> routes() {
        return List.of(new Route("GET", "/api/v1/subjects/{id}/profile", Role.OPERATOR, this::profile));
    }

    private ApiResponse profile(ApiRequest request) throws Exception {
        long subjectId = request.idParam("id");
        Instant now = ctx.now();
        RegistrySnapshot registry = ctx.registry().snapshot();
        try (Connection c = ctx.dataSource().getConnection()) {
            long agencyId = SubjectScope.subjectAgency(c, request.principal(), subjectId);
            ZoneId agencyZone = agencyZone(c, agencyId);
            ObjectNode out = subject(c, subjectId);
            out.put("timeZone", agencyZone.getId());
            OrderRecord order = order(registry, subjectId, now);
            if (order == null) {
                out.putNull("order");
                out.set("rules", Json.array());
            } else {
                out.set("order", Json.object().put("id", Long.toString(order.id())).put("legalReference", order.legalReference())
                        .put("kind", order.kind().name()).put("presumedInnocent", order.kind().presumedInnocent())
                        .put("startsAt", order.startsAt().toString())
                        .put("endsAt", order.endsAt() == null ? null : order.endsAt().toString())
                        .put("active", order.activeAt(now.toEpochMilli())).put("timeZone", order.timeZone().getId())
                        .put("riskLevel", order.riskLevel().name())
                        .put("noCommunicationLimitS", order.noCommunicationLimitS()).put("noFixLimitS", order.noFixLimitS()));
                out.set("rules", rules(c, registry, order, agencyId, agencyZone, now));
            }
            ArrayNode devices = out.putArray("devices");
            for (DeviceRecord d : registry.assignedDevices()) {
                if (d.subjectId() == subjectId) {
                    devices.add(device(c, d));
                }
            }
            return ApiResponse.ok(out);
        }
    }

    private static ObjectNode subject(Connection c, long subjectId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                select id, agency_id, external_case_id, display_name, pre_trial, phone, officer_name, officer_phone
                from subjects where id = ?""")) {
            ps.setLong(1, subjectId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw ApiException.notFound("subject");
                }
                ObjectNode n = Json.object().put("subjectId", Long.toString(rs.getLong(1)))
                        .put("agencyId", Long.toString(rs.getLong(2))).put("externalCaseId", rs.getString(3))
                        .put("displayName", rs.getString(4)).put("preTrial", rs.getBoolean(5)).put("phone", rs.getString(6));
                n.putObject("officer").put("name", rs.getString(7)).put("phone", rs.getString(8));
                return n;
            }
        }
    }

    private static ZoneId agencyZone(Connection c, long agencyId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select time_zone from agencies where id = ?")) {
            ps.setLong(1, agencyId);
            try (ResultSet rs = ps.executeQuery()) {
                return ZoneId.of(rs.next() && rs.getString(1) != null ? rs.getString(1) : "UTC");
            } catch (DateTimeException e) {
                return ZoneId.of("UTC");
            }
        }
    }

    /** The order in force now, else the one that started last (ended or not yet begun orders still explain alerts). */
    private static OrderRecord order(RegistrySnapshot registry, long subjectId, Instant now) {
        OrderRecord active = registry.activeOrder(subjectId, now.toEpochMilli());
        if (active != null) {
            return active;
        }
        return registry.orders().stream().filter(o -> o.subjectId() == subjectId)
                .max(Comparator.comparing(OrderRecord::startsAt)).orElse(null);
    }

    private static ArrayNode rules(Connection c, RegistrySnapshot registry, OrderRecord order, long agencyId, ZoneId agencyZone,
                                   Instant now) throws SQLException {
        ArrayNode out = Json.array();
        LocalDate today = now.atZone(order.timeZone()).toLocalDate();
        for (RuleRecord r : registry.rules(order.id())) {
            ObjectNode n = out.addObject().put("ruleId", Long.toString(r.id())).put("name", r.name()).put("kind", r.kind());
            ZoneRecord zone = r.zoneId() == 0 ? null : registry.zone(r.zoneId());
            if (zone != null && zone.agencyId() == agencyId) {
                n.putObject("zone").put("zoneId", Long.toString(zone.id())).put("name", zone.name());
            } else {
                n.putNull("zone");
            }
            if ("PROXIMITY".equals(r.kind())) {
                n.put("distanceM", r.distanceM()).put("warnDistanceM", r.warnDistanceM());
                n.set("victimUnit", victimUnit(c, registry, r.victimDeviceId(), agencyId));
            }
            ArrayNode windows = n.putArray("windows");
            for (RuleRecord.Window w : r.windows()) {
                windows.add(window(w, order.timeZone(), agencyZone, today));
            }
            ArrayNode exceptions = n.putArray("exceptions");
            for (RuleRecord.Exception e : r.exceptions()) {
                if (!e.date().isBefore(today) && exceptions.size() < MAX_EXCEPTIONS) {
                    ZonedDateTime start = ZonedDateTime.of(e.date(), e.start(), order.timeZone());
                    ZonedDateTime end = ZonedDateTime.of(e.end().isAfter(e.start()) ? e.date() : e.date().plusDays(1), e.end(),
                            order.timeZone());
                    exceptions.addObject().put("startsAt", start.toInstant().toString()).put("endsAt", end.toInstant().toString())
                            .put("add", e.add()).put("reason", e.reason());
                }
            }
        }
        return out;
    }

    /**
     * A weekly window as it falls in the agency's zone on its next occurrence (from today, in the order's zone): the
     * weekday and times may shift when the two zones differ. {@code nextStart}/{@code nextEnd} are that occurrence.
     */
    static ObjectNode window(RuleRecord.Window w, ZoneId orderZone, ZoneId agencyZone, LocalDate today) {
        LocalDate day = today.with(TemporalAdjusters.nextOrSame(w.day()));
        ZonedDateTime start = ZonedDateTime.of(day, w.start(), orderZone);
        ZonedDateTime end = ZonedDateTime.of(w.end().isAfter(w.start()) ? day : day.plusDays(1), w.end(), orderZone);
        ZonedDateTime localStart = start.withZoneSameInstant(agencyZone);
        ZonedDateTime localEnd = end.withZoneSameInstant(agencyZone);
        return Json.object().put("day", localStart.getDayOfWeek().name()).put("start", hhmm(localStart.toLocalTime()))
                .put("end", hhmm(localEnd.toLocalTime())).put("nextStart", start.toInstant().toString())
                .put("nextEnd", end.toInstant().toString());
    }

    private static String hhmm(LocalTime t) {
        return HH_MM.format(t);
    }

    /** The victim unit when the agency may use it; a unit outside its rights is reported as hidden, never described. */
    private static ObjectNode victimUnit(Connection c, RegistrySnapshot registry, long deviceId, long agencyId) throws SQLException {
        DeviceRecord d = deviceId == 0 ? null : registry.device(deviceId);
        if (d == null || VictimUnits.check(c, deviceId, agencyId) != VictimUnits.Problem.NONE) {
            return Json.object().put("visible", false);
        }
        return device(c, d).put("visible", true);
    }

    /** A device with its last contact (newest stored fix or event, by receive time) and its last battery report. */
    private static ObjectNode device(Connection c, DeviceRecord d) throws SQLException {
        ObjectNode n = Json.object().put("deviceId", Long.toString(d.id())).put("protocol", d.protocol())
                .put("deviceNumber", Long.toString(d.deviceNumber())).put("role", d.role().name());
        // by subject and device: (subject_id, time) is the only index of these tables (migration 36), so a query by
        // device alone would read every partition; the storage writer files a device's rows under its subject
        Timestamp fix = newest(c, "select received_at from positions where subject_id = ? and device_id = ? "
                + "order by fix_time desc limit 1", d);
        Timestamp event = newest(c, "select received_at from device_events where subject_id = ? and device_id = ? "
                + "order by event_time desc limit 1", d);
        Timestamp last = fix == null ? event : event == null || fix.after(event) ? fix : event;
        n.put("lastContactAt", Json.instant(last));
        try (PreparedStatement ps = c.prepareStatement("""
                select value, event_time from device_events
                where subject_id = ? and device_id = ? and event_type in (?, ?) and value >= 0
                order by event_time desc limit 1""")) {
            ps.setLong(1, d.subjectId());
            ps.setLong(2, d.id());
            ps.setShort(3, (short) DeviceEventType.BATTERY_LOW.code());
            ps.setShort(4, (short) DeviceEventType.BATTERY_CRITICAL.code());
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    n.put("batteryPercent", rs.getInt(1)).put("batteryAt", Json.instant(rs.getTimestamp(2)));
                } else {
                    n.putNull("batteryPercent").putNull("batteryAt");
                }
            }
        }
        return n;
    }

    private static Timestamp newest(Connection c, String sql, DeviceRecord d) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, d.subjectId());
            ps.setLong(2, d.id());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getTimestamp(1) : null;
            }
        }
    }
}
