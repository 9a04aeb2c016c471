package io.kuzet.protocol.kuzet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kuzet.protocol.DecodeError;
import io.kuzet.protocol.DeviceEventType;
import io.kuzet.protocol.DeviceMessage;
import io.kuzet.protocol.Fix;
import io.kuzet.protocol.ProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class KuzetDecoderTest {
    private static final int FIX0 = KuzetFrame.HEADER_LENGTH + 1; // first fix of a POSITION_BATCH

    /** A one-fix POSITION_BATCH with one field changed and the CRC recomputed. */
    private static byte[] batchWith(Consumer<ByteBuf> change) {
        byte[] frame = Frames.positions(7, 1);
        change.accept(Unpooled.wrappedBuffer(frame));
        return Frames.withFixedCrc(frame);
    }

    static Stream<Arguments> invalidFrames() {
        return Stream.of(
                Arguments.of("latitude above +90", DecodeError.COORDINATE_OUT_OF_RANGE,
                        batchWith(b -> b.setInt(FIX0 + 8, 900_000_001))),
                Arguments.of("latitude below -90", DecodeError.COORDINATE_OUT_OF_RANGE,
                        batchWith(b -> b.setInt(FIX0 + 8, -900_000_001))),
                Arguments.of("longitude above +180", DecodeError.COORDINATE_OUT_OF_RANGE,
                        batchWith(b -> b.setInt(FIX0 + 12, 1_800_000_001))),
                Arguments.of("longitude below -180", DecodeError.COORDINATE_OUT_OF_RANGE,
                        batchWith(b -> b.setInt(FIX0 + 12, -1_800_000_001))),
                Arguments.of("time before 2000", DecodeError.TIME_OUT_OF_RANGE,
                        batchWith(b -> b.setLong(FIX0, KuzetFrame.MIN_TIME_MS - 1))),
                Arguments.of("time at 2100", DecodeError.TIME_OUT_OF_RANGE,
                        batchWith(b -> b.setLong(FIX0, KuzetFrame.END_TIME_MS))),
                Arguments.of("time with the top bit set", DecodeError.TIME_OUT_OF_RANGE,
                        batchWith(b -> b.setLong(FIX0, Long.MIN_VALUE))),
                Arguments.of("heading 360", DecodeError.BAD_FIELD, batchWith(b -> b.setShort(FIX0 + 20, 360))),
                Arguments.of("reserved fix flag", DecodeError.BAD_FIELD, batchWith(b -> b.setByte(FIX0 + 26, 0x08))),
                Arguments.of("count 0", DecodeError.BAD_FIELD, batchWith(b -> b.setByte(KuzetFrame.HEADER_LENGTH, 0))),
                Arguments.of("count 129", DecodeError.BAD_FIELD, batchWith(b -> b.setByte(KuzetFrame.HEADER_LENGTH, 129))),
                Arguments.of("count 2 with one fix", DecodeError.TRUNCATED,
                        batchWith(b -> b.setByte(KuzetFrame.HEADER_LENGTH, 2))),
                Arguments.of("sequence 0", DecodeError.BAD_FIELD, batchWith(b -> b.setInt(KuzetFrame.SEQUENCE_OFFSET, 0))),
                Arguments.of("unknown type", DecodeError.UNKNOWN_TYPE, batchWith(b -> b.setByte(KuzetFrame.TYPE_OFFSET, 0x13))),
                Arguments.of("one payload byte too many", DecodeError.BAD_FIELD, withExtraPayloadByte(Frames.positions(7, 1))),
                Arguments.of("empty POSITION_BATCH", DecodeError.TRUNCATED, emptyPayload(KuzetMessageType.POSITION_BATCH)),
                Arguments.of("unknown event code", DecodeError.BAD_FIELD,
                        eventsWith(b -> b.setByte(FIX0 + 8, 15))),
                Arguments.of("event time before 2000", DecodeError.TIME_OUT_OF_RANGE,
                        eventsWith(b -> b.setLong(FIX0, 0))),
                Arguments.of("17 events", DecodeError.BAD_FIELD, eventsWith(b -> b.setByte(KuzetFrame.HEADER_LENGTH, 17))),
                Arguments.of("battery 101 %", DecodeError.BAD_FIELD,
                        heartbeatWith(b -> b.setByte(KuzetFrame.HEADER_LENGTH + 8, 101))),
                Arguments.of("signal 200 %", DecodeError.BAD_FIELD,
                        heartbeatWith(b -> b.setByte(KuzetFrame.HEADER_LENGTH + 9, 200))),
                Arguments.of("reserved heartbeat flag", DecodeError.BAD_FIELD,
                        heartbeatWith(b -> b.setByte(KuzetFrame.HEADER_LENGTH + 10, 2))),
                Arguments.of("heartbeat one byte short", DecodeError.TRUNCATED, withoutLastPayloadByte(Frames.heartbeat(3))));
    }

    private static byte[] eventsWith(Consumer<ByteBuf> change) {
        byte[] frame = Frames.events(8);
        change.accept(Unpooled.wrappedBuffer(frame));
        return Frames.withFixedCrc(frame);
    }

    private static byte[] heartbeatWith(Consumer<ByteBuf> change) {
        byte[] frame = Frames.heartbeat(9);
        change.accept(Unpooled.wrappedBuffer(frame));
        return Frames.withFixedCrc(frame);
    }

    private static byte[] withExtraPayloadByte(byte[] frame) {
        return resizedPayload(frame, +1);
    }

    private static byte[] withoutLastPayloadByte(byte[] frame) {
        return resizedPayload(frame, -1);
    }

    private static byte[] resizedPayload(byte[] frame, int delta) {
        int payload = frame.length - KuzetFrame.HEADER_LENGTH - KuzetFrame.CRC_LENGTH + delta;
        byte[] resized = Arrays.copyOf(frame, KuzetFrame.frameLength(payload));
        Unpooled.wrappedBuffer(resized).setShort(KuzetFrame.LENGTH_OFFSET, payload);
        return Frames.withFixedCrc(resized);
    }

    private static byte[] emptyPayload(KuzetMessageType type) {
        byte[] frame = new byte[KuzetFrame.frameLength(0)];
        ByteBuf b = Unpooled.wrappedBuffer(frame);
        b.setShort(0, KuzetFrame.MAGIC);
        b.setByte(2, 1);
        b.setByte(3, type.code());
        b.setInt(KuzetFrame.SEQUENCE_OFFSET, 5);
        return Frames.withFixedCrc(frame);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidFrames")
    void invalidDataFrameIsRefusedWithTheReasonTheServerNacks(String name, DecodeError reason, byte[] frame) {
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> KuzetDecoder.decodeData(Unpooled.wrappedBuffer(frame), new DeviceMessage()));
        assertEquals(reason, e.reason(), e.getMessage());
    }

    @Test
    void refusalSaysWhatAndWhere() {
        byte[] frame = batchWith(b -> b.setInt(FIX0 + 8, 900_000_001));
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> KuzetDecoder.decodeData(Unpooled.wrappedBuffer(frame), new DeviceMessage()));
        assertEquals("coordinate_out_of_range: fix 0 has latE7 900000001, lonE7 768897094", e.getMessage());
    }

    @Test
    void boundaryValuesAreAccepted() {
        byte[] frame = batchWith(b -> {
            b.setLong(FIX0, KuzetFrame.END_TIME_MS - 1);
            b.setInt(FIX0 + 8, -900_000_000);
            b.setInt(FIX0 + 12, 1_800_000_000);
            b.setShort(FIX0 + 20, 359);
        });
        DeviceMessage message = new DeviceMessage();
        KuzetDecoder.decodeData(Unpooled.wrappedBuffer(frame), message);
        assertEquals(-90.0, message.fix(0).latitude());
        assertEquals(180.0, message.fix(0).longitude());
    }

    @Test
    void decodeKeepsTheSessionDeviceIdAndReplacesEarlierContent() {
        DeviceMessage message = new DeviceMessage();
        message.deviceId = 358240051111110L;
        KuzetDecoder.decodeData(Unpooled.wrappedBuffer(Frames.positions(1, 5)), message);
        KuzetDecoder.decodeData(Unpooled.wrappedBuffer(Frames.events(2)), message);
        assertEquals(358240051111110L, message.deviceId);
        assertEquals(2, message.sequence);
        assertEquals(0, message.fixCount());
        assertEquals(DeviceEventType.STRAP_TAMPER, message.eventType(0));
        assertEquals(DeviceMessage.UNKNOWN, message.eventValue(0));
    }

    @Test
    void readersNeverMoveTheReaderIndexAndReadFromIt() {
        ByteBuf buf = Unpooled.buffer();
        buf.writeBytes(new byte[] {9, 9, 9});
        buf.readerIndex(3);
        byte[] positions = Frames.positions(33, 2);
        buf.writeBytes(positions);
        DeviceMessage message = new DeviceMessage();
        KuzetDecoder.decodeData(buf, message);
        assertEquals(3, buf.readerIndex());
        assertEquals(33, KuzetDecoder.sequence(buf));
        assertEquals(2, message.fixCount());
        FixPlausibility.assertPlausible(message);
    }

    @Test
    void sessionReadersReturnWhatTheEncoderWrote() {
        byte[] nonce = KuzetAuth.newNonce(new SecureRandom());
        byte[] hmac = new byte[32];
        Arrays.fill(hmac, (byte) 0xAB);
        ByteBuf out = Unpooled.buffer();
        KuzetEncoder.writeChallenge(out, 1, nonce, 1_767_225_600_000L);
        byte[] nonceRead = new byte[16];
        KuzetDecoder.challengeNonce(out, nonceRead);
        assertArrayEquals(nonce, nonceRead);
        assertEquals(1_767_225_600_000L, KuzetDecoder.challengeServerTimeMs(out));

        out.clear();
        KuzetEncoder.writeLogin(out, 0, -2L, hmac);
        byte[] hmacRead = new byte[32];
        KuzetDecoder.loginHmac(out, hmacRead);
        assertArrayEquals(hmac, hmacRead);
        assertEquals(-2L, KuzetDecoder.loginDeviceId(out), "device ids use all 64 bits");

        out.clear();
        KuzetEncoder.writeLoginResult(out, 2, KuzetLoginStatus.BAD_HMAC, 0xFFFF_FFFFL, 5, 65535);
        assertEquals(KuzetLoginStatus.BAD_HMAC, KuzetDecoder.loginResultStatus(out));
        assertEquals(0xFFFF_FFFFL, KuzetDecoder.loginResultLastStoredSequence(out));
        assertEquals(5, KuzetDecoder.loginResultServerTimeMs(out));
        assertEquals(65535, KuzetDecoder.loginResultReportingIntervalS(out));

        out.clear();
        KuzetEncoder.writeNack(out, 3, 4_000_000_000L, KuzetNackReason.SEQUENCE_GAP);
        assertEquals(4_000_000_000L, KuzetDecoder.nackRefusedSequence(out));
        assertEquals(KuzetNackReason.SEQUENCE_GAP, KuzetDecoder.nackReason(out));

        out.clear();
        KuzetEncoder.writeCommand(out, 4, 9, KuzetCommands.SET_REPORTING_INTERVAL, 15);
        assertEquals(9, KuzetDecoder.commandId(out));
        assertEquals(KuzetCommands.SET_REPORTING_INTERVAL, KuzetDecoder.commandCode(out));
        assertEquals(15, KuzetDecoder.commandParam(out));

        out.clear();
        KuzetEncoder.writeCommandResult(out, 10, 9, KuzetCommands.RESULT_UNSUPPORTED);
        assertEquals(9, KuzetDecoder.commandResultId(out));
        assertEquals(KuzetCommands.RESULT_UNSUPPORTED, KuzetDecoder.commandResultStatus(out));

        out.clear();
        KuzetEncoder.writeHello(out, 0, 358240051111110L, 0xFFFF_FFFFL);
        assertEquals(358240051111110L, KuzetDecoder.helloDeviceId(out));
        assertEquals(0xFFFF_FFFFL, KuzetDecoder.helloFirmwareVersion(out));
        assertEquals(0, out.readerIndex());
    }

    @Test
    void invalidCodesInSessionFramesAreBadFields() {
        ByteBuf out = Unpooled.buffer();
        KuzetEncoder.writeLoginResult(out, 2, 4, 0, 0, 0);
        assertEquals(DecodeError.BAD_FIELD, assertThrows(ProtocolException.class, () -> KuzetDecoder.loginResultStatus(out)).reason());
        out.clear();
        KuzetEncoder.writeCommand(out, 2, 1, 6, 0);   // 5 REQUEST_STATUS is the last assigned code
        assertEquals(DecodeError.BAD_FIELD, assertThrows(ProtocolException.class, () -> KuzetDecoder.commandCode(out)).reason());
        out.clear();
        KuzetEncoder.writeCommandResult(out, 2, 1, 3);
        assertEquals(DecodeError.BAD_FIELD, assertThrows(ProtocolException.class, () -> KuzetDecoder.commandResultStatus(out)).reason());
    }

    @Test
    void commandResultVectorDecodesAsASequencedMessageWithOneCommandEvent() {
        // the command-result vector of docs/protocol.md §7: command 7001 done, sequence 46
        ByteBuf frame = Unpooled.wrappedBuffer(java.util.HexFormat.of().parseHex("4b5a013100050000002e00001b5900e072359d"));
        DeviceMessage message = new DeviceMessage();
        message.deviceId = 100001;
        KuzetDecoder.decodeCommandResult(frame, 1_780_000_000_000L, message);
        assertEquals(100001, message.deviceId);
        assertEquals(46, message.sequence);
        assertEquals(0, message.fixCount());
        assertEquals(1, message.eventCount());
        assertEquals(DeviceEventType.COMMAND_DONE, message.eventType(0));
        assertEquals(7001, message.eventValue(0));
        assertEquals(1_780_000_000_000L, message.eventTimeMs(0), "dated when received: the frame carries no time");

        ByteBuf wide = Unpooled.buffer();
        KuzetEncoder.writeCommandResult(wide, 47, 0xFFFF_FFF0L, KuzetCommands.RESULT_UNSUPPORTED);
        KuzetDecoder.decodeCommandResult(wide, 1, message);
        assertEquals(DeviceEventType.COMMAND_UNSUPPORTED, message.eventType(0));
        assertEquals(0xFFFF_FFF0L, Integer.toUnsignedLong(message.eventValue(0)), "a u32 id is kept in the int's bits");
    }

    @Test
    void commandResultCodesAreNotValidInADeviceEventFrame() {
        DeviceMessage events = new DeviceMessage();
        events.addEvent(1_780_000_000_000L, DeviceEventType.COMMAND_DONE, 1);
        ByteBuf frame = Unpooled.buffer();
        KuzetEncoder.writeDeviceEvents(frame, 5, events);
        assertEquals(DecodeError.BAD_FIELD,
                assertThrows(ProtocolException.class, () -> KuzetDecoder.decodeData(frame, new DeviceMessage())).reason());
    }

    @Test
    void fixedSizeFrameWithExtraBytesIsBadFieldAndShortOneTruncated() {
        ByteBuf longAck = Unpooled.wrappedBuffer(withExtraPayloadByte(Frames.ack(1)));
        ByteBuf shortAck = Unpooled.wrappedBuffer(withoutLastPayloadByte(Frames.ack(1)));
        assertEquals(DecodeError.BAD_FIELD, assertThrows(ProtocolException.class, () -> KuzetDecoder.ackedSequence(longAck)).reason());
        assertEquals(DecodeError.TRUNCATED, assertThrows(ProtocolException.class, () -> KuzetDecoder.ackedSequence(shortAck)).reason());
    }

    @Test
    void frameShorterThanItsHeaderSaysIsTruncatedRatherThanReadPastTheEnd() {
        byte[] frame = Frames.positions(1, 3);
        ByteBuf cut = Unpooled.wrappedBuffer(frame, 0, frame.length - 5);
        assertEquals(DecodeError.TRUNCATED, assertThrows(ProtocolException.class,
                () -> KuzetDecoder.decodeData(cut, new DeviceMessage())).reason());
    }

    @Test
    void askingForTheWrongTypeIsAProgrammingError() {
        ByteBuf heartbeat = Unpooled.wrappedBuffer(Frames.heartbeat(1));
        assertThrows(IllegalArgumentException.class, () -> KuzetDecoder.ackedSequence(heartbeat));
        ByteBuf ack = Unpooled.wrappedBuffer(Frames.ack(1));
        assertThrows(IllegalArgumentException.class, () -> KuzetDecoder.decodeData(ack, new DeviceMessage()));
    }

    @Test
    void unknownAccuracyAndHdopDecodeToTheModelsUnknownValues() {
        DeviceMessage message = new DeviceMessage();
        Fix fix = message.addFix();
        fix.timeMs = Frames.T0;
        fix.accuracyDm = Fix.ACCURACY_UNKNOWN;
        fix.hdopX10 = Fix.HDOP_UNKNOWN;
        ByteBuf out = Unpooled.buffer();
        KuzetEncoder.writePositionBatch(out, 1, message);
        assertEquals(0xFFFF, out.getUnsignedShort(FIX0 + 22));
        assertEquals(0xFF, out.getUnsignedByte(FIX0 + 24));
        DeviceMessage decoded = new DeviceMessage();
        KuzetDecoder.decodeData(out, decoded);
        assertEquals(Fix.ACCURACY_UNKNOWN, decoded.fix(0).accuracyDm);
        assertTrue(Double.isNaN(decoded.fix(0).accuracyMetres()));
        assertEquals(Fix.HDOP_UNKNOWN, decoded.fix(0).hdopX10);
        assertFalse(decoded.fix(0).isValid());
    }

    @Test
    void everyDecodeErrorHasANackReasonWithTheSameName() {
        for (DecodeError error : DecodeError.values()) {
            assertEquals(error.name(), KuzetNackReason.of(error).name());
            assertEquals(KuzetNackReason.of(error), KuzetNackReason.fromCode(KuzetNackReason.of(error).code()));
        }
    }

    @Test
    void everyMessageTypeIsFoundByItsCodeAndUnassignedCodesAreNull() {
        for (KuzetMessageType type : KuzetMessageType.values()) {
            assertEquals(type, KuzetMessageType.fromCode(type.code()));
        }
        assertEquals(null, KuzetMessageType.fromCode(0));
        assertEquals(null, KuzetMessageType.fromCode(0x13));
        assertEquals(null, KuzetMessageType.fromCode(-1));
        assertEquals(null, KuzetMessageType.fromCode(256));
    }
}
