package io.kuzet.protocol.kuzet;

/**
 * The Kuzet v1 message types with their wire codes and payload sizes.
 * Immutable and thread-safe; {@link #fromCode(int)} is a table lookup.
 */
public enum KuzetMessageType {
    HELLO(0x01, 12, 0),
    CHALLENGE(0x02, 24, 0),
    LOGIN(0x03, 40, 0),
    LOGIN_RESULT(0x04, 15, 0),
    POSITION_BATCH(0x10, 1, KuzetFrame.FIX_LENGTH),
    DEVICE_EVENT(0x11, 1, KuzetFrame.EVENT_LENGTH),
    HEARTBEAT(0x12, 11, 0),
    ACK(0x20, 4, 0),
    NACK(0x21, 5, 0),
    COMMAND(0x30, 9, 0),
    COMMAND_RESULT(0x31, 5, 0);

    private static final KuzetMessageType[] BY_CODE = new KuzetMessageType[256];

    static {
        for (KuzetMessageType type : values()) {
            BY_CODE[type.code] = type;
        }
    }

    private final int code;
    private final int fixedLength;
    private final int recordLength;

    KuzetMessageType(int code, int fixedLength, int recordLength) {
        this.code = code;
        this.fixedLength = fixedLength;
        this.recordLength = recordLength;
    }

    public int code() {
        return code;
    }

    /** Payload bytes before the records: the whole payload for fixed-size types, the count byte otherwise. */
    public int fixedLength() {
        return fixedLength;
    }

    /** Bytes per record for the count-prefixed types (POSITION_BATCH, DEVICE_EVENT), 0 for fixed-size types. */
    public int recordLength() {
        return recordLength;
    }

    /** True for the messages a device numbers with its sequence and the server stores and acks. */
    public boolean isData() {
        return this == POSITION_BATCH || this == DEVICE_EVENT || this == HEARTBEAT || this == COMMAND_RESULT;
    }

    /** The type for a wire code, or {@code null} when the code is not assigned. */
    public static KuzetMessageType fromCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
