package io.kuzet.protocol.kuzet;

import static io.kuzet.protocol.kuzet.KuzetFrame.CRC_LENGTH;
import static io.kuzet.protocol.kuzet.KuzetFrame.END_TIME_MS;
import static io.kuzet.protocol.kuzet.KuzetFrame.EVENT_LENGTH;
import static io.kuzet.protocol.kuzet.KuzetFrame.FIX_LENGTH;
import static io.kuzet.protocol.kuzet.KuzetFrame.HEADER_LENGTH;
import static io.kuzet.protocol.kuzet.KuzetFrame.LENGTH_OFFSET;
import static io.kuzet.protocol.kuzet.KuzetFrame.MAX_LATITUDE_E7;
import static io.kuzet.protocol.kuzet.KuzetFrame.MAX_LONGITUDE_E7;
import static io.kuzet.protocol.kuzet.KuzetFrame.MIN_TIME_MS;
import static io.kuzet.protocol.kuzet.KuzetFrame.SEQUENCE_OFFSET;
import static io.kuzet.protocol.kuzet.KuzetFrame.TYPE_OFFSET;

import io.kuzet.protocol.DecodeError;
import io.kuzet.protocol.DeviceEventType;
import io.kuzet.protocol.DeviceMessage;
import io.kuzet.protocol.Fix;
import io.kuzet.protocol.ProtocolException;
import io.netty.buffer.ByteBuf;

/**
 * Reads the fields of one whole Kuzet v1 frame, as emitted by {@link KuzetFrameDecoder} (reader index at the
 * magic, CRC already checked), and validates them against {@code docs/protocol.md}.
 *
 * <p>Every method uses absolute reads: the frame's reader index never moves and nothing outside
 * {@code [readerIndex, readerIndex + 14 + payload length)} is read. Typed readers first check the type
 * (a mismatch is a programming error: {@link IllegalArgumentException}) and the exact payload length
 * (short: {@link DecodeError#TRUNCATED}, long: {@link DecodeError#BAD_FIELD}). Bad field values throw
 * {@link ProtocolException} with the reason the server NACKs with.
 *
 * <p>Stateless and thread-safe. Allocates nothing unless it throws; a 1-fix POSITION_BATCH decodes in a few
 * tens of nanoseconds.
 */
public final class KuzetDecoder {
    private static final int FIX_FLAGS_MASK = Fix.FLAG_VALID | Fix.FLAG_BUFFERED | Fix.FLAG_ACCURACY_FROM_HDOP;
    private static final int HEARTBEAT_FLAG_CHARGING = 1;
    private static final int PERCENT_UNKNOWN = 0xFF;

    /** The message type code (the type byte without the tag flag); see {@link KuzetMessageType#fromCode(int)}. */
    public static int type(ByteBuf frame) {
        return frame.getUnsignedByte(frame.readerIndex() + TYPE_OFFSET) & KuzetFrame.TYPE_MASK;
    }

    /** True when the frame carries a tag (type bit 7), i.e. it belongs to an authenticated session. */
    public static boolean isTagged(ByteBuf frame) {
        return (frame.getUnsignedByte(frame.readerIndex() + TYPE_OFFSET) & KuzetFrame.TAG_FLAG) != 0;
    }

    /** The type, or {@link DecodeError#UNKNOWN_TYPE} when the code is not assigned. */
    public static KuzetMessageType messageType(ByteBuf frame) {
        int code = type(frame);
        KuzetMessageType type = KuzetMessageType.fromCode(code);
        if (type == null) {
            throw new ProtocolException(DecodeError.UNKNOWN_TYPE,
                    "frame seq " + sequence(frame) + " has type 0x" + Integer.toHexString(code));
        }
        return type;
    }

    /** The header's sequence (u32). */
    public static long sequence(ByteBuf frame) {
        return frame.getUnsignedInt(frame.readerIndex() + SEQUENCE_OFFSET);
    }

    /** The header's payload length. */
    public static int payloadLength(ByteBuf frame) {
        return frame.getUnsignedShort(frame.readerIndex() + LENGTH_OFFSET);
    }

