package io.kuzet.server.api.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * The API's JSON conventions: one shared mapper, ids written as strings (64-bit ids lose precision in JavaScript),
 * times as ISO-8601 instants, and typed accessors that answer 400 with the field's name when a value is missing or
 * malformed. Stateless and thread-safe.
 */
public final class Json {
    public static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    public static ArrayNode array() {
        return MAPPER.createArrayNode();
    }

    public static JsonNode parse(byte[] body) {
        if (body.length == 0) {
            throw ApiException.badRequest("a JSON body is required");
        }
        try {
            JsonNode node = MAPPER.readTree(body);
            if (node == null || !node.isObject()) {
                throw ApiException.badRequest("the body must be a JSON object");
            }
            return node;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw ApiException.badRequest("the body is not valid JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw ApiException.badRequest("the body cannot be read: " + e.getMessage());
        }
    }

    public static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String requiredText(JsonNode body, String field, int maxLength) {
        JsonNode v = body.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw ApiException.badRequest("'" + field + "' is required (a non-empty string)");
        }
        return checkLength(field, v.asText().strip(), maxLength);
    }

    public static String optionalText(JsonNode body, String field, int maxLength) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw ApiException.badRequest("'" + field + "' must be a string");
        }
        return checkLength(field, v.asText().strip(), maxLength);
    }

    private static String checkLength(String field, String value, int maxLength) {
        if (value.length() > maxLength) {
            throw ApiException.badRequest("'" + field + "' is longer than " + maxLength + " characters");
        }
        return value;
    }

    /** A 64-bit id given as a JSON string or number. */
    public static long requiredId(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            throw ApiException.badRequest("'" + field + "' is required (an id)");
        }
        return parseId(field, v.asText());
    }

    public static long parseId(String field, String text) {
        try {
            long id = Long.parseLong(text);
            if (id <= 0) {
                throw ApiException.badRequest("'" + field + "' must be a positive id");
            }
            return id;
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("'" + field + "' must be an id, was '" + abbreviate(text) + "'");
        }
    }

    public static Instant requiredInstant(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || !v.isTextual()) {
            throw ApiException.badRequest("'" + field + "' is required (an ISO-8601 instant such as 2026-05-01T00:00:00Z)");
        }
        return parseInstant(field, v.asText());
    }

    public static Instant optionalInstant(JsonNode body, String field) {
        JsonNode v = body.get(field);
        return v == null || v.isNull() ? null : parseInstant(field, v.asText());
    }

    public static Instant parseInstant(String field, String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("'" + field + "' must be an ISO-8601 instant such as 2026-05-01T00:00:00Z, was '"
                    + abbreviate(text) + "'");
        }
    }

    public static double optionalDouble(JsonNode body, String field, double fallback, double min, double max) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isNumber() || v.asDouble() < min || v.asDouble() > max) {
            throw ApiException.badRequest("'" + field + "' must be a number in [" + min + ", " + max + "]");
        }
        return v.asDouble();
    }

    public static int optionalInt(JsonNode body, String field, int fallback, int min, int max) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() < min || v.asInt() > max) {
            throw ApiException.badRequest("'" + field + "' must be an integer in [" + min + ", " + max + "]");
        }
        return v.asInt();
    }

    /** A string as given (the registry checks its length), null when absent. */
    public static String text(JsonNode body, String field) {
        return optionalText(body, field, Integer.MAX_VALUE);
    }

    /** An integer in any range (the registry checks it), or {@code fallback} when absent. */
    public static int optionalInt(JsonNode body, String field, int fallback) {
        return optionalInt(body, field, fallback, Integer.MIN_VALUE, Integer.MAX_VALUE);
    }

    /** A number in any range (the registry checks it), or {@code fallback} when absent. */
    public static double optionalDouble(JsonNode body, String field, double fallback) {
        return optionalDouble(body, field, fallback, -Double.MAX_VALUE, Double.MAX_VALUE);
    }

    /** An array of strings, or null when absent. */
    public static java.util.List<String> optionalTexts(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        java.util.List<String> texts = new java.util.ArrayList<>();
        for (JsonNode item : v.isArray() ? v : Json.array().add(v)) {
            if (!item.isTextual()) {
                throw ApiException.badRequest("'" + field + "' must be an array of strings");
            }
            texts.add(item.asText());
        }
        if (!v.isArray()) {
            throw ApiException.badRequest("'" + field + "' must be an array of strings");
        }
        return texts;
    }

    /** The value of a fixed vocabulary (an enum), case-insensitive, or 400 listing the allowed values. */
    public static <E extends Enum<E>> E requiredEnum(JsonNode body, String field, Class<E> type) {
        JsonNode v = body.get(field);
        if (v == null || !v.isTextual()) {
            throw ApiException.badRequest("'" + field + "' is required, one of " + java.util.Arrays.toString(type.getEnumConstants()));
        }
        return parseEnum(field, v.asText(), type);
    }

    public static <E extends Enum<E>> E parseEnum(String field, String text, Class<E> type) {
        try {
            return Enum.valueOf(type, text.strip().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("'" + field + "' must be one of " + java.util.Arrays.toString(type.getEnumConstants())
                    + ", was '" + abbreviate(text) + "'");
        }
    }

    public static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }

    public static String instant(java.sql.Timestamp t) {
        return t == null ? null : t.toInstant().toString();
    }
}
