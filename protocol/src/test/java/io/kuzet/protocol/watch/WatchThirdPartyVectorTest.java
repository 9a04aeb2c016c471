package io.kuzet.protocol.watch;

import io.kuzet.protocol.DecodeError;
import io.kuzet.protocol.AccuracyEstimate;
import io.kuzet.protocol.AccuracySource;
import io.kuzet.protocol.DeviceMessage;
import io.kuzet.protocol.Fix;
import io.kuzet.protocol.gt06.FramePipe;
import io.kuzet.protocol.gt06.ReferenceAlarms;
import io.kuzet.protocol.gt06.ThirdPartyFrames;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Replays the Watch frames of the third-party vector file through frame decoder, decoder and reply encoder, and checks
 * every decoded value and reply against the file.
 */
class WatchThirdPartyVectorTest {
    static final long NOW_MS = Instant.parse("2026-01-02T03:04:05Z").toEpochMilli();

    static List<ThirdPartyFrames.Entry> watchEntries() {
        return ThirdPartyFrames.load("/watch/third-party-frames.txt").stream().filter(e -> e.protocol().equals("watch")).toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("watchEntries")
    void decodesEveryFrameAsTheReferenceAndRepliesExactly(ThirdPartyFrames.Entry entry) {
        ByteBuf wire = ascii(entry.frame());
        try (FramePipe pipe = new FramePipe(new WatchFrameDecoder())) {
            List<ByteBuf> frames = pipe.write(wire).frames();
            assertEquals(List.<DecodeError>of(), pipe.errors());
            assertEquals(1, frames.size());
            ByteBuf frame = frames.get(0);
            try {
                assertEquals(entry.frame(), frame.toString(StandardCharsets.US_ASCII));
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
        DeviceMessage out = new DeviceMessage();
        int readerIndex = frame.readerIndex();
        WatchDecoder.Result result = new WatchDecoder(() -> NOW_MS).decode(frame, out);
        assertEquals(readerIndex, frame.readerIndex(), "decoder must not move the reader index");
        String id = entry.frame().split("\\*")[1];
        assertEquals(Long.parseLong(id), out.deviceId);
        String[] header = entry.frame().split("\\*");
        boolean indexForm = header.length > 4 && header[3].length() == 4 && !header[3].contains(",");
        assertEquals(indexForm ? Integer.parseInt(header[2], 16) : DeviceMessage.NO_SEQUENCE, out.sequence);
        String type = entry.frame().substring(entry.frame().indexOf('*', entry.frame().indexOf('*',
                entry.frame().indexOf('*', 1) + 1) + 1) + 1).replaceAll("^[0-9A-Fa-f]{4}\\*", "").split("[,\\]]")[0];
        if (type.equals("LK")) {
            assertEquals(WatchDecoder.Result.HEARTBEAT, result);
            assertTrue(out.heartbeat);
            Map<String, String> attrs = entry.positions().isEmpty() ? Map.of() : entry.positions().get(0).attrs();
            assertEquals(Integer.parseInt(attrs.getOrDefault("batteryLevel", "-1")), out.batteryPercent);
            return;
        }
        if (entry.positions().isEmpty() || !entry.positions().get(0).hasFix()) {
            assertEquals(WatchDecoder.Result.IGNORED, result);
            assertTrue(out.isEmpty());
            return;
        }
        assertEquals(type.startsWith("AL") ? WatchDecoder.Result.ALARM : WatchDecoder.Result.LOCATION, result);
        ThirdPartyFrames.Position expected = entry.positions().get(0);
        assertEquals(1, out.fixCount());
        Fix fix = out.fix(0);
        assertEquals(Instant.parse(expected.fixTime()).toEpochMilli(), fix.timeMs, "time");
        assertEquals(expected.lat(), fix.latitude(), 1e-6, "latitude");
        assertEquals(expected.lon(), fix.longitude(), 1e-6, "longitude");
        assertEquals(expected.speedKnots(), fix.speedKmh() / 1.852, 0.08, "speed");
        assertEquals(expected.courseDeg(), fix.headingDeg, "course");
        assertEquals(expected.altitudeM(), fix.altitudeM, "altitude");
        assertEquals(expected.valid(), fix.isValid(), "validity");
        assertEquals(type.equals("UD2"), fix.isBuffered(), "buffered");
        int estimatedMetres = fix.isValid() ? AccuracyEstimate.fromSatellitesMetres(fix.satellites) : 0;
        assertEquals(estimatedMetres > 0 ? estimatedMetres * 10 : Fix.ACCURACY_UNKNOWN, fix.accuracyDm, "estimated accuracy");
        assertEquals(estimatedMetres > 0 ? AccuracySource.ESTIMATED_SATELLITES : AccuracySource.DEFAULT, fix.accuracySource());
        Map<String, String> attrs = expected.attrs();
        assertEquals(Integer.parseInt(attrs.get("sat")), fix.satellites);
        assertEquals(Integer.parseInt(attrs.get("batteryLevel")), out.batteryPercent);
        assertEquals(Integer.parseInt(attrs.get("rssi")), out.signalPercent);
        assertEquals(ReferenceAlarms.expectedEvents(attrs.get("alarm")), ReferenceAlarms.events(out));
        for (int i = 0; i < out.eventCount(); i++) {
            assertEquals(fix.timeMs, out.eventTimeMs(i));
        }
    }

    private static void checkReply(ThirdPartyFrames.Entry entry, ByteBuf frame) {
        ByteBuf reply = Unpooled.buffer();
        try {
            boolean written = WatchEncoder.writeReply(reply, frame);
            if (entry.response() == null) {
                assertFalse(written);
            } else {
                assertTrue(written);
                assertEquals(entry.response(), reply.toString(StandardCharsets.US_ASCII));
            }
        } finally {
            reply.release();
        }
    }


    static ByteBuf ascii(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII);
    }
}
