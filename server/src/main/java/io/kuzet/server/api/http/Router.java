package io.kuzet.server.api.http;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Matches a method and path against route templates segment by segment; {@code {name}} segments capture. A path
 * that matches a template with another method answers 405. Immutable after construction, thread-safe; cost is
 * linear in the number of routes (a few dozen).
 */
public final class Router {
    private final List<Route> routes;
    private final List<String[]> segments = new ArrayList<>();

    public Router(List<Route> routes) {
        this.routes = List.copyOf(routes);
        for (Route r : this.routes) {
            segments.add(r.segments());
        }
    }

    /** Every route, in the order given (the sweep test walks this table). */
    public List<Route> routes() {
        return routes;
    }

    /** The match for this request, or null when no template matches the path at all. */
    public Match match(String method, String path) {
        String[] parts = path.substring(1).split("/", -1);
        boolean pathKnown = false;
        for (int i = 0; i < routes.size(); i++) {
            Map<String, String> params = match(segments.get(i), parts);
            if (params != null) {
                pathKnown = true;
                if (routes.get(i).method().equals(method)) {
                    return new Match(routes.get(i), params);
                }
            }
        }
        return pathKnown ? new Match(null, Map.of()) : null;
    }

    private static Map<String, String> match(String[] template, String[] parts) {
        if (template.length != parts.length) {
            return null;
        }
        Map<String, String> params = null;
        for (int i = 0; i < template.length; i++) {
            String t = template[i];
            if (t.startsWith("{")) {
                if (parts[i].isEmpty()) {
                    return null;
                }
                if (params == null) {
                    params = new HashMap<>();
                }
                params.put(t.substring(1, t.length() - 1), parts[i]);
            } else if (!t.equals(parts[i])) {
                return null;
            }
        }
        return params == null ? Map.of() : params;
    }

    /** A matched route (null route = path known, method not allowed) with its captured path parameters. */
    public record Match(Route route, Map<String, String> params) {
    }
}
