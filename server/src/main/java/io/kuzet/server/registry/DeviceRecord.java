package io.kuzet.server.registry;

/**
 * A registered device. {@code protocol} is {@code kuzet}, {@code gt06} or {@code watch}; {@code deviceNumber} is the
 * Kuzet device id or the IMEI; {@code secretKey} is the HMAC key (Kuzet only, else null). {@code subjectId} is the
 * subject it is assigned to now (0 = unassigned). Immutable (do not modify the key array).
 */
public record DeviceRecord(long id, String protocol, long deviceNumber, byte[] secretKey, DeviceRole role, long subjectId) {
}
