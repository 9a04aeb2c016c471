package io.kuzet.server.journal;

import io.kuzet.protocol.DeviceEventType;
import io.kuzet.protocol.DeviceMessage;
import io.kuzet.protocol.Fix;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import net.openhft.chronicle.bytes.Bytes;

/**
 * Binary layout of ingest-journal records. Written once, read by the evaluation core and the storage writer,
 * so the layout is versioned by the first byte and never changed in place.
 *
 * <pre>
 * DEVICE_MESSAGE (type 1)                          TICK (type 2)
 * +------+--------------------------------------+  +------+------------+
 * | u8   | type = 1                             |  | u8   | type = 2   |
 * | i64  | received time, ms UTC                |  | i64  | tick ms UTC|
 * | i64  | received System.nanoTime (latency    |  +------+------------+
 * |      |  metrics within one process run only)|
 * | i64  | device id (registry)                 |
 * | i64  | device number (IMEI / Kuzet id)      |
 * | u8   | protocol code                        |
 * | i64  | sequence (-1 none)                   |
 * | i8   | battery % (-1 unknown)               |
 * | i8   | signal % (-1 unknown)                |
 * | u8   | bit 0 heartbeat, bit 1 frame MAC     |
 * | u8   | fix count N, then N x 34-byte fix:   |
 * |      |  i64 time, i32 latE7, i32 lonE7,     |
 * |      |  i32 altitudeM, i32 speedKmhX10,     |
 * |      |  i16 headingDeg, i32 accuracyDm,     |
 * |      |  i16 hdopX10, u8 satellites, u8 flags|
 * | u8   | event count M, then M x 13 bytes:    |
 * |      |  i64 time, u8 code, i32 value        |
 * +------+--------------------------------------+
 *
 * REFUSED_MESSAGE (type 3): u8 type=3 | i64 received ms | i64 device id | i64 device number | u8 protocol
 *                           | i64 sequence | u8 refusal reason (DecodeError ordinal)
 *
 * SESSION_CONFLICT (type 4): u8 type=4 | i64 received ms | i64 device id | i64 device number | u8 protocol
 *                            | u8 outcome (0 replaced, 1 refused) | UTF-8 text (Chronicle stop-bit length) addresses
 * </pre>
 *
 * Stateless and allocation-free (a session conflict, rare by nature, reads its text into a String).
 */
public final class IngestRecordCodec {
    private IngestRecordCodec() {
    }

    /** Largest encoded device message: header + {@link DeviceMessage#MAX_FIXES} fixes + {@link DeviceMessage#MAX_EVENTS} events. */
    public static final int MAX_DEVICE_MESSAGE_BYTES = 1 + 8 + 8 + 8 + 8 + 1 + 8 + 3 + 1 + DeviceMessage.MAX_FIXES * 34 + 1
            + DeviceMessage.MAX_EVENTS * 13;

    /**
     * Encodes a device message into {@code scratch} (cleared first; capacity at least {@link #MAX_DEVICE_MESSAGE_BYTES},
     * native byte order, which is what Chronicle {@code Bytes} reads). The journal copies the result into the queue in
     * one bulk write: one bounds check instead of one per field on the memory-mapped file.
     */
    public static void encodeDeviceMessage(ByteBuffer scratch, long receivedMs, long receivedNanoTime, long deviceId, int protocol,
                                           DeviceMessage msg) {
        scratch.clear();
        scratch.put((byte) IngestRecord.TYPE_DEVICE_MESSAGE);
        scratch.putLong(receivedMs);
        scratch.putLong(receivedNanoTime);
        scratch.putLong(deviceId);
        scratch.putLong(msg.deviceId);
        scratch.put((byte) protocol);
        scratch.putLong(msg.sequence);
        scratch.put((byte) msg.batteryPercent);
        scratch.put((byte) msg.signalPercent);
        scratch.put((byte) ((msg.heartbeat ? 1 : 0) | (msg.frameAuthenticated ? 2 : 0)));
        int fixes = msg.fixCount();
        scratch.put((byte) fixes);
        for (int i = 0; i < fixes; i++) {
            Fix f = msg.fix(i);
            scratch.putLong(f.timeMs);
            scratch.putInt(f.latE7);
            scratch.putInt(f.lonE7);
            scratch.putInt(f.altitudeM);
            scratch.putInt(f.speedKmhX10);
            scratch.putShort((short) f.headingDeg);
            scratch.putInt(f.accuracyDm);
            scratch.putShort((short) f.hdopX10);
            scratch.put((byte) f.satellites);
            scratch.put((byte) f.flags);
        }
        int events = msg.eventCount();
        scratch.put((byte) events);
        for (int i = 0; i < events; i++) {
            scratch.putLong(msg.eventTimeMs(i));
            scratch.put((byte) msg.eventType(i).code());
            scratch.putInt(msg.eventValue(i));
        }
    }