    /**
     * Decodes a POSITION_BATCH, DEVICE_EVENT or HEARTBEAT into {@code out}: clears it (keeping
     * {@link DeviceMessage#deviceId}), sets its sequence and adds the fixes, events or status. A batch is
     * valid as a whole or refused as a whole; after a {@link ProtocolException} {@code out} holds a partial
     * message that must be discarded.
     */
    public static void decodeData(ByteBuf frame, DeviceMessage out) {
        KuzetMessageType type = messageType(frame);
        long deviceId = out.deviceId;
        out.clear();
        out.deviceId = deviceId;
        out.sequence = sequence(frame);
        if (out.sequence == 0) {
            throw new ProtocolException(DecodeError.BAD_FIELD, type + " with sequence 0; device sequences start at 1");
        }
        switch (type) {
            case POSITION_BATCH:
                decodeFixes(frame, out);
                break;
            case DEVICE_EVENT:
                decodeEvents(frame, out);
                break;
            case HEARTBEAT:
                decodeHeartbeat(frame, out);
                break;
            default:
                throw new IllegalArgumentException(type + " does not carry fixes, events or status");
        }
    }

    /**
     * Decodes a COMMAND_RESULT into {@code out} as {@link #decodeData} does: one event, dated {@code receivedMs} (the
     * frame carries no time), of the {@code COMMAND_*} type of its status with the command id (u32) in the value's
     * int bits. A status outside 0..2 is {@link DecodeError#BAD_FIELD}.
     */
    public static void decodeCommandResult(ByteBuf frame, long receivedMs, DeviceMessage out) {
        long deviceId = out.deviceId;
        out.clear();
        out.deviceId = deviceId;
        out.sequence = sequence(frame);
        if (out.sequence == 0) {
            throw new ProtocolException(DecodeError.BAD_FIELD, "COMMAND_RESULT with sequence 0; device sequences start at 1");
        }
        int status = commandResultStatus(frame);
        out.addEvent(receivedMs, DeviceEventType.commandResult(status), (int) commandResultId(frame));
    }

    /*
     * POSITION_BATCH payload: count u8 (1..128), then count x 27-byte fix:
     *   0 timeMs u64 | 8 latE7 i32 | 12 lonE7 i32 | 16 altitudeM i16 | 18 speedKmhX10 u16 | 20 headingDeg u16
     *   | 22 accuracyDm u16 (0xFFFF unknown) | 24 hdopX10 u8 (0xFF unknown) | 25 satellites u8 | 26 flags u8
     */
    private static void decodeFixes(ByteBuf frame, DeviceMessage out) {
        int count = recordCount(frame, KuzetMessageType.POSITION_BATCH, KuzetFrame.MAX_FIXES);
        int at = frame.readerIndex() + HEADER_LENGTH + 1;
        for (int i = 0; i < count; i++, at += FIX_LENGTH) {
            // four wide reads instead of ten: every ByteBuf get pays a bounds and a reference-count check
            long timeMs = frame.getLong(at);
            long latLon = frame.getLong(at + 8);
            long motion = frame.getLong(at + 16);          // altitude | speed | heading | accuracy
            int tail = frame.getInt(at + 24);              // hdop | satellites | flags | next byte (fix or CRC)
            Fix fix = out.addFix();
            fix.timeMs = checkTime(timeMs, "fix", i);
            int latE7 = (int) (latLon >> 32);
            int lonE7 = (int) latLon;
            if (latE7 < -MAX_LATITUDE_E7 || latE7 > MAX_LATITUDE_E7
                    || lonE7 < -MAX_LONGITUDE_E7 || lonE7 > MAX_LONGITUDE_E7) {
                throw new ProtocolException(DecodeError.COORDINATE_OUT_OF_RANGE,
                        "fix " + i + " has latE7 " + latE7 + ", lonE7 " + lonE7);
            }
            fix.latE7 = latE7;
            fix.lonE7 = lonE7;
            fix.altitudeM = (short) (motion >> 48);
            fix.speedKmhX10 = (int) (motion >>> 32) & 0xFFFF;
            int headingDeg = (int) (motion >>> 16) & 0xFFFF;
            if (headingDeg > 359) {
                throw new ProtocolException(DecodeError.BAD_FIELD, "fix " + i + " has heading " + headingDeg + " > 359");
            }
            fix.headingDeg = headingDeg;
            int accuracyDm = (int) motion & 0xFFFF;
            fix.accuracyDm = accuracyDm == 0xFFFF ? Fix.ACCURACY_UNKNOWN : accuracyDm;
            int hdopX10 = tail >>> 24;
            fix.hdopX10 = hdopX10 == 0xFF ? Fix.HDOP_UNKNOWN : hdopX10;
            fix.satellites = (tail >>> 16) & 0xFF;
            int flags = (tail >>> 8) & 0xFF;
            if ((flags & ~FIX_FLAGS_MASK) != 0) {
                throw new ProtocolException(DecodeError.BAD_FIELD,
                        "fix " + i + " has reserved flag bits set: 0x" + Integer.toHexString(flags));
            }
            fix.flags = flags;
        }
    }

