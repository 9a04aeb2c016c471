package io.kuzet.server.api.subjects;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kuzet.server.api.ApiContext;
import io.kuzet.server.api.audit.AuditLog;
import io.kuzet.server.api.auth.Principal;
import io.kuzet.server.api.auth.Role;
import io.kuzet.server.api.auth.UserRoutes;
import io.kuzet.server.api.http.ApiException;
import io.kuzet.server.api.http.ApiRequest;
import io.kuzet.server.api.http.ApiResponse;
import io.kuzet.server.api.http.Json;
import io.kuzet.server.api.http.Route;
import io.kuzet.server.registry.VictimUnits;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Set;

/**
 * Rules of an order with their weekly schedule (in the order's time zone) and dated exceptions (court date,
 * approved absence), created in one transaction; deactivating a rule keeps it for the record. Each change reloads
 * the registry so the core evaluates the next fix with it. Thread-safe.
 */
public final class RuleRoutes {
    private static final Set<String> KINDS = Set.of("INCLUSION", "EXCLUSION", "CURFEW", "PROXIMITY");

    private final ApiContext ctx;

    public RuleRoutes(ApiContext ctx) {
        this.ctx = ctx;
    }

    public List<Route> routes() {
        return List.of(
                new Route("GET", "/api/v1/orders/{id}/rules", Role.OPERATOR, this::list),
                new Route("POST", "/api/v1/orders/{id}/rules", Role.SUPERVISOR, this::create),
                new Route("POST", "/api/v1/rules/{id}/deactivate", Role.SUPERVISOR, this::deactivate),
                new Route("POST", "/api/v1/rules/{id}/exceptions", Role.SUPERVISOR, this::addException));
    }

