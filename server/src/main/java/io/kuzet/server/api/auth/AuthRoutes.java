package io.kuzet.server.api.auth;

import com.fasterxml.jackson.databind.JsonNode;
import io.kuzet.server.api.ApiContext;
import io.kuzet.server.api.http.ApiException;
import io.kuzet.server.api.http.ApiRequest;
import io.kuzet.server.api.http.ApiResponse;
import io.kuzet.server.api.http.Json;
import io.kuzet.server.api.http.Route;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;

/**
 * Login (password for a bearer token), logout, who-am-I and the ops live-stream token. A failed login answers the
 * same 401 whether the user is unknown, disabled or the password wrong; repeated failures are throttled per address
 * and per username by the {@link LoginThrottle} (429 with {@code Retry-After}, checked before the password is hashed),
 * and each lock it starts is audited. Thread-safe.
 */
public final class AuthRoutes {
    private final ApiContext ctx;
    /** A real hash to check against when the user does not exist, so timing does not reveal usernames. */
    private final String dummyHash;
    private final LoginThrottle throttle;

    public AuthRoutes(ApiContext ctx, LoginThrottle throttle) {
        this.ctx = ctx;
        this.throttle = throttle;
        this.dummyHash = ctx.hasher().hash("no such user " + System.nanoTime());
    }

    public List<Route> routes() {
        return List.of(
                new Route("POST", "/api/v1/auth/login", null, this::login),
                new Route("POST", "/api/v1/auth/logout", Role.OPERATOR, this::logout),
                new Route("GET", "/api/v1/auth/me", Role.OPERATOR, this::me),
                // the ops token streams every agency's alerts: platform (all-agency) admins only
                new Route("GET", "/api/v1/auth/live-token", Role.ADMIN, this::liveToken));
    }

    private ApiResponse login(ApiRequest request) throws Exception {
        JsonNode body = request.json();
        String username = Json.requiredText(body, "username", 100);
        String password = Json.requiredText(body, "password", 200);
        long retryAfter = throttle.retryAfterSeconds(request.remoteAddress(), username);
        if (retryAfter > 0) {
            return ApiResponse.error(429, "too_many_requests", "too many failed logins; retry in " + retryAfter + " s")
                    .header("Retry-After", Long.toString(retryAfter));
        }
        long userId = 0;
        String hash = dummyHash;
        try (Connection c = ctx.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("select id, password_hash from users where username = ? and not disabled")) {
            ps.setString(1, username);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    userId = rs.getLong(1);
                    hash = rs.getString(2);
                }
            }
        }
        boolean ok = ctx.hasher().matches(password, hash);
        if (!ok || userId == 0) {
            String locked = throttle.failure(request.remoteAddress(), username);
            if (locked != null) {
                ctx.audit().append(ctx.dataSource(), null, "auth.login.locked", 0, null, Json.object()
                        .put("username", username).put("remoteAddress", request.remoteAddress()).put("lock", locked));
            }
            throw new ApiException(401, "unauthorized", "wrong username or password");
        }
        throttle.success(username);
        TokenStore.Issued issued = ctx.tokens().issue(userId);
        Principal who = ctx.tokens().authenticate(issued.token());
        return ApiResponse.ok(Json.object().put("token", issued.token()).put("expiresAt", issued.expiresAt().toString())
                .set("user", principalJson(who)));
    }

    private ApiResponse logout(ApiRequest request) throws Exception {
        ctx.tokens().revoke(request.header("authorization").substring(7).strip());
        return ApiResponse.noContent();
    }

    private ApiResponse me(ApiRequest request) {
        return ApiResponse.ok(principalJson(request.principal()));
    }

    /** The console needs the live WebSocket token; it is handed only to authenticated users. */
    private ApiResponse liveToken(ApiRequest request) {
        if (!request.principal().allAgencies()) {
            throw ApiException.forbidden("the ops live token streams every agency's alerts; only platform admins may have it");
        }
        return ApiResponse.ok(Json.object().put("token", ctx.liveToken()).put("path", io.kuzet.server.api.live.AgencyLiveHub.PATH));
    }

    static com.fasterxml.jackson.databind.node.ObjectNode principalJson(Principal p) {
        var n = Json.object().put("id", Long.toString(p.userId())).put("username", p.username()).put("role", p.role().dbValue())
                .put("mustChangePassword", p.mustChangePassword());
        if (p.allAgencies()) {
            n.putNull("agencyId");
        } else {
            n.put("agencyId", Long.toString(p.agencyId()));
        }
        return n;
    }
}
