package io.kuzet.server.alert;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.util.Map;
import net.openhft.chronicle.bytes.Bytes;

/**
 * The one binary layout of an alert transition, shared by the embedded alerts journal (Chronicle) and the Kafka alerts
 * topic, so every reader decodes the same record whichever journal carried it. Enum values are written by name so
 * reordering an enum never corrupts old records.
 *
 * <pre>
 * u8 version=1 | i64 alertId | utf8 phase | utf8 type | utf8 severity | i64 deviceId | i64 deviceNumber
 * | i64 subjectId | i64 orderId | i64 ruleId | i64 fixTimeMs | i64 detectedAtMs | u8 late | utf8 explanation | utf8 details JSON
 * </pre>
 * (utf8 = Chronicle Bytes' stop-bit length prefix and UTF-8 text; integers in Chronicle's native order.)
 */
public final class AlertCodec {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> DETAILS = new TypeReference<>() { };
    private static final int VERSION = 1;

    private AlertCodec() {
    }

    public static void write(Bytes<?> b, Alert alert) {
        String details;
        try {
            details = JSON.writeValueAsString(alert.details());
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        b.writeByte((byte) VERSION);
        b.writeLong(alert.alertId());
        b.writeUtf8(alert.phase().name());
        b.writeUtf8(alert.type().name());
        b.writeUtf8(alert.severity().name());
        b.writeLong(alert.deviceId());
        b.writeLong(alert.deviceNumber());
        b.writeLong(alert.subjectId());
        b.writeLong(alert.orderId());
        b.writeLong(alert.ruleId());
        b.writeLong(alert.fixTimeMs());
        b.writeLong(alert.detectedAtMs());
        b.writeByte((byte) (alert.late() ? 1 : 0));
        b.writeUtf8(alert.explanation());
        b.writeUtf8(details);
    }

    /** The alert at the read position, or null for a record of a version this code does not know. */
    public static Alert read(Bytes<?> b) {
        if (b.readUnsignedByte() != VERSION) {
            return null;
        }
        long alertId = b.readLong();
        Alert.Phase phase = Alert.Phase.valueOf(b.readUtf8());
        AlertType type = AlertType.valueOf(b.readUtf8());
        Severity severity = Severity.valueOf(b.readUtf8());
        long deviceId = b.readLong();
        long deviceNumber = b.readLong();
        long subjectId = b.readLong();
        long orderId = b.readLong();
        long ruleId = b.readLong();
        long fixTimeMs = b.readLong();
        long detectedAtMs = b.readLong();
        boolean late = b.readUnsignedByte() != 0;
        String explanation = b.readUtf8();
        Map<String, Object> details;
        try {
            details = JSON.readValue(b.readUtf8(), DETAILS);
        } catch (JsonProcessingException e) {
            details = Map.of();
        }
        return new Alert(alertId, phase, type, severity, deviceId, deviceNumber, subjectId, orderId, ruleId,
                fixTimeMs, detectedAtMs, late, explanation, details);
    }

    /** The record as a byte array (a Kafka record value). */
    public static byte[] toBytes(Alert alert) {
        Bytes<byte[]> b = Bytes.allocateElasticOnHeap(256);
        try {
            write(b, alert);
            return b.toByteArray();
        } finally {
            b.releaseLast();
        }
    }

    /** Decodes a record written by {@link #toBytes}; null for an unknown version. */
    public static Alert fromBytes(byte[] value) {
        Bytes<byte[]> b = Bytes.wrapForRead(value);
        try {
            return read(b);
        } finally {
            b.releaseLast();
        }
    }
}
