package io.kuzet.server.store;

import io.kuzet.server.journal.Protocol;
import java.nio.charset.StandardCharsets;

/**
 * How far a stored position can be trusted to come from the device it is filed under, from the protocol and session
 * it arrived on (docs/device-trust.md). Stored in {@code positions.assurance}; shown in evidence exports and the
 * console. Immutable.
 */
public enum PositionAssurance {
    /** Kuzet session with per-frame MAC: the device key vouches for every frame. */
    AUTHENTICATED,
    /** Kuzet login checked with the device key, frames protected by a CRC only (frame MAC not negotiated). */
    LOGIN_AUTHENTICATED,
    /** GT06 / Watch: the device only named its IMEI; anyone who knows it could have sent this. */
    IMEI_ONLY;

    private final byte[] utf8 = name().getBytes(StandardCharsets.US_ASCII);

    /** The assurance of a journaled message of {@code protocolCode}. */
    public static PositionAssurance of(int protocolCode, boolean frameAuthenticated) {
        if (protocolCode == Protocol.KUZET.code()) {
            return frameAuthenticated ? AUTHENTICATED : LOGIN_AUTHENTICATED;
        }
        return IMEI_ONLY;
    }

    byte[] utf8() {
        return utf8;
    }
}
