package io.kuzet.server.api.console;

import io.kuzet.server.api.http.ApiResponse;
import io.kuzet.server.api.http.Json;
import io.kuzet.server.api.http.Route;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code GET /api/v1/console/config}: what the console needs before login (map tile URL template and its
 * attribution; an empty URL means no tiles: zones and tracks are drawn on a blank map) and the server's clock
 * ({@code now}, the clock alerts are detected on), from which the console runs its SLA countdowns: in the demo that
 * clock is simulated and runs faster than the operator's. Immutable, thread-safe.
 */
public final class ConsoleConfigRoutes {
    private final String tileUrl;
    private final String tileAttribution;
    private final Supplier<Instant> serverClock;

    public ConsoleConfigRoutes(String tileUrl, String tileAttribution, Supplier<Instant> serverClock) {
        this.tileUrl = tileUrl == null ? "" : tileUrl;
        this.tileAttribution = tileAttribution == null ? "" : tileAttribution;
        this.serverClock = serverClock;
    }

    public List<Route> routes() {
        return List.of(new Route("GET", "/api/v1/console/config", null,
                r -> ApiResponse.ok(Json.object().put("tileUrl", tileUrl).put("tileAttribution", tileAttribution)
                        .put("now", serverClock.get().toString()))));
    }
}