    /* DEVICE_EVENT payload: count u8 (1..16), then count x 11-byte event: 0 timeMs u64 | 8 code u8 | 9 value i16 */
    private static void decodeEvents(ByteBuf frame, DeviceMessage out) {
        int count = recordCount(frame, KuzetMessageType.DEVICE_EVENT, KuzetFrame.MAX_EVENTS);
        int at = frame.readerIndex() + HEADER_LENGTH + 1;
        for (int i = 0; i < count; i++, at += EVENT_LENGTH) {
            long timeMs = checkTime(frame.getLong(at), "event", i);
            int code = frame.getUnsignedByte(at + 8);
            DeviceEventType type = DeviceEventType.fromCode(code);
            if (type == null || type.isCommandResult()) {
                throw new ProtocolException(DecodeError.BAD_FIELD, "event " + i + " has unknown code " + code);
            }
            out.addEvent(timeMs, type, frame.getShort(at + 9));
        }
    }

    /* HEARTBEAT payload: 0 timeMs u64 | 8 batteryPercent u8 | 9 signalPercent u8 | 10 flags u8 (bit 0 charging) */
    private static void decodeHeartbeat(ByteBuf frame, DeviceMessage out) {
        int at = payloadStart(frame, KuzetMessageType.HEARTBEAT);
        out.heartbeat = true;
        out.statusTimeMs = checkTime(frame.getLong(at), "heartbeat", 0);
        out.batteryPercent = percent(frame.getUnsignedByte(at + 8), "battery");
        out.signalPercent = percent(frame.getUnsignedByte(at + 9), "signal");
        int flags = frame.getUnsignedByte(at + 10);
        if ((flags & ~HEARTBEAT_FLAG_CHARGING) != 0) {
            throw new ProtocolException(DecodeError.BAD_FIELD,
                    "heartbeat has reserved flag bits set: 0x" + Integer.toHexString(flags));
        }
        out.charging = (flags & HEARTBEAT_FLAG_CHARGING) != 0;
    }

    /** HELLO: the device id (u64). */
    public static long helloDeviceId(ByteBuf frame) {
        return frame.getLong(payloadStart(frame, KuzetMessageType.HELLO));
    }

    /** HELLO: the firmware version (u32). */
    public static long helloFirmwareVersion(ByteBuf frame) {
        return frame.getUnsignedInt(payloadStart(frame, KuzetMessageType.HELLO) + 8);
    }

    /** LOGIN: the device id (u64). */
    public static long loginDeviceId(ByteBuf frame) {
        return frame.getLong(loginPayloadStart(frame));
    }

    /** LOGIN: copies the 32-byte HMAC into {@code out32}. */
    public static void loginHmac(ByteBuf frame, byte[] out32) {
        frame.getBytes(loginPayloadStart(frame) + 8, out32, 0, KuzetFrame.HMAC_LENGTH);
    }

    /** LOGIN: true for the 56-byte form that carries a device nonce and asks for frame authentication. */
    public static boolean loginAsksForFrameMac(ByteBuf frame) {
        loginPayloadStart(frame);
        return payloadLength(frame) == KuzetFrame.LOGIN_MAC_LENGTH;
    }

    /** LOGIN (56-byte form): copies the 16-byte device nonce into {@code out16}. */
    public static void loginDeviceNonce(ByteBuf frame, byte[] out16) {
        if (!loginAsksForFrameMac(frame)) {
            throw new IllegalArgumentException("a 40-byte LOGIN carries no device nonce");
        }
        frame.getBytes(loginPayloadStart(frame) + KuzetFrame.LOGIN_LENGTH, out16, 0, KuzetFrame.DEVICE_NONCE_LENGTH);
    }

