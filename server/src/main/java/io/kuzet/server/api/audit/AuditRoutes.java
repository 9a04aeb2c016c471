package io.kuzet.server.api.audit;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.kuzet.server.api.ApiContext;
import io.kuzet.server.api.auth.Role;
import io.kuzet.server.api.http.ApiRequest;
import io.kuzet.server.api.http.ApiResponse;
import io.kuzet.server.api.http.Json;
import io.kuzet.server.api.http.Route;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;

/**
 * Reading the audit log (newest first, scoped to the caller's agency's subjects and users) and verifying its hash
 * chain. Admins only. Thread-safe.
 */
public final class AuditRoutes {
    private final ApiContext ctx;

    public AuditRoutes(ApiContext ctx) {
        this.ctx = ctx;
    }

    public List<Route> routes() {
        return List.of(
                new Route("GET", "/api/v1/audit", Role.ADMIN, this::list),
                new Route("GET", "/api/v1/audit/verify", Role.ADMIN, this::verify));
    }

    private ApiResponse list(ApiRequest request) throws Exception {
        long agency = request.principal().agencyId();
        int limit = request.intParam("limit", 100, 1, 1000);
        ArrayNode out = Json.array();
        try (Connection c = ctx.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     select l.id, l.at, u.username, l.action, l.subject_id, l.purpose, l.details::text, encode(l.hash, 'hex'),
                            l.before::text, l.after::text
                     from audit_log l left join users u on u.id = l.user_id left join subjects s on s.id = l.subject_id
                     where (? = 0 or s.agency_id = ? or (l.subject_id is null and u.agency_id = ?))
                     order by l.id desc limit ?""")) {
            ps.setLong(1, agency);
            ps.setLong(2, agency);
            ps.setLong(3, agency);
            ps.setInt(4, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long subject = rs.getLong(5);
                    var entry = out.addObject();
                    entry.put("id", Long.toString(rs.getLong(1))).put("at", Json.instant(rs.getTimestamp(2)))
                            .put("user", rs.getString(3)).put("action", rs.getString(4))
                            .put("subjectId", subject == 0 ? null : Long.toString(subject)).put("purpose", rs.getString(6))
                            .put("hash", rs.getString(8))
                            .set("details", Json.MAPPER.readTree(rs.getString(7)));
                    entry.set("before", rs.getString(9) == null ? null : Json.MAPPER.readTree(rs.getString(9)));
                    entry.set("after", rs.getString(10) == null ? null : Json.MAPPER.readTree(rs.getString(10)));
                }
            }
        }
        return ApiResponse.ok(Json.object().set("entries", out));
    }

    private ApiResponse verify(ApiRequest request) throws Exception {
        AuditLog.Verification v = ctx.audit().verify(ctx.dataSource());
        return ApiResponse.ok(v.toJson());
    }
}