    private ApiResponse list(ApiRequest request) throws Exception {
        long orderId = request.idParam("id");
        ArrayNode out = Json.array();
        try (Connection c = ctx.dataSource().getConnection()) {
            SubjectScope.orderSubject(c, request.principal(), orderId);
            try (PreparedStatement ps = c.prepareStatement("""
                    select id, name, kind, zone_id, victim_device_id, distance_m, grace_m, active from rules
                    where order_id = ? order by id""")) {
                ps.setLong(1, orderId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long id = rs.getLong(1);
                        long zone = rs.getLong(4);
                        long victim = rs.getLong(5);
                        ObjectNode n = out.addObject().put("id", Long.toString(id)).put("name", rs.getString(2))
                                .put("kind", rs.getString(3)).put("zoneId", zone == 0 ? null : Long.toString(zone))
                                .put("victimDeviceId", victim == 0 ? null : Long.toString(victim))
                                .put("distanceM", rs.getDouble(6)).put("graceM", rs.getDouble(7)).put("active", rs.getBoolean(8));
                        n.set("schedule", schedule(c, id));
                        n.set("exceptions", exceptions(c, id));
                    }
                }
            }
        }
        return ApiResponse.ok(Json.object().put("orderId", Long.toString(orderId)).set("rules", out));
    }

    private ApiResponse create(ApiRequest request) throws Exception {
        long orderId = request.idParam("id");
        JsonNode body = request.json();
        Principal p = request.principal();
        String name = Json.requiredText(body, "name", 200);
        String kind = Json.requiredText(body, "kind", 16).toUpperCase(java.util.Locale.ROOT);
        if (!KINDS.contains(kind)) {
            throw ApiException.badRequest("'kind' must be one of " + KINDS);
        }
        long zoneId = kind.equals("PROXIMITY") ? 0 : Json.requiredId(body, "zoneId");
        long victimId = kind.equals("PROXIMITY") ? Json.requiredId(body, "victimDeviceId") : 0;
        double distance = Json.optionalDouble(body, "distanceM", 0, 0, 100_000);
        double warn = Json.optionalDouble(body, "warnDistanceM", 0, 0, 100_000);
        double grace = Json.optionalDouble(body, "graceM", 0, 0, 10_000);
        if (kind.equals("PROXIMITY") && distance <= 0) {
            throw ApiException.badRequest("a proximity rule needs 'distanceM' > 0");
        }
        try (Connection c = ctx.dataSource().getConnection()) {
            long subjectId = SubjectScope.orderSubject(c, p, orderId);
            if (zoneId != 0) {
                SubjectScope.zoneAgency(c, p, zoneId);
            }
            if (victimId != 0) {
                switch (VictimUnits.check(c, victimId, SubjectScope.subjectAgency(c, p, subjectId))) {
                    case NOT_FOUND -> throw ApiException.notFound("victim device");
                    case NOT_A_VICTIM_UNIT -> throw ApiException.badRequest("'victimDeviceId' must be a device with the role VICTIM_UNIT");
                    default -> { }
                }
            }
            c.setAutoCommit(false);
            long id;
            try {
                try (PreparedStatement ps = c.prepareStatement("""
                        insert into rules (order_id, name, kind, zone_id, victim_device_id, distance_m, warn_distance_m, grace_m,
                                           open_fixes, open_dwell_s, close_fixes, close_dwell_s)
                        values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", Statement.RETURN_GENERATED_KEYS)) {
                    ps.setLong(1, orderId);
                    ps.setString(2, name);
                    ps.setString(3, kind);
                    setId(ps, 4, zoneId);
                    setId(ps, 5, victimId);
                    ps.setDouble(6, distance);
                    ps.setDouble(7, warn);
                    ps.setDouble(8, grace);
                    ps.setInt(9, Json.optionalInt(body, "openFixes", 0, 0, 100));
                    ps.setInt(10, Json.optionalInt(body, "openDwellS", 0, 0, 86_400));
                    ps.setInt(11, Json.optionalInt(body, "closeFixes", 0, 0, 100));
                    ps.setInt(12, Json.optionalInt(body, "closeDwellS", 0, 0, 86_400));
                    ps.executeUpdate();
                    id = UserRoutes.generatedId(ps);
                }
                insertSchedule(c, id, body.get("schedule"));
                JsonNode exceptions = body.get("exceptions");
                if (exceptions != null && exceptions.isArray()) {
                    for (JsonNode e : exceptions) {
                        insertException(c, id, e);
                    }
                }
                ctx.audit().change(c, p, "RULE_CREATED", subjectId, "rules", id, null, ruleSnapshot(c, id));
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
            ctx.reloadRegistry();
            return ApiResponse.created(Json.object().put("id", Long.toString(id)).put("orderId", Long.toString(orderId))
                    .put("name", name).put("kind", kind));
        }
    }

    private ApiResponse deactivate(ApiRequest request) throws Exception {
        long ruleId = request.idParam("id");
        try (Connection c = ctx.dataSource().getConnection()) {
            long subjectId = ruleOrder(c, request.principal(), ruleId);
            AuditLog.inTransaction(c, tx -> {
                JsonNode before = ruleSnapshot(tx, ruleId);
                try (PreparedStatement ps = tx.prepareStatement("update rules set active = false where id = ?")) {
                    ps.setLong(1, ruleId);
                    ps.executeUpdate();
                }
                ctx.audit().change(tx, request.principal(), "RULE_DEACTIVATED", subjectId, "rules", ruleId, before, ruleSnapshot(tx, ruleId));
                return null;
            });
            ctx.reloadRegistry();
            return ApiResponse.noContent();
        }
    }

    private ApiResponse addException(ApiRequest request) throws Exception {
        long ruleId = request.idParam("id");
        try (Connection c = ctx.dataSource().getConnection()) {
            long subjectId = ruleOrder(c, request.principal(), ruleId);
            AuditLog.inTransaction(c, tx -> {
                long id = insertException(tx, ruleId, request.json());
                ctx.audit().change(tx, request.principal(), "RULE_EXCEPTION_ADDED", subjectId, "schedule_exceptions", id, null,
                        AuditLog.row(tx, "schedule_exceptions", id));
                return null;
            });
            ctx.reloadRegistry();
            return ApiResponse.created(Json.object().put("ruleId", Long.toString(ruleId)));
        }
    }

    /** A rule's row with its weekly schedule and exceptions, as the audit log keeps it. */
    private static JsonNode ruleSnapshot(Connection c, long ruleId) throws SQLException {
        ObjectNode row = (ObjectNode) AuditLog.row(c, "rules", ruleId);
        row.set("schedule", schedule(c, ruleId));
        row.set("exceptions", exceptions(c, ruleId));
        return row;
    }

    /** The subject of the rule's order when the caller sees it, else 404. */
    private static long ruleOrder(Connection c, Principal p, long ruleId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select order_id from rules where id = ?")) {
            ps.setLong(1, ruleId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw ApiException.notFound("rule");
                }
                try {
                    return SubjectScope.orderSubject(c, p, rs.getLong(1));
                } catch (ApiException e) {
                    throw ApiException.notFound("rule");
                }
            }
        }
    }

    /** {@code schedule}: [{"weekday": 1..7 (ISO, Monday = 1), "start": "22:00", "end": "06:00"}, ...]. */
    private static void insertSchedule(Connection c, long ruleId, JsonNode schedule) throws SQLException {
        if (schedule == null || schedule.isNull()) {
            return;
        }
        if (!schedule.isArray() || schedule.size() > 100) {
            throw ApiException.badRequest("'schedule' must be an array of at most 100 weekly windows");
        }
        try (PreparedStatement ps = c.prepareStatement(
                "insert into schedules (rule_id, weekday, start_time, end_time) values (?, ?, ?, ?)")) {
            for (JsonNode w : schedule) {
                int day = Json.optionalInt(w, "weekday", 0, 1, 7);
                if (day == 0) {
                    throw ApiException.badRequest("each schedule window needs 'weekday' (1 = Monday ... 7 = Sunday)");
                }
                ps.setLong(1, ruleId);
                ps.setInt(2, day);
                ps.setObject(3, time(w, "start"));
                ps.setObject(4, time(w, "end"));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** An exception: {"date": "2026-06-01", "start": "09:00", "end": "13:00", "action": "add"|"remove", "reason": "..."}. */
    private static long insertException(Connection c, long ruleId, JsonNode e) throws SQLException {
        String action = Json.requiredText(e, "action", 10);
        if (!action.equals("add") && !action.equals("remove")) {
            throw ApiException.badRequest("'action' must be 'add' (an extra window) or 'remove' (an approved absence)");
        }
        LocalDate date;
        try {
            date = LocalDate.parse(Json.requiredText(e, "date", 10));
        } catch (DateTimeParseException ex) {
            throw ApiException.badRequest("'date' must be a date such as 2026-06-01");
        }
        try (PreparedStatement ps = c.prepareStatement("""
                insert into schedule_exceptions (rule_id, on_date, start_time, end_time, action, reason)
                values (?, ?, ?, ?, ?, ?)""", Statement.RETURN_GENERATED_KEYS)) {
            ps.setLong(1, ruleId);
            ps.setObject(2, date);
            ps.setObject(3, time(e, "start"));
            ps.setObject(4, time(e, "end"));
            ps.setString(5, action);
            ps.setString(6, Json.requiredText(e, "reason", 500));
            ps.executeUpdate();
            return UserRoutes.generatedId(ps);
        }
    }

    private static LocalTime time(JsonNode node, String field) {
        try {
            return LocalTime.parse(Json.requiredText(node, field, 8));
        } catch (DateTimeParseException ex) {
            throw ApiException.badRequest("'" + field + "' must be a local time such as 22:00");
        }
    }

    private static ArrayNode schedule(Connection c, long ruleId) throws SQLException {
        ArrayNode out = Json.array();
        try (PreparedStatement ps = c.prepareStatement(
                "select weekday, start_time, end_time from schedules where rule_id = ? order by weekday, start_time")) {
            ps.setLong(1, ruleId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.addObject().put("weekday", rs.getInt(1)).put("start", rs.getString(2)).put("end", rs.getString(3));
                }
            }
        }
        return out;
    }

    private static ArrayNode exceptions(Connection c, long ruleId) throws SQLException {
        ArrayNode out = Json.array();
        try (PreparedStatement ps = c.prepareStatement("""
                select on_date, start_time, end_time, action, reason from schedule_exceptions
                where rule_id = ? order by on_date, start_time""")) {
            ps.setLong(1, ruleId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.addObject().put("date", rs.getString(1)).put("start", rs.getString(2)).put("end", rs.getString(3))
                            .put("action", rs.getString(4)).put("reason", rs.getString(5));
                }
            }
        }
        return out;
    }

    private static void setId(PreparedStatement ps, int index, long id) throws SQLException {
        if (id == 0) {
            ps.setNull(index, java.sql.Types.BIGINT);
        } else {
            ps.setLong(index, id);
        }
    }
}