    /* LOGIN payload: 40 bytes (device id, HMAC) or 56 bytes (device id, HMAC, device nonce); anything else is refused. */
    private static int loginPayloadStart(ByteBuf frame) {
        int length = checkedPayloadLength(frame, KuzetMessageType.LOGIN);
        if (length < KuzetFrame.LOGIN_LENGTH) {
            throw new ProtocolException(DecodeError.TRUNCATED,
                    "LOGIN needs " + KuzetFrame.LOGIN_LENGTH + " payload bytes, has " + length);
        }
        if (length != KuzetFrame.LOGIN_LENGTH && length != KuzetFrame.LOGIN_MAC_LENGTH) {
            throw new ProtocolException(DecodeError.BAD_FIELD, "LOGIN has " + length + " payload bytes, not "
                    + KuzetFrame.LOGIN_LENGTH + " or " + KuzetFrame.LOGIN_MAC_LENGTH);
        }
        return frame.readerIndex() + HEADER_LENGTH;
    }

    /** COMMAND_RESULT: the command id (u32). */
    public static long commandResultId(ByteBuf frame) {
        return frame.getUnsignedInt(payloadStart(frame, KuzetMessageType.COMMAND_RESULT));
    }

    /** COMMAND_RESULT: the status, one of {@code KuzetCommands.RESULT_*}; others are {@link DecodeError#BAD_FIELD}. */
    public static int commandResultStatus(ByteBuf frame) {
        int status = frame.getUnsignedByte(payloadStart(frame, KuzetMessageType.COMMAND_RESULT) + 4);
        if (!KuzetCommands.isValidResult(status)) {
            throw new ProtocolException(DecodeError.BAD_FIELD, "COMMAND_RESULT status " + status);
        }
        return status;
    }

    /** CHALLENGE: copies the 16-byte nonce into {@code out16}. */
    public static void challengeNonce(ByteBuf frame, byte[] out16) {
        frame.getBytes(payloadStart(frame, KuzetMessageType.CHALLENGE), out16, 0, KuzetFrame.NONCE_LENGTH);
    }

    /** CHALLENGE: the server's clock, ms UTC. */
    public static long challengeServerTimeMs(ByteBuf frame) {
        return frame.getLong(payloadStart(frame, KuzetMessageType.CHALLENGE) + 16);
    }

    /** LOGIN_RESULT: the status, one of {@link KuzetLoginStatus}; others are {@link DecodeError#BAD_FIELD}. */
    public static int loginResultStatus(ByteBuf frame) {
        int status = frame.getUnsignedByte(payloadStart(frame, KuzetMessageType.LOGIN_RESULT));
        if (!KuzetLoginStatus.isValid(status)) {
            throw new ProtocolException(DecodeError.BAD_FIELD, "LOGIN_RESULT status " + status);
        }
        return status;
    }

    /** LOGIN_RESULT: the highest sequence up to which everything is stored (u32), 0 if none. */
    public static long loginResultLastStoredSequence(ByteBuf frame) {
        return frame.getUnsignedInt(payloadStart(frame, KuzetMessageType.LOGIN_RESULT) + 1);
    }

    /** LOGIN_RESULT: the server's clock, ms UTC. */
    public static long loginResultServerTimeMs(ByteBuf frame) {
        return frame.getLong(payloadStart(frame, KuzetMessageType.LOGIN_RESULT) + 5);
    }

    /** LOGIN_RESULT: the fix reporting interval the device should use, seconds. */
    public static int loginResultReportingIntervalS(ByteBuf frame) {
        return frame.getUnsignedShort(payloadStart(frame, KuzetMessageType.LOGIN_RESULT) + 13);
    }

    /** ACK: the cumulative acked sequence (u32). */
    public static long ackedSequence(ByteBuf frame) {
        return frame.getUnsignedInt(payloadStart(frame, KuzetMessageType.ACK));
    }

    /** NACK: the refused sequence (u32), 0 when the server could not read it. */
    public static long nackRefusedSequence(ByteBuf frame) {
        return frame.getUnsignedInt(payloadStart(frame, KuzetMessageType.NACK));
    }

    /** NACK: the reason; an unassigned code is {@link DecodeError#BAD_FIELD}. */
    public static KuzetNackReason nackReason(ByteBuf frame) {
        int code = frame.getUnsignedByte(payloadStart(frame, KuzetMessageType.NACK) + 4);
        KuzetNackReason reason = KuzetNackReason.fromCode(code);
        if (reason == null) {
            throw new ProtocolException(DecodeError.BAD_FIELD, "NACK reason " + code);
        }
        return reason;
    }

