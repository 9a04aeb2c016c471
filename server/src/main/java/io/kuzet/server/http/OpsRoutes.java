package io.kuzet.server.http;

import io.kuzet.server.api.auth.Role;
import io.kuzet.server.api.http.ApiException;
import io.kuzet.server.api.http.ApiRequest;
import io.kuzet.server.api.http.ApiResponse;
import io.kuzet.server.api.http.Route;
import io.kuzet.server.api.live.AgencyLiveHub;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The server's own routes in the one route table: {@code /metrics} (Prometheus), {@code /health/live},
 * {@code /health/ready}, and {@value AgencyLiveHub#PATH}, whose WebSocket upgrade the front door authenticates
 * (a plain GET there gets 426 once authenticated). The ops endpoints are public unless {@code http.opsToken} is set;
 * then they need {@code Authorization: Bearer <opsToken>}. Thread-safe.
 */
public final class OpsRoutes {
    private final PrometheusMeterRegistry prometheus;
    private final Map<String, HealthCheck> readiness;
    private final byte[] opsToken;

    /** @param opsToken bearer secret for the ops endpoints; blank = they are public */
    public OpsRoutes(PrometheusMeterRegistry prometheus, Map<String, HealthCheck> readiness, String opsToken) {
        this.prometheus = prometheus;
        this.readiness = readiness;
        this.opsToken = opsToken == null || opsToken.isBlank() ? null : opsToken.getBytes(StandardCharsets.UTF_8);
    }

    public List<Route> routes() {
        return List.of(
                new Route("GET", "/metrics", null, r -> guarded(r, () -> new ApiResponse(200,
                        "text/plain; version=0.0.4; charset=utf-8", prometheus.scrape().getBytes(StandardCharsets.UTF_8)))),
                new Route("GET", "/health/live", null, r -> guarded(r, () -> new ApiResponse(200, "application/json",
                        "{\"status\":\"UP\"}\n".getBytes(StandardCharsets.UTF_8)))),
                new Route("GET", "/health/ready", null, r -> guarded(r, this::ready)),
                new Route("GET", AgencyLiveHub.PATH, Role.OPERATOR, r -> ApiResponse.error(426, "upgrade_required",
                        "the live stream is a WebSocket; see docs/api.md").header("Upgrade", "websocket")));
    }

    private ApiResponse guarded(ApiRequest request, java.util.function.Supplier<ApiResponse> answer) {
        if (opsToken != null) {
            String header = request.header("authorization");
            byte[] presented = header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7) ? new byte[0]
                    : header.substring(7).strip().getBytes(StandardCharsets.UTF_8);
            if (!MessageDigest.isEqual(opsToken, presented)) {
                throw new ApiException(401, "unauthorized", "the ops endpoints need the configured http.opsToken as bearer token");
            }
        }
        return answer.get();
    }

    private ApiResponse ready() {
        List<String> problems = new ArrayList<>();
        readiness.forEach((name, check) -> {
            String problem = check.problem();
            if (problem != null) {
                problems.add("\"" + name + "\":\"" + problem.replace("\"", "'") + "\"");
            }
        });
        String body = problems.isEmpty() ? "{\"status\":\"READY\"}\n"
                : "{\"status\":\"NOT_READY\",\"problems\":{" + String.join(",", problems) + "}}\n";
        return new ApiResponse(problems.isEmpty() ? 200 : 503, "application/json", body.getBytes(StandardCharsets.UTF_8));
    }
}
