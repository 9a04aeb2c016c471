package io.kuzet.server.alert;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * The JSON form of an alert used on the live stream and by the API. Ids are strings because 64-bit integers
 * lose precision in JavaScript. Stateless, thread-safe.
 */
public final class AlertJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private AlertJson() {
    }

    public static ObjectNode toNode(Alert a) {
        ObjectNode n = JSON.createObjectNode();
        n.put("kind", "alert");
        n.put("alertId", Long.toString(a.alertId()));
        n.put("phase", a.phase().name());
        n.put("type", a.type().name());
        n.put("severity", a.severity().name());
        n.put("deviceId", Long.toString(a.deviceId()));
        n.put("deviceNumber", Long.toString(a.deviceNumber()));
        n.put("subjectId", Long.toString(a.subjectId()));
        n.put("orderId", Long.toString(a.orderId()));
        n.put("ruleId", Long.toString(a.ruleId()));
        n.put("fixTime", Instant.ofEpochMilli(a.fixTimeMs()).toString());
        n.put("detectedAt", Instant.ofEpochMilli(a.detectedAtMs()).toString());
        n.put("late", a.late());
        n.put("explanation", a.explanation());
        n.set("details", JSON.valueToTree(a.details()));
        return n;
    }

    public static String toJson(Alert a) {
        try {
            return JSON.writeValueAsString(toNode(a));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
