package io.kuzet.server.api.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.kuzet.server.api.ApiContext;
import io.kuzet.server.api.http.ApiException;
import io.kuzet.server.api.http.ApiRequest;
import io.kuzet.server.api.http.ApiResponse;
import io.kuzet.server.api.http.Json;
import io.kuzet.server.api.http.Route;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;

/**
 * Agencies and users. Admins create both; an agency admin creates users of its own agency only, and only a platform
 * admin (no agency) may create agencies or users without an agency. Everyone may list the agencies they see.
 * Thread-safe.
 */
public final class UserRoutes {
    private final ApiContext ctx;

    public UserRoutes(ApiContext ctx) {
        this.ctx = ctx;
    }

    public List<Route> routes() {
        return List.of(
                new Route("GET", "/api/v1/agencies", Role.OPERATOR, this::listAgencies),
                new Route("POST", "/api/v1/agencies", Role.ADMIN, this::createAgency),
                new Route("GET", "/api/v1/users", Role.ADMIN, this::listUsers),
                new Route("POST", "/api/v1/users", Role.ADMIN, this::createUser));
    }

    private ApiResponse listAgencies(ApiRequest request) throws Exception {
        Principal p = request.principal();
        ArrayNode out = Json.array();
        try (Connection c = ctx.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("select id, code, name, region from agencies where (? = 0 or id = ?) order by id")) {
            ps.setLong(1, p.agencyId());
            ps.setLong(2, p.agencyId());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.addObject().put("id", Long.toString(rs.getLong(1))).put("code", rs.getString(2))
                            .put("name", rs.getString(3)).put("region", rs.getString(4));
                }
            }
        }
        return ApiResponse.ok(Json.object().set("agencies", out));
    }

    private ApiResponse createAgency(ApiRequest request) throws Exception {
        if (!request.principal().allAgencies()) {
            throw ApiException.forbidden("only a platform admin (without an agency) creates agencies");
        }
        JsonNode body = request.json();
        String code = Json.requiredText(body, "code", 32);
        String name = Json.requiredText(body, "name", 200);
        String region = Json.requiredText(body, "region", 200);
        try (Connection c = ctx.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("insert into agencies (code, name, region) values (?, ?, ?)",
                     Statement.RETURN_GENERATED_KEYS)) {
            ps.setString(1, code);
            ps.setString(2, name);
            ps.setString(3, region);
            ps.executeUpdate();
            long id = generatedId(ps);
            ctx.reloadRegistry();
            return ApiResponse.created(Json.object().put("id", Long.toString(id)).put("code", code).put("name", name)
                    .put("region", region));
        }
    }

    private ApiResponse listUsers(ApiRequest request) throws Exception {
        Principal p = request.principal();
        ArrayNode out = Json.array();
        try (Connection c = ctx.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     select id, username, role, agency_id, disabled from users
                     where (? = 0 or agency_id = ?) order by id""")) {
            ps.setLong(1, p.agencyId());
            ps.setLong(2, p.agencyId());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long agency = rs.getLong(4);
                    var n = out.addObject().put("id", Long.toString(rs.getLong(1))).put("username", rs.getString(2))
                            .put("role", rs.getString(3)).put("disabled", rs.getBoolean(5));
                    if (rs.wasNull() || agency == 0) {
                        n.putNull("agencyId");
                    } else {
                        n.put("agencyId", Long.toString(agency));
                    }
                }
            }
        }
        return ApiResponse.ok(Json.object().set("users", out));
    }

    private ApiResponse createUser(ApiRequest request) throws Exception {
        Principal p = request.principal();
        JsonNode body = request.json();
        String username = Json.requiredText(body, "username", 100);
        if (!username.matches("[A-Za-z0-9._@-]{3,100}")) {
            throw ApiException.badRequest("'username' may hold letters, digits and . _ @ - (3 to 100 characters)");
        }
        String password = Json.requiredText(body, "password", 200);
        String weakness = PasswordHasher.weakness(password);
        if (weakness != null) {
            throw ApiException.badRequest(weakness);
        }
        Role role = Json.requiredEnum(body, "role", Role.class);
        long agencyId = body.hasNonNull("agencyId") ? Json.requiredId(body, "agencyId") : 0;
        if (!p.allAgencies() && agencyId != p.agencyId()) {
            throw ApiException.notFound("agency");
        }
        if (agencyId == 0 && role != Role.ADMIN) {
            throw ApiException.badRequest("operators and supervisors belong to an agency: 'agencyId' is required");
        }
        try (Connection c = ctx.dataSource().getConnection()) {
            if (agencyId != 0) {
                try (PreparedStatement check = c.prepareStatement("select 1 from agencies where id = ?")) {
                    check.setLong(1, agencyId);
                    try (ResultSet rs = check.executeQuery()) {
                        if (!rs.next()) {
                            throw ApiException.notFound("agency");
                        }
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "insert into users (username, password_hash, role, agency_id) values (?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
                ps.setString(1, username);
                ps.setString(2, ctx.hasher().hash(password));
                ps.setString(3, role.dbValue());
                if (agencyId == 0) {
                    ps.setNull(4, java.sql.Types.BIGINT);
                } else {
                    ps.setLong(4, agencyId);
                }
                ps.executeUpdate();
                long id = generatedId(ps);
                var n = Json.object().put("id", Long.toString(id)).put("username", username).put("role", role.dbValue());
                if (agencyId == 0) {
                    n.putNull("agencyId");
                } else {
                    n.put("agencyId", Long.toString(agencyId));
                }
                return ApiResponse.created(n);
            }
        }
    }

    /** The id the database assigned to the row just inserted. */
    public static long generatedId(PreparedStatement ps) throws java.sql.SQLException {
        try (ResultSet keys = ps.getGeneratedKeys()) {
            keys.next();
            return keys.getLong("id");
        }
    }
}
