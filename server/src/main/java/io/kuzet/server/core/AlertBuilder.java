package io.kuzet.server.core;

import io.kuzet.server.alert.Alert;
import io.kuzet.server.alert.AlertSeverity;
import io.kuzet.server.alert.AlertType;
import io.kuzet.server.registry.DeviceRecord;
import io.kuzet.server.registry.OrderRecord;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/**
 * Builds alert transitions with deterministic ids and the severity the order's risk level gives, and formats
 * times in the order's time zone for explanations. Core thread only; allocates only when an alert is made.
 */
final class AlertBuilder {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final AlertEmitter emitter;
    private Supervision supervision;

    AlertBuilder(AlertEmitter emitter) {
        this.emitter = emitter;
    }

    /** Lets adaptive supervision see every raise and clear (and state on the alert what the bracelet was told). */
    void supervision(Supervision supervision) {
        this.supervision = supervision;
    }

    /** Raises an alert; returns its id (also when it was already emitted before a restart). */
    long raise(DeviceRecord device, OrderRecord order, AlertType type, long ruleId, long openingTimeMs, long fixTimeMs,
               long detectedAtMs, boolean late, String explanation, Map<String, Object> details, long receivedNanoTime) {
        long id = Alert.identity(device.id(), type, ruleId, openingTimeMs);
        Alert alert = new Alert(id, Alert.Phase.RAISED, type, AlertSeverity.of(type, order == null ? null : order.riskLevel()),
                device.id(), device.deviceNumber(), device.subjectId(), order == null ? 0 : order.id(), ruleId,
                fixTimeMs, detectedAtMs, late, explanation, details);
        emitter.emit(supervision == null ? alert : supervision.onRaised(alert, device, order), receivedNanoTime);
        return id;
    }

    /** Clears an alert raised earlier with {@code alertId}. */
    void clear(long alertId, DeviceRecord device, OrderRecord order, AlertType type, long ruleId, long fixTimeMs,
               long detectedAtMs, boolean late, String explanation, Map<String, Object> details) {
        emitter.emit(new Alert(alertId, Alert.Phase.CLEARED, type, AlertSeverity.of(type, order == null ? null : order.riskLevel()),
                device.id(), device.deviceNumber(), device.subjectId(), order == null ? 0 : order.id(), ruleId,
                fixTimeMs, detectedAtMs, late, explanation, details), 0);
        if (supervision != null) {
            supervision.onCleared(alertId, type, device, detectedAtMs);
        }
    }

    static String time(long epochMs, OrderRecord order) {
        ZoneId zone = order == null || order.timeZone() == null ? ZoneOffset.UTC : order.timeZone();
        return TIME.format(Instant.ofEpochMilli(epochMs).atZone(zone)) + " " + zone.getId();
    }

    static String minutes(long ms) {
        long totalSeconds = Math.max(0, ms / 1000);
        if (totalSeconds < 120) {
            return totalSeconds + " s";
        }
        long minutes = totalSeconds / 60;
        return minutes < 120 ? minutes + " min" : (minutes / 60) + " h " + (minutes % 60) + " min";
    }
}
