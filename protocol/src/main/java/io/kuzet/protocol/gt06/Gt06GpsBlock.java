package io.kuzet.protocol.gt06;

import io.kuzet.protocol.AccuracyEstimate;
import io.kuzet.protocol.CivilTime;
import io.kuzet.protocol.DecodeError;
import io.kuzet.protocol.Fix;
import io.kuzet.protocol.ProtocolException;
import io.netty.buffer.ByteBuf;

/**
 * The 18-byte GPS block that opens the info of location and alarm messages (0x10, 0x12, 0x16, 0x22, 0x26).
 *
 * <pre>
 *  0      6        7          11         15      16
 *  YY MM DD hh mm ss | LS | LAT u32 | LON u32 | SPD | COURSE/STATUS u16
 *  date/time in UTC  | L = GPS info length (high nibble), S = satellites (low nibble)
 *  LAT, LON: absolute value in 1/1,800,000 degree (minutes x 30,000)
 *  SPD: km/h
 *  COURSE/STATUS: bits 0-9 course degrees, 10 north latitude, 11 west longitude, 12 GPS fixed
 * </pre>
 *
 * <p>Stateless and thread-safe; reads by absolute index, allocates nothing.
 */
public final class Gt06GpsBlock {
    /** Size of the block in bytes. */
    public static final int BYTES = 18;

    static final int STATUS_NORTH = 1 << 10;
    static final int STATUS_WEST = 1 << 11;
    static final int STATUS_FIXED = 1 << 12;
    static final int COURSE_MASK = 0x3FF;

    private static final long MAX_LAT_RAW = 90L * 1_800_000;
    private static final long MAX_LON_RAW = 180L * 1_800_000;

    private Gt06GpsBlock() {
    }

    /**
     * True when the block carries nothing: devices without a fix since power-on send an all-zero date. Alarm
     * messages with such a block still deliver their alarm, just without a fix.
     */
    public static boolean isEmpty(ByteBuf buf, int index) {
        return buf.getInt(index) == 0 && buf.getShort(index + 4) == 0;
    }

    /**
     * Fills {@code fix} from the block at {@code index}.
     *
     * @throws ProtocolException TIME_OUT_OF_RANGE for an impossible date, COORDINATE_OUT_OF_RANGE beyond +-90/+-180
     *                           degrees, BAD_FIELD for a course above 360
     */
    public static void read(ByteBuf buf, int index, Fix fix) {
        fix.timeMs = CivilTime.toEpochMs(2000 + buf.getUnsignedByte(index), buf.getUnsignedByte(index + 1),
                buf.getUnsignedByte(index + 2), buf.getUnsignedByte(index + 3), buf.getUnsignedByte(index + 4),
                buf.getUnsignedByte(index + 5));
        fix.satellites = buf.getUnsignedByte(index + 6) & 0x0F;
        long latRaw = buf.getUnsignedInt(index + 7);
        long lonRaw = buf.getUnsignedInt(index + 11);
        if (latRaw > MAX_LAT_RAW || lonRaw > MAX_LON_RAW) {
            throw new ProtocolException(DecodeError.COORDINATE_OUT_OF_RANGE,
                    "GT06 latitude " + latRaw / 1.8e6 + ", longitude " + lonRaw / 1.8e6 + " degrees");
        }
        fix.speedKmhX10 = buf.getUnsignedByte(index + 15) * 10;
        int status = buf.getUnsignedShort(index + 16);
        int course = status & COURSE_MASK;
        if (course > 360) {
            throw new ProtocolException(DecodeError.BAD_FIELD, "GT06 course " + course + " degrees");
        }
        fix.headingDeg = course % 360;
        int latE7 = rawToE7(latRaw);
        int lonE7 = rawToE7(lonRaw);
        fix.latE7 = (status & STATUS_NORTH) != 0 ? latE7 : -latE7;
        fix.lonE7 = (status & STATUS_WEST) != 0 ? -lonE7 : lonE7;
        fix.accuracyDm = Fix.ACCURACY_UNKNOWN;  // GT06 reports neither accuracy nor HDOP
        fix.flags = (status & STATUS_FIXED) != 0 ? Fix.FLAG_VALID : 0;
        AccuracyEstimate.fill(fix);             // from the satellite count and the GPS-fixed bit
    }

    /** Writes the block for {@code fix} at the writer index (device side: tests and the simulator). */
    public static void write(ByteBuf out, Fix fix) {
        int[] t = new int[6];
        CivilTime.fromEpochMs(fix.timeMs, t);
        out.writeByte(t[0] - 2000).writeByte(t[1]).writeByte(t[2]).writeByte(t[3]).writeByte(t[4]).writeByte(t[5]);
        out.writeByte(0xC0 | Math.min(fix.satellites, 15));  // 12 bytes of GPS info follow the date
        out.writeInt((int) e7ToRaw(Math.abs((long) fix.latE7)));
        out.writeInt((int) e7ToRaw(Math.abs((long) fix.lonE7)));
        out.writeByte(Math.min(255, (fix.speedKmhX10 + 5) / 10));
        int status = Math.floorMod(fix.headingDeg, 360);
        if (fix.isValid()) {
            status |= STATUS_FIXED;
        }
        if (fix.latE7 >= 0) {
            status |= STATUS_NORTH;
        }
        if (fix.lonE7 < 0) {
            status |= STATUS_WEST;
        }
        out.writeShort(status);
    }

    /** 1/1,800,000 degree to 1e-7 degree: x 50 / 9, rounded to nearest. */
    static int rawToE7(long raw) {
        return (int) ((raw * 50 + 4) / 9);
    }

    static long e7ToRaw(long e7) {
        return (e7 * 9 + 25) / 50;
    }
}