    /** COMMAND: the command id (u32). */
    public static long commandId(ByteBuf frame) {
        return frame.getUnsignedInt(payloadStart(frame, KuzetMessageType.COMMAND));
    }

    /** COMMAND: the code, one of {@link KuzetCommands}; others are {@link DecodeError#BAD_FIELD}. */
    public static int commandCode(ByteBuf frame) {
        int code = frame.getUnsignedByte(payloadStart(frame, KuzetMessageType.COMMAND) + 4);
        if (!KuzetCommands.isValidCode(code)) {
            throw new ProtocolException(DecodeError.BAD_FIELD, "COMMAND code " + code);
        }
        return code;
    }

    /** COMMAND: the parameter (u32). */
    public static long commandParam(ByteBuf frame) {
        return frame.getUnsignedInt(payloadStart(frame, KuzetMessageType.COMMAND) + 5);
    }

    /** Checks the type and the exact payload length of a fixed-size message; returns the payload's index. */
    private static int payloadStart(ByteBuf frame, KuzetMessageType expected) {
        int length = checkedPayloadLength(frame, expected);
        if (length < expected.fixedLength()) {
            throw new ProtocolException(DecodeError.TRUNCATED,
                    expected + " needs " + expected.fixedLength() + " payload bytes, has " + length);
        }
        if (length > expected.fixedLength()) {
            throw new ProtocolException(DecodeError.BAD_FIELD, expected + " has " + length + " payload bytes, "
                    + (length - expected.fixedLength()) + " more than its " + expected.fixedLength());
        }
        return frame.readerIndex() + HEADER_LENGTH;
    }

    /** Checks the type, the count and that the payload holds exactly count records; returns the count. */
    private static int recordCount(ByteBuf frame, KuzetMessageType expected, int maxCount) {
        int length = checkedPayloadLength(frame, expected);
        if (length < 1) {
            throw new ProtocolException(DecodeError.TRUNCATED, expected + " has an empty payload, no count byte");
        }
        int count = frame.getUnsignedByte(frame.readerIndex() + HEADER_LENGTH);
        if (count == 0 || count > maxCount) {
            throw new ProtocolException(DecodeError.BAD_FIELD, expected + " count " + count + " not in 1.." + maxCount);
        }
        int needed = 1 + count * expected.recordLength();
        if (length < needed) {
            throw new ProtocolException(DecodeError.TRUNCATED, expected + " of " + count + " records needs " + needed
                    + " payload bytes (" + expected.recordLength() + " per record), has " + length);
        }
        if (length > needed) {
            throw new ProtocolException(DecodeError.BAD_FIELD, expected + " of " + count + " records has "
                    + (length - needed) + " payload bytes more than its " + needed);
        }
        return count;
    }

    private static int checkedPayloadLength(ByteBuf frame, KuzetMessageType expected) {
        if (frame.readableBytes() < HEADER_LENGTH) {
            throw new ProtocolException(DecodeError.TRUNCATED,
                    "frame has " + frame.readableBytes() + " readable bytes, less than the " + HEADER_LENGTH + "-byte header");
        }
        int code = type(frame);
        if (code != expected.code()) {
            throw new IllegalArgumentException("expected a " + expected + " frame, got type 0x" + Integer.toHexString(code));
        }
        int length = payloadLength(frame);
        int frameLength = HEADER_LENGTH + length + CRC_LENGTH;
        if (frame.readableBytes() < frameLength) {
            throw new ProtocolException(DecodeError.TRUNCATED, expected + " frame of " + frameLength
                    + " bytes has only " + frame.readableBytes() + " readable");
        }
        return length;
    }

    private static long checkTime(long timeMs, String what, int index) {
        if (timeMs < MIN_TIME_MS || timeMs >= END_TIME_MS) {
            throw new ProtocolException(DecodeError.TIME_OUT_OF_RANGE,
                    what + " " + index + " has time " + timeMs + " ms, outside [2000-01-01, 2100-01-01)");
        }
        return timeMs;
    }

    private static int percent(int value, String what) {
        if (value == PERCENT_UNKNOWN) {
            return DeviceMessage.UNKNOWN;
        }
        if (value > 100) {
            throw new ProtocolException(DecodeError.BAD_FIELD, what + " percent " + value + " > 100");
        }
        return value;
    }

    private KuzetDecoder() {
    }
}
