package io.kuzet.server.api.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.kuzet.server.api.auth.Principal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One API request as route handlers see it: method, path parameters, query parameters, the body (copied out of the
 * Netty buffer, so the buffer is released before any blocking work) and the authenticated caller. Not thread-safe;
 * one handler works on it.
 */
public final class ApiRequest {
    private final String method;
    private final String path;
    private final Map<String, List<String>> query;
    private final Map<String, String> headers;
    private final byte[] body;
    private Map<String, String> pathParams = Map.of();
    private Principal principal;
    private String remoteAddress = "unknown";
    private JsonNode json;

    public ApiRequest(String method, String path, Map<String, List<String>> query, Map<String, String> headers, byte[] body) {
        this.method = method;
        this.path = path;
        this.query = query;
        this.headers = headers;
        this.body = body;
    }

    public String method() {
        return method;
    }

    public String path() {
        return path;
    }

    /** A header by lower-case name, or null. */
    public String header(String lowerCaseName) {
        return headers.get(lowerCaseName);
    }

    public byte[] body() {
        return body;
    }

    /** The body as a JSON object (parsed once), or 400. */
    public JsonNode json() {
        if (json == null) {
            json = Json.parse(body);
        }
        return json;
    }

    void pathParams(Map<String, String> params) {
        this.pathParams = params;
    }

    void remoteAddress(String address) {
        this.remoteAddress = address;
    }

    /** The client's IP address as the server saw it (no proxy header is trusted). */
    public String remoteAddress() {
        return remoteAddress;
    }

    void principal(Principal principal) {
        this.principal = principal;
    }

    /** The authenticated caller; never null inside an authenticated route. */
    public Principal principal() {
        return principal;
    }

    public long idParam(String name) {
        return Json.parseId(name, pathParams.get(name));
    }

    public String pathParam(String name) {
        return pathParams.get(name);
    }

    public String queryParam(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    public Instant requiredInstantParam(String name) {
        String v = queryParam(name);
        if (v == null) {
            throw ApiException.badRequest("query parameter '" + name + "' is required (an ISO-8601 instant)");
        }
        return Json.parseInstant(name, v);
    }

    public Instant instantParam(String name) {
        String v = queryParam(name);
        return v == null ? null : Json.parseInstant(name, v);
    }

    public int intParam(String name, int fallback, int min, int max) {
        String v = queryParam(name);
        if (v == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v);
            if (n < min || n > max) {
                throw ApiException.badRequest("query parameter '" + name + "' must be in [" + min + ", " + max + "]");
            }
            return n;
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("query parameter '" + name + "' must be an integer");
        }
    }
}
