package io.kuzet.server.api.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a route answers: status, content type, body bytes and extra headers. Immutable apart from
 * {@link #header}, which routes call before returning it.
 */
public final class ApiResponse {
    private final int status;
    private final String contentType;
    private final byte[] body;
    private final Map<String, String> headers = new LinkedHashMap<>();

    public ApiResponse(int status, String contentType, byte[] body) {
        this.status = status;
        this.contentType = contentType;
        this.body = body;
    }

    public static ApiResponse json(int status, JsonNode node) {
        return new ApiResponse(status, "application/json; charset=utf-8", Json.write(node).getBytes(StandardCharsets.UTF_8));
    }

    public static ApiResponse ok(JsonNode node) {
        return json(200, node);
    }

    public static ApiResponse created(JsonNode node) {
        return json(201, node);
    }

    public static ApiResponse noContent() {
        return new ApiResponse(204, null, new byte[0]);
    }

    public static ApiResponse error(int status, String code, String message) {
        assert ApiException.CODES.contains(code) : "error code '" + code + "' is not listed in ApiException.CODES";
        return json(status, Json.object().put("error", code).put("message", message));
    }

    public ApiResponse header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    public int status() {
        return status;
    }

    public String contentType() {
        return contentType;
    }

    public byte[] body() {
        return body;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
