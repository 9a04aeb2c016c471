package io.kuzet.protocol.gt06;

import io.kuzet.protocol.DecodeError;
import io.kuzet.protocol.ProtocolException;
import io.netty.buffer.ByteBuf;

/**
 * The login message (protocol number 0x01) info.
 *
 * <pre>
 *  0                     8            10
 *  IMEI (8 bytes BCD)  | [TYPE_ID u16 | TZ_LANG u16]    optional extension on newer models
 *  IMEI: 16 BCD digits, the first one 0 ("0864717003283581" = IMEI 864717003283581)
 *  TZ_LANG: bits 15-4 time zone as hhmm in decimal (400 = 4:00), bit 3 west (negative), bits 0-1 language
 * </pre>
 *
 * <p>Stateless and thread-safe; allocates nothing.
 */
public final class Gt06Login {
    /** Info bytes of a login without the extension. */
    public static final int BASE_BYTES = 8;
    /** Info bytes of a login with type id and time zone. */
    public static final int EXTENDED_BYTES = 12;
    /** {@link #timeZoneOffsetMinutes} result when the login carried no time zone. */
    public static final int NO_TIME_ZONE = Integer.MIN_VALUE;

    private Gt06Login() {
    }

    /** The IMEI from 8 BCD bytes at {@code index}. */
    public static long imei(ByteBuf buf, int index) {
        long imei = 0;
        for (int i = 0; i < 8; i++) {
            int b = buf.getUnsignedByte(index + i);
            int high = b >>> 4;
            int low = b & 0x0F;
            if (high > 9 || low > 9) {
                throw new ProtocolException(DecodeError.BAD_FIELD, String.format("GT06 login: IMEI byte %d is %02X, not BCD", i, b));
            }
            imei = imei * 100 + high * 10 + low;
        }
        return imei;
    }

    /** Offset of the device's zone from UTC in minutes, or {@link #NO_TIME_ZONE} for a login without extension. */
    public static int timeZoneOffsetMinutes(ByteBuf buf, int infoIndex, int infoLength) {
        if (infoLength < EXTENDED_BYTES) {
            return NO_TIME_ZONE;
        }
        int ext = buf.getUnsignedShort(infoIndex + 10);
        int hhmm = ext >>> 4;
        int minutes = hhmm / 100 * 60 + hhmm % 100;
        return (ext & 0x08) != 0 ? -minutes : minutes;
    }

    /** Writes the 8 BCD bytes of {@code imei} (device side). */
    public static void writeImei(ByteBuf out, long imei) {
        if (imei < 0 || imei > 9_999_999_999_999_999L) {
            throw new IllegalArgumentException("IMEI " + imei + " does not fit 16 BCD digits");
        }
        long divisor = 1_000_000_000_000_000L;  // 10^15: the first of 16 digits
        for (int i = 0; i < 8; i++) {
            int high = (int) (imei / divisor % 10);
            divisor /= 10;
            int low = (int) (imei / divisor % 10);
            divisor /= 10;
            out.writeByte(high << 4 | low);
        }
    }
}
