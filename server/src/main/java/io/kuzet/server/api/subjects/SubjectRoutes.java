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
import io.kuzet.server.registry.OrderKind;
import io.kuzet.server.registry.RiskLevel;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

/**
 * Subjects (keyed by the external case id of the case-management system) and their court orders. Operators read;
 * supervisors and admins create. An order's start and end bound monitoring; a change reloads the registry so the
 * core applies it at once. Thread-safe.
 */
public final class SubjectRoutes {
    private final ApiContext ctx;

    public SubjectRoutes(ApiContext ctx) {
        this.ctx = ctx;
    }

    public List<Route> routes() {
        return List.of(
                new Route("GET", "/api/v1/subjects", Role.OPERATOR, this::list),
                new Route("POST", "/api/v1/subjects", Role.SUPERVISOR, this::create),
                new Route("GET", "/api/v1/subjects/{id}", Role.OPERATOR, this::get),
                new Route("GET", "/api/v1/subjects/{id}/orders", Role.OPERATOR, this::orders),
                new Route("POST", "/api/v1/subjects/{id}/orders", Role.SUPERVISOR, this::createOrder),
                new Route("POST", "/api/v1/orders/{id}/end", Role.SUPERVISOR, this::endOrder));
    }

    private ApiResponse list(ApiRequest request) throws Exception {
        Principal p = request.principal();
        ArrayNode out = Json.array();
        try (Connection c = ctx.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     select id, agency_id, external_case_id, display_name, pre_trial from subjects
                     where (? = 0 or agency_id = ?) order by id limit 1000""")) {
            ps.setLong(1, p.agencyId());
            ps.setLong(2, p.agencyId());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(subject(rs));
                }
            }
        }
        return ApiResponse.ok(Json.object().set("subjects", out));
    }

    private ApiResponse get(ApiRequest request) throws Exception {
        long id = request.idParam("id");
        try (Connection c = ctx.dataSource().getConnection()) {
            SubjectScope.subjectAgency(c, request.principal(), id);
            try (PreparedStatement ps = c.prepareStatement(
                    "select id, agency_id, external_case_id, display_name, pre_trial from subjects where id = ?")) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    ObjectNode n = subject(rs);
                    n.set("orders", orderList(c, id));
                    return ApiResponse.ok(n);
                }
            }
        }
    }

    private ApiResponse create(ApiRequest request) throws Exception {
        JsonNode body = request.json();
        long agencyId = SubjectScope.targetAgency(request.principal(),
                body.hasNonNull("agencyId") ? Json.requiredId(body, "agencyId") : 0);
        String caseId = Json.requiredText(body, "externalCaseId", 100);
        String name = Json.requiredText(body, "displayName", 200);
        boolean preTrial = body.path("preTrial").asBoolean(false);
        String phone = Json.optionalText(body, "phone", 50);
        String officerName = Json.optionalText(body, "officerName", 200);
        String officerPhone = Json.optionalText(body, "officerPhone", 50);
        try (Connection c = ctx.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     insert into subjects (agency_id, external_case_id, display_name, pre_trial, phone, officer_name, officer_phone)
                     values (?, ?, ?, ?, ?, ?, ?)""", Statement.RETURN_GENERATED_KEYS)) {
            ps.setLong(1, agencyId);
            ps.setString(2, caseId);
            ps.setString(3, name);
            ps.setBoolean(4, preTrial);
            ps.setString(5, phone);
            ps.setString(6, officerName);
            ps.setString(7, officerPhone);
            long id = AuditLog.inTransaction(c, tx -> {
                ps.executeUpdate();
                long created = UserRoutes.generatedId(ps);
                ctx.audit().change(tx, request.principal(), "SUBJECT_CREATED", created, "subjects", created, null,
                        AuditLog.row(tx, "subjects", created));
                return created;
            });
            ctx.reloadRegistry();
            return ApiResponse.created(Json.object().put("id", Long.toString(id)).put("agencyId", Long.toString(agencyId))
                    .put("externalCaseId", caseId).put("displayName", name).put("preTrial", preTrial)
                    .put("phone", phone).put("officerName", officerName).put("officerPhone", officerPhone));
        }
    }

    private ApiResponse orders(ApiRequest request) throws Exception {
        long id = request.idParam("id");
        try (Connection c = ctx.dataSource().getConnection()) {
            SubjectScope.subjectAgency(c, request.principal(), id);
            return ApiResponse.ok(Json.object().set("orders", orderList(c, id)));
        }
    }

    private ApiResponse createOrder(ApiRequest request) throws Exception {
        long subjectId = request.idParam("id");
        JsonNode body = request.json();
        String reference = Json.requiredText(body, "legalReference", 200);
        OrderKind kind = Json.requiredEnum(body, "kind", OrderKind.class);
        Instant starts = Json.requiredInstant(body, "startsAt");
        Instant ends = Json.optionalInstant(body, "endsAt");
        if (ends != null && !ends.isAfter(starts)) {
            throw ApiException.badRequest("'endsAt' must be after 'startsAt'");
        }
        String zone = Json.requiredText(body, "timeZone", 64);
        try {
            ZoneId.of(zone);
        } catch (DateTimeException e) {
            throw ApiException.badRequest("'timeZone' must be an IANA time zone such as Asia/Almaty, was '" + Json.abbreviate(zone) + "'");
        }
        RiskLevel risk = Json.requiredEnum(body, "riskLevel", RiskLevel.class);
        int noComm = Json.optionalInt(body, "noCommunicationLimitS", 0, 0, 7 * 86_400);
        int noFix = Json.optionalInt(body, "noFixLimitS", 0, 0, 7 * 86_400);
        try (Connection c = ctx.dataSource().getConnection()) {
            SubjectScope.subjectAgency(c, request.principal(), subjectId);
            try (PreparedStatement ps = c.prepareStatement("""
                    insert into orders (subject_id, legal_reference, kind, starts_at, ends_at, time_zone, risk_level,
                                        no_communication_limit_s, no_fix_limit_s)
                    values (?, ?, ?, ?, ?, ?, ?, ?, ?)""", Statement.RETURN_GENERATED_KEYS)) {
                ps.setLong(1, subjectId);
                ps.setString(2, reference);
                ps.setString(3, kind.name());
                ps.setTimestamp(4, Timestamp.from(starts));
                ps.setTimestamp(5, ends == null ? null : Timestamp.from(ends));
                ps.setString(6, zone);
                ps.setString(7, risk.name());
                ps.setInt(8, noComm);
                ps.setInt(9, noFix);
                long id = AuditLog.inTransaction(c, tx -> {
                    ps.executeUpdate();
                    long created = UserRoutes.generatedId(ps);
                    ctx.audit().change(tx, request.principal(), "ORDER_CREATED", subjectId, "orders", created, null,
                            AuditLog.row(tx, "orders", created));
                    return created;
                });
                ctx.reloadRegistry();
                return ApiResponse.created(Json.object().put("id", Long.toString(id)).put("subjectId", Long.toString(subjectId))
                        .put("legalReference", reference).put("kind", kind.name()).put("presumedInnocent", kind.presumedInnocent())
                        .put("startsAt", starts.toString()).put("endsAt", ends == null ? null : ends.toString())
                        .put("timeZone", zone).put("riskLevel", risk.name()));
            }
        }
    }

    /** Ends monitoring now (or at the given {@code endsAt}); positions after the end are no longer subject data. */
    private ApiResponse endOrder(ApiRequest request) throws Exception {
        long orderId = request.idParam("id");
        Instant ends = request.body().length == 0 ? ctx.now() : Json.optionalInstant(request.json(), "endsAt");
        if (ends == null) {
            ends = ctx.now();
        }
        try (Connection c = ctx.dataSource().getConnection()) {
            long subjectId = SubjectScope.orderSubject(c, request.principal(), orderId);
            Instant end = ends;
            AuditLog.inTransaction(c, tx -> {
                JsonNode before = AuditLog.row(tx, "orders", orderId);
                try (PreparedStatement ps = tx.prepareStatement("update orders set ends_at = ? where id = ? and starts_at < ?")) {
                    ps.setTimestamp(1, Timestamp.from(end));
                    ps.setLong(2, orderId);
                    ps.setTimestamp(3, Timestamp.from(end));
                    if (ps.executeUpdate() == 0) {
                        throw ApiException.badRequest("'endsAt' must be after the order's start");
                    }
                }
                ctx.audit().change(tx, request.principal(), "ORDER_ENDED", subjectId, "orders", orderId, before,
                        AuditLog.row(tx, "orders", orderId));
                return null;
            });
            ctx.reloadRegistry();
            return ApiResponse.ok(Json.object().put("id", Long.toString(orderId)).put("endsAt", ends.toString()));
        }
    }

    private static ObjectNode subject(ResultSet rs) throws java.sql.SQLException {
        return Json.object().put("id", Long.toString(rs.getLong(1))).put("agencyId", Long.toString(rs.getLong(2)))
                .put("externalCaseId", rs.getString(3)).put("displayName", rs.getString(4)).put("preTrial", rs.getBoolean(5));
    }

    private static ArrayNode orderList(Connection c, long subjectId) throws java.sql.SQLException {
        ArrayNode out = Json.array();
        try (PreparedStatement ps = c.prepareStatement("""
                select id, legal_reference, kind, starts_at, ends_at, time_zone, risk_level, no_communication_limit_s, no_fix_limit_s
                from orders where subject_id = ? order by starts_at""")) {
            ps.setLong(1, subjectId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    OrderKind kind = OrderKind.valueOf(rs.getString(3));
                    out.addObject().put("id", Long.toString(rs.getLong(1))).put("legalReference", rs.getString(2))
                            .put("kind", kind.name()).put("presumedInnocent", kind.presumedInnocent())
                            .put("startsAt", Json.instant(rs.getTimestamp(4))).put("endsAt", Json.instant(rs.getTimestamp(5)))
                            .put("timeZone", rs.getString(6)).put("riskLevel", rs.getString(7))
                            .put("noCommunicationLimitS", rs.getInt(8)).put("noFixLimitS", rs.getInt(9));
                }
            }
        }
        return out;
    }
}
