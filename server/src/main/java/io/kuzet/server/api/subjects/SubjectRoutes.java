package io.kuzet.server.api.subjects;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kuzet.server.api.ApiContext;
import io.kuzet.server.api.audit.AuditLog;
import io.kuzet.server.api.auth.Principal;
import io.kuzet.server.api.auth.Role;
import io.kuzet.server.api.http.ApiRequest;
import io.kuzet.server.api.http.ApiResponse;
import io.kuzet.server.api.http.Json;
import io.kuzet.server.api.http.Route;
import io.kuzet.server.registry.OrderKind;
import io.kuzet.server.registry.OrderRepository;
import io.kuzet.server.registry.RegistryWrites;
import io.kuzet.server.registry.RiskLevel;
import io.kuzet.server.registry.SubjectRepository;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.List;

/**
 * Subjects (keyed by the external case id of the case-management system) and their court orders. Operators read;
 * supervisors and admins create. An order's start and end bound monitoring; a change reloads the registry so the
 * core applies it at once. Routes parse, authorise and audit; the registry repositories ({@link RegistryWrites}) check
 * and write, as for the provisioning import. Thread-safe.
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
        SubjectRepository.Subject subject = new SubjectRepository.Subject(agencyId, Json.text(body, "externalCaseId"),
                Json.text(body, "displayName"), body.path("preTrial").asBoolean(false), Json.text(body, "phone"),
                Json.text(body, "officerName"), Json.text(body, "officerPhone"));
        try (Connection c = ctx.dataSource().getConnection()) {
            long id = AuditLog.inTransaction(c, tx -> {
                try (RegistryWrites registry = new RegistryWrites(tx)) {
                    long created = registry.subjects().create(subject);
                    ctx.audit().change(tx, request.principal(), "SUBJECT_CREATED", created, "subjects", created, null,
                            AuditLog.row(tx, "subjects", created));
                    return created;
                }
            });
            ctx.reloadRegistry();
            return ApiResponse.created(Json.object().put("id", Long.toString(id)).put("agencyId", Long.toString(agencyId))
                    .put("externalCaseId", subject.externalCaseId()).put("displayName", subject.displayName())
                    .put("preTrial", subject.preTrial()).put("phone", subject.phone())
                    .put("officerName", subject.officerName()).put("officerPhone", subject.officerPhone()));
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
        OrderRepository.Order order = new OrderRepository.Order(subjectId, Json.text(body, "legalReference"),
                Json.requiredEnum(body, "kind", OrderKind.class), Json.requiredInstant(body, "startsAt"),
                Json.optionalInstant(body, "endsAt"), OrderRepository.timeZone(Json.text(body, "timeZone")),
                Json.requiredEnum(body, "riskLevel", RiskLevel.class), Json.optionalInt(body, "noCommunicationLimitS", 0),
                Json.optionalInt(body, "noFixLimitS", 0));
        try (Connection c = ctx.dataSource().getConnection()) {
            SubjectScope.subjectAgency(c, request.principal(), subjectId);
            long id = AuditLog.inTransaction(c, tx -> {
                try (RegistryWrites registry = new RegistryWrites(tx)) {
                    long created = registry.orders().create(order);
                    ctx.audit().change(tx, request.principal(), "ORDER_CREATED", subjectId, "orders", created, null,
                            AuditLog.row(tx, "orders", created));
                    return created;
                }
            });
            ctx.reloadRegistry();
            return ApiResponse.created(Json.object().put("id", Long.toString(id)).put("subjectId", Long.toString(subjectId))
                    .put("legalReference", order.legalReference()).put("kind", order.kind().name())
                    .put("presumedInnocent", order.kind().presumedInnocent()).put("startsAt", order.startsAt().toString())
                    .put("endsAt", order.endsAt() == null ? null : order.endsAt().toString())
                    .put("timeZone", order.timeZone().getId()).put("riskLevel", order.riskLevel().name()));
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
                try (RegistryWrites registry = new RegistryWrites(tx)) {
                    registry.orders().end(orderId, end);
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
