package io.kuzet.protocol.gt06;

import io.kuzet.protocol.AccuracySource;
import io.kuzet.protocol.DeviceMessage;
import io.kuzet.protocol.Fix;
import io.kuzet.protocol.ProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Gt06PropertyTest {
    private static final Supplier<ChannelHandler> FRAME_DECODER = Gt06FrameDecoder::new;
    /** Good frames of several types, from the vector file and the encoder. */
    static final byte[] VALID_STREAM = ByteBufUtil.decodeHexDump(Gt06FrameDecoderTest.LOGIN
            + Gt06FrameDecoderTest.GPS_0X12
            + "787822221106160a1016c60278019407c7783800040001940504700046fc01030100065f570d0a"
            + "78782516160908063736c0006e70110442fc800000000800000000000000000300002512000473fb0d0a"
            + "78780a13c40604000201298f5b0d0a"
            + Gt06FrameDecoderTest.EXTENDED_0X94
            + "78780B23C00122040001000818720D0A");

    @Property(tries = 300)
    void randomByteStreamsOnlyEverRaiseProtocolExceptionsAndLeakNothing(
            @ForAll("noise") byte[] bytes, @ForAll @IntRange(min = 1, max = 64) int chunkBytes) {
        feedAndDecode(bytes, chunkBytes);
    }

    @Property(tries = 300)
    void mutatedValidStreamsOnlyEverRaiseProtocolExceptionsAndLeakNothing(
            @ForAll @Size(min = 1, max = 8) List<@IntRange(min = 0, max = Integer.MAX_VALUE) Integer> positions,
            @ForAll @Size(min = 8, max = 8) List<@IntRange(min = 0, max = 255) Integer> values,
            @ForAll @IntRange(min = 1, max = 64) int chunkBytes) {
        byte[] mutated = VALID_STREAM.clone();
        for (int i = 0; i < positions.size(); i++) {
            mutated[positions.get(i) % mutated.length] = (byte) (int) values.get(i);
        }
        feedAndDecode(mutated, chunkBytes);
    }

    @Property(tries = 500)
    void arbitraryInfoInACorrectlyFramedMessageOnlyRaisesProtocolExceptions(
            @ForAll("protocolNumbers") int protocolNumber, @ForAll @Size(max = 60) byte[] info,
            @ForAll @IntRange(min = 0, max = 0xFFFF) int serial) {
        ByteBuf frame = Unpooled.buffer();
        frame.writeShort(Gt06Frame.START_STANDARD).writeByte(info.length + 5).writeByte(protocolNumber).writeBytes(info)
                .writeShort(serial);
        frame.writeShort(Gt06Crc.compute(frame, 2, frame.writerIndex() - 2)).writeShort(Gt06Frame.STOP);
        feedAndDecode(ByteBufUtil.getBytes(frame), frame.readableBytes());
        frame.release();
    }

    @Property(tries = 200)
    void streamSplitAtArbitraryPointsDecodesAsOneRead(@ForAll @Size(max = 20) List<@IntRange(min = 1, max = 40) Integer> cuts) {
        List<String> oneRead = framesOf(List.of(VALID_STREAM));
        assertEquals(oneRead, framesOf(FramePipe.split(VALID_STREAM, cuts)));
        assertEquals(7, oneRead.size());
    }

    @Property(tries = 300)
    void locationWrittenByTheDeviceEncoderDecodesToTheSameFix(@ForAll("fixes") Fix fix, @ForAll @IntRange(max = 0xFFFF) int serial) {
        ByteBuf wire = Unpooled.buffer();
        Gt06Encoder.writeLocation0x12(wire, fix, serial);
        List<ByteBuf> frames;
        try (FramePipe pipe = new FramePipe(new Gt06FrameDecoder())) {
            frames = pipe.write(wire).frames();
            assertEquals(List.of(), pipe.errors());
        }
        DeviceMessage out = new DeviceMessage();
        assertEquals(Gt06Decoder.Result.DATA, new Gt06Decoder().decode(frames.get(0), out));
        frames.forEach(ByteBuf::release);
        assertEquals(serial, out.sequence);
        Fix decoded = out.fix(0);
        assertEquals(fix.timeMs, decoded.timeMs);
        // GT06 resolution is 1/1,800,000 degree = 5.6e-7: half of it after rounding both ways
        assertTrue(Math.abs(fix.latE7 - decoded.latE7) <= 3, fix + " -> " + decoded);
        assertTrue(Math.abs(fix.lonE7 - decoded.lonE7) <= 3, fix + " -> " + decoded);
        assertEquals(fix.speedKmhX10, decoded.speedKmhX10);
        assertEquals(fix.headingDeg, decoded.headingDeg);
        assertEquals(fix.satellites, decoded.satellites);
        assertEquals(fix.flags, decoded.flags & ~Fix.FLAG_ACCURACY_ESTIMATED);
        assertEquals(fix.isValid() && fix.satellites > 0, decoded.accuracySource() == AccuracySource.ESTIMATED_SATELLITES);
    }

    @Property(tries = 100)
    void heartbeatWrittenByTheDeviceEncoderDecodesToItsLevels(@ForAll @IntRange(max = 6) int voltage,
                                                                @ForAll @IntRange(max = 4) int gsm,
                                                                @ForAll boolean charging) {
        ByteBuf frame = Unpooled.buffer();
        Gt06Encoder.writeHeartbeat0x13(frame, charging ? Gt06StatusBlock.TERM_CHARGING : 0, voltage, gsm, 3);
        DeviceMessage out = new DeviceMessage();
        new Gt06Decoder().decode(frame, out);
        frame.release();
        assertEquals(voltage * 100 / 6, out.batteryPercent);
        assertEquals(gsm * 25, out.signalPercent);
        assertEquals(charging, out.charging);
    }

    @Provide
    Arbitrary<byte[]> noise() {
        Arbitrary<Byte> interesting = Arbitraries.of((byte) 0x78, (byte) 0x79, (byte) 0x0D, (byte) 0x0A, (byte) 0x05,
                (byte) 0x00, (byte) 0xFF);
        return Arbitraries.oneOf(Arbitraries.bytes(), interesting).list().ofMaxSize(600).map(list -> {
            byte[] bytes = new byte[list.size()];
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = list.get(i);
            }
            return bytes;
        });
    }

    @Provide
    Arbitrary<Integer> protocolNumbers() {
        return Arbitraries.oneOf(Arbitraries.of(0x01, 0x10, 0x12, 0x13, 0x15, 0x16, 0x19, 0x21, 0x22, 0x23, 0x26, 0x8A, 0x94),
                Arbitraries.integers().between(0, 255));
    }

    @Provide
    Arbitrary<Fix> fixes() {
        long from = Instant.parse("2000-01-01T00:00:00Z").getEpochSecond();
        long to = Instant.parse("2099-12-31T23:59:59Z").getEpochSecond();
        return Combinators.combine(Arbitraries.longs().between(from, to),
                Arbitraries.integers().between(-900_000_000, 900_000_000),
                Arbitraries.integers().between(-1_800_000_000, 1_800_000_000),
                Arbitraries.integers().between(0, 255), Arbitraries.integers().between(0, 359),
                Arbitraries.integers().between(0, 15), Arbitraries.of(true, false)).as((seconds, lat, lon, speed, heading, sats, valid) -> {
                    Fix fix = new Fix().clear();
                    fix.timeMs = seconds * 1000;
                    fix.latE7 = lat;
                    fix.lonE7 = lon;
                    fix.speedKmhX10 = speed * 10;
                    fix.headingDeg = heading;
                    fix.satellites = sats;
                    fix.flags = valid ? Fix.FLAG_VALID : 0;
                    return fix;
                });
    }

    /** Feeds {@code bytes} in chunks, decodes and answers every frame; only ProtocolException may be raised. */
    private static void feedAndDecode(byte[] bytes, int chunkBytes) {
        Gt06Decoder decoder = new Gt06Decoder();
        DeviceMessage out = new DeviceMessage();
        FramePipe.feedInChunks(FRAME_DECODER.get(), bytes, chunkBytes, frame -> {
            ByteBuf reply = Unpooled.buffer();
            try {
                Gt06Encoder.writeReply(reply, frame, 0);
                decoder.decode(frame, out);
            } catch (ProtocolException expected) {
                // a typed refusal is the defined answer
            } finally {
                reply.release();
            }
        });
    }

    private static List<String> framesOf(List<byte[]> reads) {
        return FramePipe.framesOf(FRAME_DECODER.get(), reads, ByteBufUtil::hexDump);
    }
}
