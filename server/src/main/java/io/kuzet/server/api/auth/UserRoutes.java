package io.kuzet.server.api.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.kuzet.server.api.ApiContext;
import io.kuzet.server.api.audit.AuditLog;
import io.kuzet.server.api.http.ApiException;
import io.kuzet.server.api.http.ApiRequest;
import io.kuzet.server.api.http.ApiResponse;
import io.kuzet.server.api.http.Json;
import io.kuzet.server.api.http.Route;
import io.kuzet.server.registry.AgencyRepository;
import io.kuzet.server.registry.RegistryWrites;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;

/**
 * Agencies and users with their lifecycle. Admins create both; an agency admin creates and manages users of its own
 * agency only (other users answer 404), and only a platform admin (no agency) may create agencies or manage users
 * without an agency. Everyone may list the agencies they see and change their own password (with the current one).
 * An admin reset sets a one-time password the user must change at the next login; disabling, a role change and a
 * reset revoke the user's tokens in the token store, so open sessions end. Every change is audited with the user's
 * row before and after (never the password hash). Thread-safe.
 */
public final class UserRoutes {
    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    private final ApiContext ctx;

    public UserRoutes(ApiContext ctx) {
        this.ctx = ctx;
    }

    public List<Route> routes() {
        return List.of(
                new Route("GET", "/api/v1/agencies", Role.OPERATOR, this::listAgencies),
                new Route("POST", "/api/v1/agencies", Role.ADMIN, this::createAgency),
                new Route("GET", "/api/v1/users", Role.ADMIN, this::listUsers),
                new Route("POST", "/api/v1/users", Role.ADMIN, this::createUser),
                new Route("POST", "/api/v1/auth/password", Role.OPERATOR, this::changeOwnPassword),
                new Route("POST", "/api/v1/users/{id}/reset-password", Role.ADMIN, this::resetPassword),
                new Route("POST", "/api/v1/users/{id}/disable", Role.ADMIN, r -> setDisabled(r, true)),
                new Route("POST", "/api/v1/users/{id}/enable", Role.ADMIN, r -> setDisabled(r, false)),
                new Route("PUT", "/api/v1/users/{id}/role", Role.ADMIN, this::changeRole));
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
        AgencyRepository.Agency agency = new AgencyRepository.Agency(Json.text(body, "code"), Json.text(body, "name"),
                Json.text(body, "region"), Json.optionalTexts(body, "allowedSources"));
        try (Connection c = ctx.dataSource().getConnection()) {
            long id = AuditLog.inTransaction(c, tx -> {
                try (RegistryWrites registry = new RegistryWrites(tx)) {
                    long created = registry.agencies().create(agency);
                    ctx.audit().change(tx, request.principal(), "AGENCY_CREATED", 0, "agencies", created, null,
                            AuditLog.row(tx, "agencies", created));
                    return created;
                }
            });
            ctx.reloadRegistry();
            return ApiResponse.created(Json.object().put("id", Long.toString(id)).put("code", agency.code())
                    .put("name", agency.name()).put("region", agency.region()));
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
        PasswordHasher.requireAcceptable(password);
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
                    "insert into users (username, password_hash, role, agency_id, password_changed_at) values (?, ?, ?, ?, ?)",
                    Statement.RETURN_GENERATED_KEYS)) {
                ps.setString(1, username);
                ps.setString(2, ctx.hasher().hash(password));
                ps.setString(3, role.dbValue());
                if (agencyId == 0) {
                    ps.setNull(4, java.sql.Types.BIGINT);
                } else {
                    ps.setLong(4, agencyId);
                }
                ps.setTimestamp(5, java.sql.Timestamp.from(ctx.now()));
                long id = AuditLog.inTransaction(c, tx -> {
                    ps.executeUpdate();
                    long created = generatedId(ps);
                    ctx.audit().change(tx, p, "USER_CREATED", 0, "users", created, null, AuditLog.row(tx, "users", created));
                    return created;
                });
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

    /** {@code {"currentPassword": "...", "newPassword": "..."}}: ends the caller's other sessions, keeps this one. */
    private ApiResponse changeOwnPassword(ApiRequest request) throws Exception {
        Principal p = request.principal();
        JsonNode body = request.json();
        String current = Json.requiredText(body, "currentPassword", 200);
        String next = Json.requiredText(body, "newPassword", 200);
        PasswordHasher.requireAcceptable(next);
        if (next.equals(current)) {
            throw new ApiException(400, "password_unchanged", "the new password must differ from the current one");
        }
        try (Connection c = ctx.dataSource().getConnection()) {
            AuditLog.inTransaction(c, tx -> {
                String hash;
                try (PreparedStatement ps = tx.prepareStatement("select password_hash from users where id = ? for update")) {
                    ps.setLong(1, p.userId());
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) {
                            throw ApiException.notFound("user");
                        }
                        hash = rs.getString(1);
                    }
                }
                if (!ctx.hasher().matches(current, hash)) {
                    throw new ApiException(403, "wrong_password", "the current password is wrong");
                }
                JsonNode before = AuditLog.row(tx, "users", p.userId());
                setPassword(tx, p.userId(), next, false);
                ctx.tokens().revokeAllOf(tx, p.userId(), bearer(request));
                ctx.audit().change(tx, p, "USER_PASSWORD_CHANGED", 0, "users", p.userId(), before, AuditLog.row(tx, "users", p.userId()));
                return null;
            });
        }
        return ApiResponse.noContent();
    }

    /** Sets a generated one-time password (answered once, stored only hashed) the user must change at the next login. */
    private ApiResponse resetPassword(ApiRequest request) throws Exception {
        long id = request.idParam("id");
        String oneTime = oneTimePassword();
        try (Connection c = ctx.dataSource().getConnection()) {
            AuditLog.inTransaction(c, tx -> {
                JsonNode before = managedUser(tx, request.principal(), id);
                setPassword(tx, id, oneTime, true);
                ctx.tokens().revokeAllOf(tx, id, null);
                ctx.audit().change(tx, request.principal(), "USER_PASSWORD_RESET", 0, "users", id, before, AuditLog.row(tx, "users", id));
                return null;
            });
        }
        return ApiResponse.ok(Json.object().put("id", Long.toString(id)).put("oneTimePassword", oneTime)
                .put("mustChangePassword", true));
    }

    private ApiResponse setDisabled(ApiRequest request, boolean disabled) throws Exception {
        long id = request.idParam("id");
        if (disabled && id == request.principal().userId()) {
            throw ApiException.badRequest("you cannot disable yourself");
        }
        return update(request, id, disabled ? "USER_DISABLED" : "USER_ENABLED", "update users set disabled = ? where id = ?",
                disabled, null);
    }

    /** {@code {"role": "OPERATOR" | "SUPERVISOR" | "ADMIN"}}; the user's tokens are revoked so the new role applies at once. */
    private ApiResponse changeRole(ApiRequest request) throws Exception {
        long id = request.idParam("id");
        Role role = Json.requiredEnum(request.json(), "role", Role.class);
        if (id == request.principal().userId()) {
            throw ApiException.badRequest("you cannot change your own role");
        }
        return update(request, id, "USER_ROLE_CHANGED", "update users set role = ? where id = ?", role.dbValue(), role);
    }

    /**
     * One audited change of a managed user's row; revokes the user's tokens (every change here narrows or widens
     * what the user may do, so sessions start over). {@code newRole} is non-null for a role change.
     */
    private ApiResponse update(ApiRequest request, long id, String action, String sql, Object value, Role newRole) throws Exception {
        try (Connection c = ctx.dataSource().getConnection()) {
            JsonNode after = AuditLog.inTransaction(c, tx -> {
                JsonNode before = managedUser(tx, request.principal(), id);
                if (newRole != null && newRole != Role.ADMIN && before.path("agency_id").isNull()) {
                    throw ApiException.badRequest("a user without an agency can only be an admin");
                }
                try (PreparedStatement ps = tx.prepareStatement(sql)) {
                    ps.setObject(1, value);
                    ps.setLong(2, id);
                    ps.executeUpdate();
                }
                ctx.tokens().revokeAllOf(tx, id, null);
                JsonNode now = AuditLog.row(tx, "users", id);
                ctx.audit().change(tx, request.principal(), action, 0, "users", id, before, now);
                return now;
            });
            return ApiResponse.ok(userJson(after));
        }
    }

    /** The user's row when the caller may manage it (own agency; platform users only by platform admins), else 404. */
    private static JsonNode managedUser(Connection c, Principal p, long id) throws java.sql.SQLException {
        JsonNode row = AuditLog.row(c, "users", id);
        if (row == null || !p.allAgencies() && (row.path("agency_id").isNull() || row.path("agency_id").asLong() != p.agencyId())) {
            throw ApiException.notFound("user");
        }
        return row;
    }

    private void setPassword(Connection c, long userId, String password, boolean mustChange) throws java.sql.SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "update users set password_hash = ?, must_change_password = ?, password_changed_at = ? where id = ?")) {
            ps.setString(1, ctx.hasher().hash(password));
            ps.setBoolean(2, mustChange);
            ps.setTimestamp(3, java.sql.Timestamp.from(ctx.now()));
            ps.setLong(4, userId);
            ps.executeUpdate();
        }
    }

    private static String bearer(ApiRequest request) {
        String header = request.header("authorization");
        return header == null || header.length() < 7 ? null : header.substring(7).strip();
    }

    private static String oneTimePassword() {
        byte[] raw = new byte[15];
        RANDOM.nextBytes(raw);
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }

    private static com.fasterxml.jackson.databind.node.ObjectNode userJson(JsonNode row) {
        var n = Json.object().put("id", Long.toString(row.get("id").asLong())).put("username", row.get("username").asText())
                .put("role", row.get("role").asText()).put("disabled", row.get("disabled").asBoolean())
                .put("mustChangePassword", row.path("must_change_password").asBoolean());
        if (row.path("agency_id").isNull() || row.path("agency_id").isMissingNode()) {
            n.putNull("agencyId");
        } else {
            n.put("agencyId", Long.toString(row.get("agency_id").asLong()));
        }
        return n;
    }

    /** The id the database assigned to the row just inserted. */
    public static long generatedId(PreparedStatement ps) throws java.sql.SQLException {
        try (ResultSet keys = ps.getGeneratedKeys()) {
            keys.next();
            return keys.getLong("id");
        }
    }
}
