package io.kuzet.protocol.gt06;

import io.kuzet.protocol.DecodeError;
import io.kuzet.protocol.AccuracyEstimate;
import io.kuzet.protocol.AccuracySource;
import io.kuzet.protocol.DeviceMessage;
import io.kuzet.protocol.Fix;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Replays the GT06 frames of the third-party vector file through frame decoder, decoder and reply encoder, and checks
 * every decoded value and reply byte against the file.
 */
class Gt06ThirdPartyVectorTest {
    /** When the vector file recorded the reference server's time-request reply (it carries the server clock). */
    static final long VECTOR_CLOCK_MS = Instant.parse("2026-11-23T07:24:02Z").toEpochMilli();
    static final long SESSION_IMEI = 864717003283581L;
    static final String SESSION_LOGIN = "78780D01086471700328358100093F040D0A";

    static List<ThirdPartyFrames.Entry> gt06Entries() {
        return ThirdPartyFrames.load("/gt06/third-party-frames.txt").stream().filter(e -> e.protocol().equals("gt06")).toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("gt06Entries")
    void decodesEveryFrameAsTheReferenceAndRefusesBadCrc(ThirdPartyFrames.Entry entry) {
        ByteBuf wire = Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(entry.frame()));
        try (FramePipe pipe = new FramePipe(new Gt06FrameDecoder())) {
            List<ByteBuf> frames = pipe.write(wire).frames();
            if (entry.crcMismatch()) {
                assertEquals(List.of(DecodeError.BAD_CRC), pipe.errors());
                assertTrue(frames.isEmpty());
                return;
            }
            assertEquals(List.of(), pipe.errors());
            assertEquals(1, frames.size());
            ByteBuf frame = frames.get(0);
            try {
                assertEquals(entry.frame().toLowerCase(), ByteBufUtil.hexDump(frame));
                checkDecoded(entry, frame);
                checkReply(entry, frame);
            } finally {
                frame.release();
            }
            assertEquals(0, frame.refCnt());
        }
        assertEquals(0, wire.refCnt());
    }

    private static void checkDecoded(ThirdPartyFrames.Entry entry, ByteBuf frame) {
        Gt06Decoder decoder = new Gt06Decoder(() -> VECTOR_CLOCK_MS);
        DeviceMessage out = new DeviceMessage();
        boolean login = Gt06Decoder.protocolNumber(frame) == Gt06ProtocolNumber.LOGIN;
        if (!login) {
            ByteBuf loginFrame = Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(SESSION_LOGIN));
            assertEquals(Gt06Decoder.Result.LOGIN, decoder.decode(loginFrame, out));
            loginFrame.release();
        }
        int readerIndex = frame.readerIndex();
        Gt06Decoder.Result result = decoder.decode(frame, out);
        assertEquals(readerIndex, frame.readerIndex(), "decoder must not move the reader index");
        assertEquals(Gt06Decoder.serial(frame), out.sequence);
        if (login) {
            assertEquals(Gt06Decoder.Result.LOGIN, result);
            assertTrue(decoder.loggedIn());
            assertEquals(decoder.imei(), out.deviceId);
            assertEquals(frame.getUnsignedByte(2) > 0x0D ? -240 : Gt06Login.NO_TIME_ZONE, decoder.timeZoneOffsetMinutes());
            return;
        }
        assertEquals(SESSION_IMEI, out.deviceId);
        if (entry.decodedNull() || entry.positions().isEmpty()) {
            assertEquals(Gt06Decoder.Result.IGNORED, result);
            assertTrue(out.isEmpty());
            return;
        }
        ThirdPartyFrames.Position expected = entry.positions().get(0);
        Map<String, String> attrs = expected.attrs();
        if (!attrs.containsKey("type") && !attrs.containsKey("batteryLevel") && !attrs.containsKey("battery")) {
            // info / command-reply messages: the reference keeps text attributes Kuzet has no field for
            assertEquals(Gt06Decoder.Result.IGNORED, result);
            assertTrue(out.isEmpty());
            return;
        }
        assertEquals(Gt06Decoder.Result.DATA, result);
        if (expected.hasFix()) {
            assertEquals(1, out.fixCount());
            checkFix(expected, out.fix(0));
        } else {
            assertEquals(0, out.fixCount());
            assertTrue(out.heartbeat);
        }
        if (attrs.containsKey("batteryLevel")) {
            assertEquals(Integer.parseInt(attrs.get("batteryLevel")), out.batteryPercent);
        }
        if (attrs.containsKey("charge")) {
            assertEquals(Boolean.parseBoolean(attrs.get("charge")), out.charging);
        }
        if (attrs.containsKey("rssi")) {
            int rssi = Integer.parseInt(attrs.get("rssi"));
            assertEquals(rssi <= 4 ? rssi * 25 : DeviceMessage.UNKNOWN, out.signalPercent);
        }
        assertEquals(ReferenceAlarms.expectedEvents(attrs.get("alarm")), ReferenceAlarms.events(out));
        for (int i = 0; i < out.eventCount(); i++) {
            long expectedTime = expected.hasFix() ? out.fix(0).timeMs : VECTOR_CLOCK_MS;
            assertEquals(expectedTime, out.eventTimeMs(i));
        }
    }

    static void checkFix(ThirdPartyFrames.Position expected, Fix fix) {
        assertEquals(Instant.parse(expected.fixTime()).toEpochMilli(), fix.timeMs, "time");
        assertEquals(expected.lat(), fix.latitude(), 1e-6, "latitude");
        assertEquals(expected.lon(), fix.longitude(), 1e-6, "longitude");
        assertEquals(expected.speedKnots(), fix.speedKmh() / 1.852, 0.0501, "speed");
        assertEquals(expected.courseDeg(), fix.headingDeg, "course");
        assertEquals(expected.valid(), fix.isValid(), "validity");
        int estimatedMetres = fix.isValid() ? AccuracyEstimate.fromSatellitesMetres(fix.satellites) : 0;
        assertEquals(estimatedMetres > 0 ? estimatedMetres * 10 : Fix.ACCURACY_UNKNOWN, fix.accuracyDm, "estimated accuracy");
        assertEquals(estimatedMetres > 0 ? AccuracySource.ESTIMATED_SATELLITES : AccuracySource.DEFAULT, fix.accuracySource());
        Map<String, String> attrs = expected.attrs();
        if (attrs.containsKey("sat")) {
            assertEquals(Integer.parseInt(attrs.get("sat")), fix.satellites, "satellites");
        }
        assertEquals(Boolean.parseBoolean(attrs.getOrDefault("archive", "false")), fix.isBuffered(), "buffered");
    }


    private static void checkReply(ThirdPartyFrames.Entry entry, ByteBuf frame) {
        ByteBuf reply = Unpooled.buffer();
        try {
            boolean written = Gt06Encoder.writeReply(reply, frame, VECTOR_CLOCK_MS);
            if (entry.response() == null) {
                assertFalse(written);
            } else {
                assertTrue(written);
                assertEquals(entry.response().toLowerCase(), ByteBufUtil.hexDump(reply));
            }
        } finally {
            reply.release();
        }
    }
}
