package io.kuzet.protocol.kuzet;

import static io.kuzet.protocol.kuzet.KuzetFrame.HEADER_LENGTH;

import io.kuzet.protocol.DeviceMessage;
import io.kuzet.protocol.Fix;
import io.netty.buffer.ByteBuf;

/**
 * Writes whole Kuzet v1 frames (header, payload, CRC-32C) at the writer index of a caller's {@link ByteBuf},
 * for the server's replies and for devices (the simulator, tests).
 *
 * <p>Values are written as given, truncated to their field width, so tests can produce out-of-range
 * frames; only the record counts are checked, because a frame with more records than the spec allows
 * cannot be represented. Stateless and thread-safe; allocates nothing (the buffer grows as usual if
 * it must).
 */
public final class KuzetEncoder {
    private static final int FLAG_CHARGING = 1;
    private static final int PERCENT_UNKNOWN = 0xFF;

    /** CHALLENGE: 16-byte nonce, server time. */
    public static void writeChallenge(ByteBuf out, long seq, byte[] nonce16, long serverTimeMs) {
        if (nonce16.length != KuzetFrame.NONCE_LENGTH) {
            throw new IllegalArgumentException("nonce must be 16 bytes, got " + nonce16.length);
        }
        int start = header(out, KuzetMessageType.CHALLENGE, 24, seq);
        out.writeBytes(nonce16);
        out.writeLong(serverTimeMs);
        crc(out, start);
    }

    /** LOGIN_RESULT: status ({@link KuzetLoginStatus}), last stored sequence, server time, reporting interval. */
    public static void writeLoginResult(ByteBuf out, long seq, int status, long lastStoredSequence,
                                        long serverTimeMs, int reportingIntervalS) {
        int start = header(out, KuzetMessageType.LOGIN_RESULT, 15, seq);
        out.writeByte(status);
        out.writeInt((int) lastStoredSequence);
        out.writeLong(serverTimeMs);
        out.writeShort(reportingIntervalS);
        crc(out, start);
    }

    /** ACK: everything up to and including {@code ackedSequence} is durably stored. */
    public static void writeAck(ByteBuf out, long seq, long ackedSequence) {
        int start = header(out, KuzetMessageType.ACK, 4, seq);
        out.writeInt((int) ackedSequence);
        crc(out, start);
    }

    /** NACK: the refused sequence (0 when unknown) and why. */
    public static void writeNack(ByteBuf out, long seq, long refusedSequence, KuzetNackReason reason) {
        int start = header(out, KuzetMessageType.NACK, 5, seq);
        out.writeInt((int) refusedSequence);
        out.writeByte(reason.code());
        crc(out, start);
    }

    /** COMMAND: id, code ({@link KuzetCommands}) and parameter. */
    public static void writeCommand(ByteBuf out, long seq, long commandId, int code, long param) {
        int start = header(out, KuzetMessageType.COMMAND, 9, seq);
        out.writeInt((int) commandId);
        out.writeByte(code);
        out.writeInt((int) param);
        crc(out, start);
    }

    /** HELLO: device id and firmware version. */
    public static void writeHello(ByteBuf out, long seq, long deviceId, long firmwareVersion) {
        int start = header(out, KuzetMessageType.HELLO, 12, seq);
        out.writeLong(deviceId);
        out.writeInt((int) firmwareVersion);
        crc(out, start);
    }

    /** LOGIN: device id and the 32-byte HMAC from {@link KuzetAuth#hmac}. */
    public static void writeLogin(ByteBuf out, long seq, long deviceId, byte[] hmac32) {
        if (hmac32.length != KuzetFrame.HMAC_LENGTH) {
            throw new IllegalArgumentException("HMAC must be 32 bytes, got " + hmac32.length);
        }
        int start = header(out, KuzetMessageType.LOGIN, 40, seq);
        out.writeLong(deviceId);
        out.writeBytes(hmac32);
        crc(out, start);
    }

