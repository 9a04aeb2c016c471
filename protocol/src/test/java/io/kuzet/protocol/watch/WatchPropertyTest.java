package io.kuzet.protocol.watch;

import io.kuzet.protocol.AccuracySource;
import io.kuzet.protocol.DeviceMessage;
import io.kuzet.protocol.Fix;
import io.kuzet.protocol.ProtocolException;
import io.kuzet.protocol.gt06.FramePipe;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.buffer.Unpooled;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WatchPropertyTest {
    private static final Supplier<ChannelHandler> FRAME_DECODER = WatchFrameDecoder::new;
    static final byte[] VALID_STREAM = (WatchFrameDecoderTest.LK + WatchFrameDecoderTest.AL_LTE
            + "[SG*8800000015*0088*UD2,220414,134652,A,22.571707,N,113.8613968,E,0.1,0.0,100,7,60,90,1000,50,0000,4,1,460,0]"
            + WatchFrameDecoderTest.TEMP_INDEXED
            + "[ZJ*689466020014198*0003*0046*AL,221121,085515,V,00.000000,N,000.000000,E,0,0,0,0,0,44,0,0,00100000]")
            .getBytes(StandardCharsets.US_ASCII);

    @Property(tries = 300)
    void randomByteStreamsOnlyEverRaiseProtocolExceptionsAndLeakNothing(
            @ForAll("noise") byte[] bytes, @ForAll @IntRange(min = 1, max = 64) int chunkBytes) {
        feedAndDecode(bytes, chunkBytes);
    }

    @Property(tries = 300)
    void mutatedValidStreamsOnlyEverRaiseProtocolExceptionsAndLeakNothing(
            @ForAll @Size(min = 1, max = 8) List<@IntRange(min = 0, max = Integer.MAX_VALUE) Integer> positions,
            @ForAll("mutationValues") List<Byte> values,
            @ForAll @IntRange(min = 1, max = 64) int chunkBytes) {
        byte[] mutated = VALID_STREAM.clone();
        for (int i = 0; i < positions.size(); i++) {
            mutated[positions.get(i) % mutated.length] = values.get(i);
        }
        feedAndDecode(mutated, chunkBytes);
    }

    @Property(tries = 500)
    void arbitraryContentInAWellFramedMessageOnlyRaisesProtocolExceptions(
            @ForAll("types") String type, @ForAll @Size(max = 30) List<@IntRange(min = 0, max = 9) Integer> digits,
            @ForAll @Size(max = 20) List<@IntRange(min = 0, max = 5) Integer> separators) {
        StringBuilder content = new StringBuilder(type);
        for (int i = 0; i < digits.size(); i++) {
            content.append(i < separators.size() ? ",.-AN".charAt(Math.min(separators.get(i), 4)) : ',').append(digits.get(i));
        }
        String frame = String.format("[3G*4700186508*%04X*%s]", content.length(), content);
        feedAndDecode(frame.getBytes(StandardCharsets.US_ASCII), frame.length());
    }

    @Property(tries = 200)
    void streamSplitAtArbitraryPointsDecodesAsOneRead(@ForAll @Size(max = 30) List<@IntRange(min = 1, max = 40) Integer> cuts) {
        List<String> oneRead = framesOf(List.of(VALID_STREAM));
        assertEquals(oneRead, framesOf(FramePipe.split(VALID_STREAM, cuts)));
        assertEquals(5, oneRead.size());
    }

    @Property(tries = 300)
    void locationWrittenByTheDeviceEncoderDecodesToTheSameFix(@ForAll("fixes") Fix fix,
                                                               @ForAll @LongRange(min = 1, max = 999_999_999_999_999L) long id,
                                                               @ForAll boolean ud2, @ForAll @IntRange(min = 0) int status) {
        ByteBuf wire = Unpooled.buffer();
        WatchEncoder.writeLocation(wire, "3G", id, fix, ud2, status);
        List<ByteBuf> frames;
        try (FramePipe pipe = new FramePipe(new WatchFrameDecoder())) {
            frames = pipe.write(wire).frames();
            assertEquals(List.of(), pipe.errors());
        }
        DeviceMessage out = new DeviceMessage();
        assertEquals(WatchDecoder.Result.LOCATION, new WatchDecoder().decode(frames.get(0), out));
        assertTrue(new WatchFrame().wrap(frames.get(0)).lengthMatches());
        frames.forEach(ByteBuf::release);
        assertEquals(id, out.deviceId);
        Fix decoded = out.fix(0);
        assertEquals(fix.timeMs, decoded.timeMs);
        assertEquals(fix.latE7, decoded.latE7);
        assertEquals(fix.lonE7, decoded.lonE7);
        assertEquals(fix.speedKmhX10, decoded.speedKmhX10);
        assertEquals(fix.headingDeg, decoded.headingDeg);
        assertEquals(fix.altitudeM, decoded.altitudeM);
        assertEquals(fix.satellites, decoded.satellites);
        assertEquals(fix.flags | (ud2 ? Fix.FLAG_BUFFERED : 0), decoded.flags & ~Fix.FLAG_ACCURACY_ESTIMATED);
        assertEquals(fix.isValid() && fix.satellites > 0, decoded.accuracySource() == AccuracySource.ESTIMATED_SATELLITES);
        assertEquals(100, out.batteryPercent);
    }

    @Property(tries = 100)
    void heartbeatWrittenByTheDeviceEncoderIsAnsweredWithLk(@ForAll @IntRange(max = 100) int battery,
                                                           @ForAll @LongRange(min = 1, max = 9_999_999_999L) long id) {
        ByteBuf heartbeat = Unpooled.buffer();
        WatchEncoder.writeHeartbeat(heartbeat, "SG", id, battery);
        DeviceMessage out = new DeviceMessage();
        assertEquals(WatchDecoder.Result.HEARTBEAT, new WatchDecoder().decode(heartbeat, out));
        assertEquals(battery, out.batteryPercent);
        ByteBuf reply = Unpooled.buffer();
        WatchEncoder.writeReply(reply, heartbeat);
        assertEquals("[SG*" + id + "*0002*LK]", reply.toString(StandardCharsets.US_ASCII));
        heartbeat.release();
        reply.release();
    }

    @Provide
    Arbitrary<byte[]> noise() {
        Arbitrary<Byte> interesting = Arbitraries.of((byte) '[', (byte) ']', (byte) '*', (byte) ',', (byte) '0',
                (byte) 'A', (byte) 'L', (byte) 'K');
        return Arbitraries.oneOf(Arbitraries.bytes(), interesting).list().ofMaxSize(600).map(list -> {
            byte[] bytes = new byte[list.size()];
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = list.get(i);
            }
            return bytes;
        });
    }

    @Provide
    Arbitrary<List<Byte>> mutationValues() {
        return Arbitraries.oneOf(Arbitraries.bytes(), Arbitraries.of((byte) '[', (byte) ']', (byte) '*', (byte) ',',
                (byte) '9', (byte) '.', (byte) '-')).list().ofSize(8);
    }

    @Provide
    Arbitrary<String> types() {
        return Arbitraries.of("LK", "UD", "UD2", "UD3", "UD_LTE", "AL", "AL_LTE", "TKQ", "TEMP", "XX", "");
    }

    @Provide
    Arbitrary<Fix> fixes() {
        long from = Instant.parse("2000-01-01T00:00:00Z").getEpochSecond();
        long to = Instant.parse("2099-12-31T23:59:59Z").getEpochSecond();
        return Combinators.combine(Arbitraries.longs().between(from, to),
                Arbitraries.integers().between(-900_000_000, 900_000_000),
                Arbitraries.integers().between(-1_800_000_000, 1_800_000_000),
                Arbitraries.integers().between(0, 3000), Arbitraries.integers().between(0, 359),
                Arbitraries.integers().between(-500, 9000), Arbitraries.integers().between(0, 40),
                Arbitraries.of(true, false)).as((seconds, lat, lon, speed, heading, alt, sats, valid) -> {
                    Fix fix = new Fix().clear();
                    fix.timeMs = seconds * 1000;
                    fix.latE7 = lat;
                    fix.lonE7 = lon;
                    fix.speedKmhX10 = speed;
                    fix.headingDeg = heading;
                    fix.altitudeM = alt;
                    fix.satellites = sats;
                    fix.flags = valid ? Fix.FLAG_VALID : 0;
                    return fix;
                });
    }

    /** Feeds {@code bytes} in chunks, decodes and answers every frame; only ProtocolException may be raised. */
    private static void feedAndDecode(byte[] bytes, int chunkBytes) {
        WatchDecoder decoder = new WatchDecoder();
        DeviceMessage out = new DeviceMessage();
        FramePipe.feedInChunks(FRAME_DECODER.get(), bytes, chunkBytes, frame -> {
            ByteBuf reply = Unpooled.buffer();
            try {
                decoder.decode(frame, out);
                WatchEncoder.writeReply(reply, frame);
            } catch (ProtocolException expected) {
                // a typed refusal is the defined answer
            } finally {
                reply.release();
            }
        });
    }

    private static List<String> framesOf(List<byte[]> reads) {
        return FramePipe.framesOf(FRAME_DECODER.get(), reads, frame -> frame.toString(StandardCharsets.US_ASCII));
    }
}
