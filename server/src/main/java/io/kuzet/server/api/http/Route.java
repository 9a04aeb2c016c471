package io.kuzet.server.api.http;

import io.kuzet.server.api.auth.Role;

/**
 * One endpoint: method, path template ({@code /api/v1/alerts/{id}/acknowledge}), the least role allowed (null =
 * no authentication, e.g. login) and the handler. Immutable.
 */
public record Route(String method, String template, Role minimumRole, Handler handler) {

    /** Does the work of a route; runs on the API's worker pool, may block on JDBC. */
    @FunctionalInterface
    public interface Handler {
        ApiResponse handle(ApiRequest request) throws Exception;
    }

    String[] segments() {
        return template.substring(1).split("/");
    }
}
