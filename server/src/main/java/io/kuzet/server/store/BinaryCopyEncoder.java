package io.kuzet.server.store;

import io.kuzet.protocol.AccuracySource;
import io.kuzet.protocol.Fix;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Encodes batches in PostgreSQL's binary COPY format into a reusable byte array:
 * <pre>
 * header : "PGCOPY\n\377\r\n\0" | int32 flags = 0 | int32 header extension length = 0
 * tuple  : int16 field count | per field: int32 byte length (-1 = NULL) | value bytes, big-endian
 * trailer: int16 -1
 * </pre>
 * timestamptz is an int64 of microseconds since 2000-01-01T00:00Z; real is IEEE float32. Binary avoids formatting
 * numbers and timestamps as text on our side and parsing them on the server's.
 *
 * <p>Not thread-safe: one per writer. Allocation-free once the buffer has grown to the batch size.
 */
final class BinaryCopyEncoder {
    static final String POSITION_COLUMNS = "device_id, subject_id, order_id, fix_time, received_at, lat_e7, lon_e7, "
            + "altitude_m, speed_kmh, heading_deg, accuracy_m, hdop, satellites, flags, journal_index, assurance, accuracy_source";
    static final String EVENT_COLUMNS = "device_id, subject_id, order_id, event_time, received_at, event_type, value, journal_index";

    private static final byte[] HEADER = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0, 0, 0, 0, 0, 0, 0, 0, 0};
    private static final long POSTGRES_EPOCH_MS = 946_684_800_000L;
    private static final int POSITION_ROW_MAX_BYTES = 2 + 17 * 4 + 7 * 8 + 8 * 4 + 24 + 32;
    /** accuracy_source text per {@link AccuracySource} ordinal, encoded once. */
    private static final byte[][] ACCURACY_SOURCES = new byte[AccuracySource.values().length][];

    static {
        for (AccuracySource source : AccuracySource.values()) {
            ACCURACY_SOURCES[source.ordinal()] = source.name().getBytes(StandardCharsets.US_ASCII);
        }
    }

    /**
     * Big-endian views of the byte array: one bounds-checked store per field instead of one per byte (the encoder
     * was 16 % of the server's CPU at 30k fixes/s in a JFR profile, docs/performance.md).
     */
    private static final VarHandle SHORT_BE = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT_BE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private static final int EVENT_ROW_MAX_BYTES = 2 + 8 * 4 + 6 * 8 + 2 * 4;

    private byte[] buffer = new byte[64 * 1024];
    private int length;

    byte[] buffer() {
        return buffer;
    }

    int length() {
        return length;
    }

    void encode(PositionBatch b) {
        begin(HEADER.length + b.size * POSITION_ROW_MAX_BYTES + 2);
        for (int i = 0; i < b.size; i++) {
            putShort(17);
            putLongField(b.deviceId[i]);
            putLongField(b.subjectId[i]);
            putLongField(b.orderId[i]);
            putLongField(toPostgresMicros(b.fixTimeMs[i]));
            putLongField(toPostgresMicros(b.receivedMs[i]));
            putIntField(b.latE7[i]);
            putIntField(b.lonE7[i]);
            putIntField(b.altitudeM[i]);
            putFloatField(b.speedKmhX10[i] / 10f);
            putShortField(b.headingDeg[i]);
            if (b.accuracyDm[i] < 0) {
                putInt(-1);
            } else {
                putFloatField(b.accuracyDm[i] / 10f);
            }
            if (b.hdopX10[i] < 0) {
                putInt(-1);
            } else {
                putFloatField(b.hdopX10[i] / 10f);
            }
            putShortField(b.satellites[i]);
            putIntField(b.flags[i]);
            putLongField(b.journalIndex[i]);
            putTextField(b.assurance[i] == null ? null : b.assurance[i].utf8());
            putBytesField(ACCURACY_SOURCES[accuracySource(b.accuracyDm[i], b.flags[i]).ordinal()]);
        }
        putShort(-1);
    }

    /** Where a stored fix's accuracy comes from: the same reading as {@link Fix#accuracySource()}, allocation-free. */
    static AccuracySource accuracySource(int accuracyDm, int flags) {
        if (accuracyDm == Fix.ACCURACY_UNKNOWN) {
            return AccuracySource.DEFAULT;
        }
        if ((flags & Fix.FLAG_ACCURACY_FROM_HDOP) != 0) {
            return AccuracySource.ESTIMATED_HDOP;
        }
        return (flags & Fix.FLAG_ACCURACY_ESTIMATED) != 0 ? AccuracySource.ESTIMATED_SATELLITES : AccuracySource.REPORTED;
    }

    void encode(DeviceEventBatch b) {
        begin(HEADER.length + b.size * EVENT_ROW_MAX_BYTES + 2);
        for (int i = 0; i < b.size; i++) {
            putShort(8);
            putLongField(b.deviceId[i]);
            putLongField(b.subjectId[i]);
            putLongField(b.orderId[i]);
            putLongField(toPostgresMicros(b.eventTimeMs[i]));
            putLongField(toPostgresMicros(b.receivedMs[i]));
            putShortField(b.eventType[i]);
            putIntField(b.value[i]);
            putLongField(b.journalIndex[i]);
        }
        putShort(-1);
    }

    static long toPostgresMicros(long epochMs) {
        return (epochMs - POSTGRES_EPOCH_MS) * 1000L;
    }

    private void begin(int capacity) {
        if (buffer.length < capacity) {
            buffer = Arrays.copyOf(buffer, Math.max(capacity, buffer.length * 2));
        }
        System.arraycopy(HEADER, 0, buffer, 0, HEADER.length);
        length = HEADER.length;
    }

    private void putTextField(byte[] utf8) {
        if (utf8 == null) {
            putInt(-1);
            return;
        }
        putInt(utf8.length);
        System.arraycopy(utf8, 0, buffer, length, utf8.length);
        length += utf8.length;
    }

    private void putLongField(long v) {
        INT_BE.set(buffer, length, 8);
        LONG_BE.set(buffer, length + 4, v);
        length += 12;
    }

    private void putIntField(int v) {
        // length word 4 and the value in one 8-byte store
        LONG_BE.set(buffer, length, (4L << 32) | (v & 0xFFFF_FFFFL));
        length += 8;
    }

    private void putShortField(int v) {
        putInt(2);
        putShort(v);
    }

    private void putBytesField(byte[] v) {
        putInt(v.length);
        System.arraycopy(v, 0, buffer, length, v.length);
        length += v.length;
    }

    private void putFloatField(float v) {
        putIntField(Float.floatToIntBits(v));
    }

    private void putShort(int v) {
        SHORT_BE.set(buffer, length, (short) v);
        length += 2;
    }

    private void putInt(int v) {
        INT_BE.set(buffer, length, v);
        length += 4;
    }

    private void putLong(long v) {
        LONG_BE.set(buffer, length, v);
        length += 8;
    }
}