    public static void writeRefused(Bytes<?> out, long receivedMs, long deviceId, long deviceNumber, int protocol, long sequence,
                                    int reason) {
        out.writeByte((byte) IngestRecord.TYPE_REFUSED_MESSAGE);
        out.writeLong(receivedMs);
        out.writeLong(deviceId);
        out.writeLong(deviceNumber);
        out.writeByte((byte) protocol);
        out.writeLong(sequence);
        out.writeByte((byte) reason);
    }

    public static void writeSessionConflict(Bytes<?> out, long receivedMs, long deviceId, long deviceNumber, int protocol,
                                            int outcome, String detail) {
        out.writeByte((byte) IngestRecord.TYPE_SESSION_CONFLICT);
        out.writeLong(receivedMs);
        out.writeLong(deviceId);
        out.writeLong(deviceNumber);
        out.writeByte((byte) protocol);
        out.writeByte((byte) outcome);
        out.writeUtf8(detail);
    }

    public static void writeTick(Bytes<?> out, long timeMs) {
        out.writeByte((byte) IngestRecord.TYPE_TICK);
        out.writeLong(timeMs);
    }

    /** Decodes the record at the read position of {@code in} into {@code record}; returns false for an unknown type. */
    public static boolean read(Bytes<?> in, IngestRecord record) {
        int type = in.readUnsignedByte();
        record.type = type;
        DeviceMessage msg = record.message;
        msg.clear();
        if (type == IngestRecord.TYPE_TICK) {
            record.timeMs = in.readLong();
            record.deviceId = 0;
            record.protocol = 0;
            return true;
        }
        if (type == IngestRecord.TYPE_REFUSED_MESSAGE) {
            record.timeMs = in.readLong();
            record.receivedNanoTime = 0;
            record.deviceId = in.readLong();
            msg.deviceId = in.readLong();
            record.protocol = in.readUnsignedByte();
            msg.sequence = in.readLong();
            record.refusalReason = in.readUnsignedByte();
            return true;
        }
        if (type == IngestRecord.TYPE_SESSION_CONFLICT) {
            record.timeMs = in.readLong();
            record.receivedNanoTime = 0;
            record.deviceId = in.readLong();
            msg.deviceId = in.readLong();
            record.protocol = in.readUnsignedByte();
            record.conflictOutcome = in.readUnsignedByte();
            record.conflictDetail = in.readUtf8();
            return true;
        }
        if (type != IngestRecord.TYPE_DEVICE_MESSAGE) {
            return false;
        }
        record.timeMs = in.readLong();
        record.receivedNanoTime = in.readLong();
        record.deviceId = in.readLong();
        msg.deviceId = in.readLong();
        record.protocol = in.readUnsignedByte();
        msg.sequence = in.readLong();
        msg.batteryPercent = in.readByte();
        msg.signalPercent = in.readByte();
        int statusBits = in.readUnsignedByte();
        msg.heartbeat = (statusBits & 1) != 0;
        msg.frameAuthenticated = (statusBits & 2) != 0;
        int fixes = in.readUnsignedByte();
        for (int i = 0; i < fixes; i++) {
            Fix f = msg.addFix();
            f.timeMs = in.readLong();
            f.latE7 = in.readInt();
            f.lonE7 = in.readInt();
            f.altitudeM = in.readInt();
            f.speedKmhX10 = in.readInt();
            f.headingDeg = in.readShort();
            f.accuracyDm = in.readInt();
            f.hdopX10 = in.readShort();
            f.satellites = in.readUnsignedByte();
            f.flags = in.readUnsignedByte();
        }
        int events = in.readUnsignedByte();
        for (int i = 0; i < events; i++) {
            long t = in.readLong();
            DeviceEventType eventType = DeviceEventType.fromCode(in.readUnsignedByte());
            int value = in.readInt();
            if (eventType != null) {
                msg.addEvent(t, eventType, value);
            }
        }
        return true;
    }
}
