package io.kuzet.server.api.http;

/**
 * A request the API refuses, with the HTTP status, a stable machine-readable code and a sentence for the caller.
 * Thrown by route handlers; the dispatcher turns it into {@code {"error": code, "message": message}}. Immutable.
 */
public final class ApiException extends RuntimeException {
    /**
     * Every code the API answers with. Clients key their own text on the code, never on the English message: the
     * console shows {@code error_<code>} in the operator's language (ConsoleTranslationsTest checks each has a text),
     * and {@link ApiResponse#error} asserts the code is listed here.
     */
    public static final java.util.List<String> CODES = java.util.List.of("bad_request", "not_found", "forbidden", "conflict",
            "unauthorized", "method_not_allowed", "too_large", "password_change_required", "internal", "wrong_password",
            "too_many_requests", "busy", "unavailable", "upgrade_required", "alert_state_conflict", "password_too_short",
            "password_too_long", "password_unchanged");

    private final int status;
    private final String code;

    public ApiException(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    public static ApiException badRequest(String message) {
        return new ApiException(400, "bad_request", message);
    }

    /** Also used for ids of other agencies, so a foreign id cannot be told apart from a missing one. */
    public static ApiException notFound(String what) {
        return new ApiException(404, "not_found", what + " not found");
    }

    public static ApiException forbidden(String message) {
        return new ApiException(403, "forbidden", message);
    }

    public static ApiException conflict(String message) {
        return new ApiException(409, "conflict", message);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }
}
