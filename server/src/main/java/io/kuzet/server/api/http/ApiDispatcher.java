package io.kuzet.server.api.http;

import io.kuzet.server.api.auth.Principal;
import io.kuzet.server.registry.RegistryRefusal;
import java.sql.SQLException;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns an {@link ApiRequest} into an {@link ApiResponse}: routes it, authenticates the bearer token, checks the
 * route's least role, runs the handler and maps failures to JSON errors (400/401/403/404/405/409/413, 500 with
 * the detail only in the log). Thread-safe; called on the API worker pool.
 */
public final class ApiDispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(ApiDispatcher.class);

    /** What a user who must change the password may still call. */
    private static final java.util.Set<String> PASSWORD_CHANGE_ROUTES =
            java.util.Set.of("/api/v1/auth/password", "/api/v1/auth/logout", "/api/v1/auth/me");

    private final Router router;
    private final Authenticator tokens;
    private final int maxJsonBodyBytes;
    private final Predicate<String> staticPaths;
    private final Route.Handler staticFiles;

    /**
     * @param maxJsonBodyBytes largest body accepted by routes other than zone uploads (those get the HTTP
     *                         aggregator's 1 MiB)
     */
    public ApiDispatcher(Router router, Authenticator tokens, int maxJsonBodyBytes) {
        this(router, tokens, maxJsonBodyBytes, path -> false, null);
    }

    /**
     * @param staticPaths paths no route claims that {@code staticFiles} serves (the console), unauthenticated
     */
    public ApiDispatcher(Router router, Authenticator tokens, int maxJsonBodyBytes, Predicate<String> staticPaths,
                         Route.Handler staticFiles) {
        this.router = router;
        this.tokens = tokens;
        this.maxJsonBodyBytes = maxJsonBodyBytes;
        this.staticPaths = staticPaths;
        this.staticFiles = staticFiles;
    }

    public Router router() {
        return router;
    }

    public ApiResponse dispatch(ApiRequest request) {
        try {
            Router.Match match = router.match(request.method(), request.path());
            if (match == null && staticPaths.test(request.path())) {
                return staticFiles.handle(request);
            }
            if (match == null) {
                return ApiResponse.error(404, "not_found", "no such endpoint: " + request.method() + " " + Json.abbreviate(request.path()));
            }
            if (match.route() == null) {
                return ApiResponse.error(405, "method_not_allowed", request.method() + " is not allowed on " + Json.abbreviate(request.path()));
            }
            Route route = match.route();
            if (request.body().length > maxJsonBodyBytes && !route.template().startsWith("/api/v1/zones")) {
                return ApiResponse.error(413, "too_large", "the body exceeds " + maxJsonBodyBytes + " bytes");
            }
            request.pathParams(match.params());
            if (route.minimumRole() != null) {
                Principal principal = authenticate(request);
                if (principal == null) {
                    return ApiResponse.error(401, "unauthorized", "a valid bearer token is required (POST /api/v1/auth/login)")
                            .header("WWW-Authenticate", "Bearer");
                }
                if (!principal.role().atLeast(route.minimumRole())) {
                    return ApiResponse.error(403, "forbidden", "this needs the role " + route.minimumRole().dbValue() + " or higher");
                }
                if (principal.mustChangePassword() && !PASSWORD_CHANGE_ROUTES.contains(route.template())) {
                    return ApiResponse.error(403, "password_change_required",
                            "change the password first (POST /api/v1/auth/password); nothing else is allowed until then");
                }
                request.principal(principal);
            }
            return route.handler().handle(request);
        } catch (ApiException e) {
            return ApiResponse.error(e.status(), e.code(), e.getMessage());
        } catch (RegistryRefusal e) {
            return switch (e.kind()) {
                case INVALID -> ApiResponse.error(400, "bad_request", e.getMessage());
                case NOT_FOUND -> ApiResponse.error(404, "not_found", e.getMessage());
                case CONFLICT -> ApiResponse.error(409, "conflict", e.getMessage());
            };
        } catch (SQLException e) {
            return sqlError(request, e);
        } catch (Exception e) {
            LOG.error("{} {} failed", request.method(), request.path(), e);
            return ApiResponse.error(500, "internal", "the server failed to handle the request; see its log");
        }
    }

    private Principal authenticate(ApiRequest request) throws SQLException {
        String header = request.header("authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String token = header.substring(7).strip();
        return token.isEmpty() || token.length() > 200 ? null : tokens.authenticate(token);
    }

    /** Constraint violations are the caller's fault (409/400); anything else is ours (500). */
    private static ApiResponse sqlError(ApiRequest request, SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        switch (state) {
            case "23505":
                return ApiResponse.error(409, "conflict", "already exists: " + constraint(e));
            case "23503":
                return ApiResponse.error(409, "conflict", "refers to or is referred to by another record: " + constraint(e));
            case "23514":
            case "23502":
            case "22007":
            case "22008":
                return ApiResponse.error(400, "bad_request", "rejected by the schema: " + constraint(e));
            default:
                LOG.error("{} {} failed in the database", request.method(), request.path(), e);
                return ApiResponse.error(500, "internal", "the database failed to handle the request; see the server log");
        }
    }

    private static String constraint(SQLException e) {
        if (e instanceof org.postgresql.util.PSQLException p && p.getServerErrorMessage() != null) {
            String c = p.getServerErrorMessage().getConstraint();
            String d = p.getServerErrorMessage().getDetail();
            return (c == null ? "" : c) + (d == null ? "" : " (" + d + ")");
        }
        return e.getMessage();
    }
}
