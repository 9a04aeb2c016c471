package io.kuzet.server.api.console;

import io.kuzet.server.api.http.ApiResponse;
import io.kuzet.server.api.http.Json;
import io.kuzet.server.api.http.Route;
import java.util.List;

/**
 * {@code GET /api/v1/console/config}: what the console needs before login (map tile URL template and its
 * attribution; an empty URL means no tiles: zones and tracks are drawn on a blank map). Immutable, thread-safe.
 */
public final class ConsoleConfigRoutes {
    private final String tileUrl;
    private final String tileAttribution;

    public ConsoleConfigRoutes(String tileUrl, String tileAttribution) {
        this.tileUrl = tileUrl == null ? "" : tileUrl;
        this.tileAttribution = tileAttribution == null ? "" : tileAttribution;
    }

    public List<Route> routes() {
        return List.of(new Route("GET", "/api/v1/console/config", null,
                r -> ApiResponse.ok(Json.object().put("tileUrl", tileUrl).put("tileAttribution", tileAttribution))));
    }
}
