package io.kuzet.server.api.handover;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kuzet.server.alert.Severity;
import io.kuzet.server.api.ApiContext;
import io.kuzet.server.api.alerts.ReviewPolicy;
import io.kuzet.server.api.audit.AuditLog;
import io.kuzet.server.api.auth.Principal;
import io.kuzet.server.api.auth.Role;
import io.kuzet.server.api.auth.UserRoutes;
import io.kuzet.server.api.http.ApiException;
import io.kuzet.server.api.http.ApiRequest;
import io.kuzet.server.api.http.ApiResponse;
import io.kuzet.server.api.http.Json;
import io.kuzet.server.api.http.Route;
import io.kuzet.server.api.subjects.SubjectScope;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * Notes for the next shift: {@code POST /api/v1/handover/notes} {@code {"note": "...", "alertId": "..."?}} writes
 * one in the caller's agency (platform users name {@code agencyId}), records which alerts still waited for a person
 * at that moment ({@code openAlertIds}, under the {@link ReviewPolicy}), and audits it with the row as written;
 * {@code GET /api/v1/handover/notes?since&limit} lists the agency's notes, newest first (default: the last 24 hours).
 * The console's handover view shows them beside the open and unreviewed alerts. Thread-safe.
 */
public final class HandoverRoutes {
    static final Duration DEFAULT_WINDOW = Duration.ofHours(24);

    private final ApiContext ctx;
    private final ReviewPolicy policy;

    public HandoverRoutes(ApiContext ctx, ReviewPolicy policy) {
        this.ctx = ctx;
        this.policy = policy;
    }

    public List<Route> routes() {
        return List.of(
                new Route("GET", "/api/v1/handover/notes", Role.OPERATOR, this::list),
                new Route("POST", "/api/v1/handover/notes", Role.OPERATOR, this::create));
    }

    private ApiResponse create(ApiRequest request) throws Exception {
        Principal p = request.principal();
        JsonNode body = request.json();
        String note = Json.requiredText(body, "note", 4000);
        long alertId = body.hasNonNull("alertId") ? Json.requiredId(body, "alertId") : 0;
        long requested = body.hasNonNull("agencyId") ? Json.requiredId(body, "agencyId") : 0;
        try (Connection c = ctx.dataSource().getConnection()) {
            long agency = SubjectScope.targetAgency(p, requested);
            if (alertId != 0) {
                alertAgency(c, p, alertId, agency);
            }
            JsonNode row = AuditLog.inTransaction(c, tx -> {
                long id;
                try (PreparedStatement ps = tx.prepareStatement("""
                        insert into handover_notes (agency_id, user_id, created_at, note, alert_id, open_alert_ids)
                        values (?, ?, ?, ?, ?, array(select a.id from alerts a join subjects s on s.id = a.subject_id
                                 where s.agency_id = ? and (a.state in ('OPEN', 'ACKNOWLEDGED')
                                       or (a.state = 'CLEARED' and a.severity = any (?)))
                                 order by a.detected_at, a.id))""", Statement.RETURN_GENERATED_KEYS)) {
                    ps.setLong(1, agency);
                    ps.setLong(2, p.userId());
                    ps.setTimestamp(3, Timestamp.from(ctx.now()));
                    ps.setString(4, note);
                    if (alertId == 0) {
                        ps.setNull(5, java.sql.Types.BIGINT);
                    } else {
                        ps.setLong(5, alertId);
                    }
                    ps.setLong(6, agency);
                    ps.setArray(7, reviewedSeverities(tx));
                    ps.executeUpdate();
                    id = UserRoutes.generatedId(ps);
                }
                JsonNode after = AuditLog.row(tx, "handover_notes", id);
                ctx.audit().change(tx, p, "HANDOVER_NOTE_CREATED", 0, "handover_notes", id, null, after);
                return after;
            });
            return ApiResponse.created(fetch(c, row.get("id").asLong()));
        }
    }

    private ApiResponse list(ApiRequest request) throws Exception {
        Principal p = request.principal();
        long agency = request.queryParam("agencyId") == null ? 0 : Json.parseId("agencyId", request.queryParam("agencyId"));
        if (!p.allAgencies()) {
            if (agency != 0 && agency != p.agencyId()) {
                throw ApiException.notFound("agency");
            }
            agency = p.agencyId();
        }
        Instant since = request.instantParam("since");
        if (since == null) {
            since = ctx.now().minus(DEFAULT_WINDOW);
        }
        int limit = request.intParam("limit", 100, 1, 500);
        ArrayNode notes = Json.array();
        try (Connection c = ctx.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement(SELECT + """
                      where (? = 0 or n.agency_id = ?) and n.created_at >= ?
                     order by n.created_at desc, n.id desc limit ?""")) {
            ps.setLong(1, agency);
            ps.setLong(2, agency);
            ps.setTimestamp(3, Timestamp.from(since));
            ps.setInt(4, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    notes.add(json(rs));
                }
            }
        }
        return ApiResponse.ok(Json.object().put("since", since.toString()).set("notes", notes));
    }

    private static final String SELECT = """
            select n.id, n.agency_id, u.username, n.created_at, n.note, n.alert_id, n.open_alert_ids
              from handover_notes n join users u on u.id = n.user_id
            """;

    private static ObjectNode fetch(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SELECT + " where n.id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return json(rs);
            }
        }
    }

    private static ObjectNode json(ResultSet rs) throws SQLException {
        ObjectNode n = Json.object().put("id", Long.toString(rs.getLong(1))).put("agencyId", Long.toString(rs.getLong(2)))
                .put("user", rs.getString(3)).put("createdAt", Json.instant(rs.getTimestamp(4))).put("note", rs.getString(5));
        long alertId = rs.getLong(6);
        n.put("alertId", rs.wasNull() ? null : Long.toString(alertId));
        ArrayNode open = n.putArray("openAlertIds");
        for (Long id : (Long[]) rs.getArray(7).getArray()) {
            open.add(Long.toString(id));
        }
        return n;
    }

    /** The alert a note refers to must belong to the note's agency (and be visible to the caller), else 404. */
    private static void alertAgency(Connection c, Principal p, long alertId, long agency) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "select s.agency_id from alerts a join subjects s on s.id = a.subject_id where a.id = ?")) {
            ps.setLong(1, alertId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next() || !p.sees(rs.getLong(1)) || rs.getLong(1) != agency) {
                    throw ApiException.notFound("alert");
                }
            }
        }
    }

    private Array reviewedSeverities(Connection c) throws SQLException {
        return c.createArrayOf("text", Arrays.stream(Severity.values()).filter(v -> policy.reviewed(v.name())).map(Enum::name)
                .toArray());
    }
}
