package io.kuzet.protocol.kuzet;

import io.kuzet.protocol.DecodeError;

/**
 * Why the server refused a device message, as carried in a NACK. Codes 1..9 mirror {@link DecodeError};
 * codes from 16 on are session-level refusals. Immutable and thread-safe.
 */
public enum KuzetNackReason {
    BAD_CRC(1),
    TRUNCATED(2),
    OVERSIZED(3),
    BAD_FRAMING(4),
    UNSUPPORTED_VERSION(5),
    UNKNOWN_TYPE(6),
    BAD_FIELD(7),
    COORDINATE_OUT_OF_RANGE(8),
    TIME_OUT_OF_RANGE(9),
    NOT_LOGGED_IN(16),       // data message before a successful LOGIN
    BUSY(17),                // server shedding load; the device retries after a back-off
    SEQUENCE_GAP(18),        // sequence > last stored + 1; the device resends from last acked + 1
    BAD_MAC(19);             // frame tag missing or wrong (tampered, replayed, reordered); the server closes

    private static final KuzetNackReason[] BY_CODE = new KuzetNackReason[32];

    static {
        for (KuzetNackReason reason : values()) {
            BY_CODE[reason.code] = reason;
        }
    }

    private final int code;

    KuzetNackReason(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The reason for a wire code, or {@code null} when the code is not assigned. */
    public static KuzetNackReason fromCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }

    /** The NACK reason a decode error is reported with. */
    public static KuzetNackReason of(DecodeError error) {
        switch (error) {
            case BAD_CRC:
                return BAD_CRC;
            case TRUNCATED:
                return TRUNCATED;
            case OVERSIZED:
                return OVERSIZED;
            case BAD_FRAMING:
                return BAD_FRAMING;
            case UNSUPPORTED_VERSION:
                return UNSUPPORTED_VERSION;
            case UNKNOWN_TYPE:
                return UNKNOWN_TYPE;
            case BAD_FIELD:
                return BAD_FIELD;
            case COORDINATE_OUT_OF_RANGE:
                return COORDINATE_OUT_OF_RANGE;
            case TIME_OUT_OF_RANGE:
                return TIME_OUT_OF_RANGE;
            case BAD_MAC:
                return BAD_MAC;
            default:
                throw new IllegalArgumentException("no NACK reason for " + error);
        }
    }
}
