package io.kuzet.server.api.subjects;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kuzet.server.api.ApiContext;
import io.kuzet.server.api.audit.AuditLog;
import io.kuzet.server.api.auth.Principal;
import io.kuzet.server.api.auth.Role;
import io.kuzet.server.api.http.ApiException;
import io.kuzet.server.api.http.ApiRequest;
import io.kuzet.server.api.http.ApiResponse;
import io.kuzet.server.api.http.Json;
import io.kuzet.server.api.http.Route;
import io.kuzet.server.registry.RegistryWrites;
import io.kuzet.server.registry.RuleRecord;
import io.kuzet.server.registry.RuleRepository;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * Rules of an order with their weekly schedule (in the order's time zone) and dated exceptions (court date,
 * approved absence), created in one transaction; deactivating a rule keeps it for the record. Routes parse, authorise
 * and audit; {@link RuleRepository} checks and writes (a zone of the order's agency, a victim unit of it), as for the
 * provisioning import. Each change reloads the registry so the core evaluates the next fix with it. Thread-safe.
 */
public final class RuleRoutes {
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
        String kind = Json.text(body, "kind");
        boolean proximity = "PROXIMITY".equalsIgnoreCase(kind == null ? "" : kind.strip());
        List<RuleRecord.Exception> exceptions = new java.util.ArrayList<>();
        JsonNode given = body.get("exceptions");
        if (given != null && given.isArray()) {
            for (JsonNode e : given) {
                exceptions.add(exception(e));
            }
        }
        RuleRepository.Rule rule = new RuleRepository.Rule(orderId, Json.text(body, "name"), kind,
                proximity || !body.hasNonNull("zoneId") ? 0 : Json.requiredId(body, "zoneId"),
                proximity && body.hasNonNull("victimDeviceId") ? Json.requiredId(body, "victimDeviceId") : 0,
                Json.optionalDouble(body, "distanceM", 0), Json.optionalDouble(body, "warnDistanceM", 0),
                Json.optionalDouble(body, "graceM", 0), Json.optionalInt(body, "openFixes", 0),
                Json.optionalInt(body, "openDwellS", 0), Json.optionalInt(body, "closeFixes", 0),
                Json.optionalInt(body, "closeDwellS", 0), true, schedule(body.get("schedule")), exceptions);
        try (Connection c = ctx.dataSource().getConnection()) {
            long subjectId = SubjectScope.orderSubject(c, p, orderId);
            long agencyId = SubjectScope.subjectAgency(c, p, subjectId);
            long id = AuditLog.inTransaction(c, tx -> {
                try (RegistryWrites registry = new RegistryWrites(tx)) {
                    long created = registry.rules().create(agencyId, rule);
                    ctx.audit().change(tx, p, "RULE_CREATED", subjectId, "rules", created, null, ruleSnapshot(tx, created));
                    return created;
                }
            });
            ctx.reloadRegistry();
            return ApiResponse.created(Json.object().put("id", Long.toString(id)).put("orderId", Long.toString(orderId))
                    .put("name", rule.name()).put("kind", rule.kind()));
        }
    }

    private ApiResponse deactivate(ApiRequest request) throws Exception {
        long ruleId = request.idParam("id");
        try (Connection c = ctx.dataSource().getConnection()) {
            long subjectId = ruleOrder(c, request.principal(), ruleId);
            AuditLog.inTransaction(c, tx -> {
                JsonNode before = ruleSnapshot(tx, ruleId);
                try (RegistryWrites registry = new RegistryWrites(tx)) {
                    registry.rules().deactivate(ruleId);
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
            RuleRecord.Exception exception = exception(request.json());
            AuditLog.inTransaction(c, tx -> {
                try (RegistryWrites registry = new RegistryWrites(tx)) {
                    long id = registry.rules().addException(ruleId, exception);
                    ctx.audit().change(tx, request.principal(), "RULE_EXCEPTION_ADDED", subjectId, "schedule_exceptions", id,
                            null, AuditLog.row(tx, "schedule_exceptions", id));
                }
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
    private static List<RuleRecord.Window> schedule(JsonNode schedule) {
        List<RuleRecord.Window> windows = new java.util.ArrayList<>();
        if (schedule == null || schedule.isNull()) {
            return windows;
        }
        if (!schedule.isArray()) {
            throw ApiException.badRequest("'schedule' must be an array of at most 100 weekly windows");
        }
        for (JsonNode w : schedule) {
            int day = Json.optionalInt(w, "weekday", 0, 1, 7);
            if (day == 0) {
                throw ApiException.badRequest("each schedule window needs 'weekday' (1 = Monday ... 7 = Sunday)");
            }
            windows.add(new RuleRecord.Window(DayOfWeek.of(day), time(w, "start"), time(w, "end")));
        }
        return windows;
    }

    /** An exception: {"date": "2026-06-01", "start": "09:00", "end": "13:00", "action": "add"|"remove", "reason": "..."}. */
    private static RuleRecord.Exception exception(JsonNode e) {
        String action = Json.text(e, "action");
        LocalDate date;
        try {
            date = LocalDate.parse(Json.requiredText(e, "date", 10));
        } catch (DateTimeParseException ex) {
            throw ApiException.badRequest("'date' must be a date such as 2026-06-01");
        }
        return RuleRepository.exception(date, time(e, "start"), time(e, "end"), action, Json.text(e, "reason"));
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
}
