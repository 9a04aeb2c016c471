package io.kuzet.server.registry;

/**
 * A registered device. {@code protocol} is {@code kuzet}, {@code gt06} or {@code watch}; {@code deviceNumber} is the
 * Kuzet device id or the IMEI; {@code secretKey} is the HMAC key (Kuzet only, else null). {@code subjectId} is the
 * subject it is assigned to now (0 = unassigned). {@code allowedSources} are the networks it may connect from
 * ({@link SourceNetworks#ANY}: its agency's list applies). Immutable (do not modify the key array).
 */
public record DeviceRecord(long id, String protocol, long deviceNumber, byte[] secretKey, DeviceRole role, long subjectId,
                           SourceNetworks allowedSources) {
    public DeviceRecord {
        allowedSources = allowedSources == null ? SourceNetworks.ANY : allowedSources;
    }

    /** A device without its own source restriction. */
    public DeviceRecord(long id, String protocol, long deviceNumber, byte[] secretKey, DeviceRole role, long subjectId) {
        this(id, protocol, deviceNumber, secretKey, role, subjectId, SourceNetworks.ANY);
    }
}