    /**
     * LOGIN asking for frame authentication: device id, the 32-byte HMAC from
     * {@link KuzetAuth#hmac(byte[], byte[], long, byte[], byte[])} and the device's 16-byte nonce.
     */
    public static void writeLogin(ByteBuf out, long seq, long deviceId, byte[] hmac32, byte[] deviceNonce16) {
        if (hmac32.length != KuzetFrame.HMAC_LENGTH || deviceNonce16.length != KuzetFrame.DEVICE_NONCE_LENGTH) {
            throw new IllegalArgumentException("HMAC must be 32 bytes and the device nonce 16");
        }
        int start = header(out, KuzetMessageType.LOGIN, KuzetFrame.LOGIN_MAC_LENGTH, seq);
        out.writeLong(deviceId);
        out.writeBytes(hmac32);
        out.writeBytes(deviceNonce16);
        crc(out, start);
    }

    /** POSITION_BATCH with the fixes of {@code msg} (1..128). */
    public static void writePositionBatch(ByteBuf out, long seq, DeviceMessage msg) {
        int count = msg.fixCount();
        checkCount(count, KuzetFrame.MAX_FIXES, "fixes");
        int start = header(out, KuzetMessageType.POSITION_BATCH, 1 + count * KuzetFrame.FIX_LENGTH, seq);
        out.writeByte(count);
        for (int i = 0; i < count; i++) {
            Fix fix = msg.fix(i);
            out.writeLong(fix.timeMs);
            out.writeInt(fix.latE7);
            out.writeInt(fix.lonE7);
            out.writeShort(fix.altitudeM);
            out.writeShort(fix.speedKmhX10);
            out.writeShort(fix.headingDeg);
            out.writeShort(fix.accuracyDm == Fix.ACCURACY_UNKNOWN ? 0xFFFF : fix.accuracyDm);
            out.writeByte(fix.hdopX10 == Fix.HDOP_UNKNOWN ? 0xFF : fix.hdopX10);
            out.writeByte(fix.satellites);
            out.writeByte(fix.flags);
        }
        crc(out, start);
    }

    /** DEVICE_EVENT with the events of {@code msg} (1..16). */
    public static void writeDeviceEvents(ByteBuf out, long seq, DeviceMessage msg) {
        int count = msg.eventCount();
        checkCount(count, KuzetFrame.MAX_EVENTS, "events");
        int start = header(out, KuzetMessageType.DEVICE_EVENT, 1 + count * KuzetFrame.EVENT_LENGTH, seq);
        out.writeByte(count);
        for (int i = 0; i < count; i++) {
            out.writeLong(msg.eventTimeMs(i));
            out.writeByte(msg.eventType(i).code());
            out.writeShort(msg.eventValue(i));
        }
        crc(out, start);
    }

    /** HEARTBEAT: device time, battery and signal percent ({@link DeviceMessage#UNKNOWN} for unknown), charging. */
    public static void writeHeartbeat(ByteBuf out, long seq, long timeMs, int battery, int signal, boolean charging) {
        int start = header(out, KuzetMessageType.HEARTBEAT, 11, seq);
        out.writeLong(timeMs);
        out.writeByte(battery == DeviceMessage.UNKNOWN ? PERCENT_UNKNOWN : battery);
        out.writeByte(signal == DeviceMessage.UNKNOWN ? PERCENT_UNKNOWN : signal);
        out.writeByte(charging ? FLAG_CHARGING : 0);
        crc(out, start);
    }

    /** COMMAND_RESULT: the command id and status ({@code KuzetCommands.RESULT_*}). */
    public static void writeCommandResult(ByteBuf out, long seq, long commandId, int status) {
        int start = header(out, KuzetMessageType.COMMAND_RESULT, 5, seq);
        out.writeInt((int) commandId);
        out.writeByte(status);
        crc(out, start);
    }

    private static int header(ByteBuf out, KuzetMessageType type, int payloadLength, long seq) {
        int start = out.writerIndex();
        out.ensureWritable(KuzetFrame.frameLength(payloadLength));
        out.writeShort(KuzetFrame.MAGIC);
        out.writeByte(KuzetFrame.VERSION);
        out.writeByte(type.code());
        out.writeShort(payloadLength);
        out.writeInt((int) seq);
        return start;
    }

    private static void crc(ByteBuf out, int start) {
        out.writeInt(Crc32c.of(out, start, out.writerIndex() - start));
    }

    private static void checkCount(int count, int max, String what) {
        if (count < 1 || count > max) {
            throw new IllegalArgumentException(count + " " + what + ", a frame carries 1.." + max);
        }
    }

    private KuzetEncoder() {
    }
}
