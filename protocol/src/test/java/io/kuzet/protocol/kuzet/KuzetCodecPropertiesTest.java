package io.kuzet.protocol.kuzet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kuzet.protocol.DeviceEventType;
import io.kuzet.protocol.DeviceMessage;
import io.kuzet.protocol.Fix;
import io.kuzet.protocol.ProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

/** Properties of the Kuzet codec over random valid messages and random or damaged byte streams. */
class KuzetCodecPropertiesTest {

    @Provide
    Arbitrary<DeviceMessage> positionBatches() {
        Arbitrary<Fix> positions = Combinators.combine(
                Arbitraries.longs().between(KuzetFrame.MIN_TIME_MS, KuzetFrame.END_TIME_MS - 1),
                Arbitraries.integers().between(-KuzetFrame.MAX_LATITUDE_E7, KuzetFrame.MAX_LATITUDE_E7),
                Arbitraries.integers().between(-KuzetFrame.MAX_LONGITUDE_E7, KuzetFrame.MAX_LONGITUDE_E7),
                Arbitraries.integers().between(-500, 9000),
                Arbitraries.integers().between(0, 3000),
                Arbitraries.integers().between(0, 359))
                .as((timeMs, lat, lon, alt, speed, heading) -> {
                    Fix fix = new Fix().clear();
                    fix.timeMs = timeMs;
                    fix.latE7 = lat;
                    fix.lonE7 = lon;
                    fix.altitudeM = alt;
                    fix.speedKmhX10 = speed;
                    fix.headingDeg = heading;
                    return fix;
                });
        Arbitrary<Fix> fixes = Combinators.combine(positions,
                Arbitraries.integers().between(-1, 0xFFFE),
                Arbitraries.integers().between(-1, 254),
                Arbitraries.integers().between(0, 64),
                Arbitraries.integers().between(0, 7))
                .as((fix, accuracy, hdop, satellites, flags) -> {
                    fix.accuracyDm = accuracy;
                    fix.hdopX10 = hdop;
                    fix.satellites = satellites;
                    fix.flags = flags;
                    return fix;
                });
        return fixes.list().ofMinSize(1).ofMaxSize(KuzetFrame.MAX_FIXES).map(list -> {
            DeviceMessage message = new DeviceMessage();
            list.forEach(fix -> message.addFix().copyFrom(fix));
            return message;
        });
    }

    @Provide
    Arbitrary<DeviceMessage> eventBatches() {
        Arbitrary<long[]> events = Combinators.combine(
                Arbitraries.longs().between(KuzetFrame.MIN_TIME_MS, KuzetFrame.END_TIME_MS - 1),
                Arbitraries.of(DeviceEventType.values()).filter(type -> !type.isCommandResult()),
                Arbitraries.integers().between(Short.MIN_VALUE, Short.MAX_VALUE))
                .as((timeMs, type, value) -> new long[] {timeMs, type.code(), value});
        return events.list().ofMinSize(1).ofMaxSize(KuzetFrame.MAX_EVENTS).map(list -> {
            DeviceMessage message = new DeviceMessage();
            list.forEach(e -> message.addEvent(e[0], DeviceEventType.fromCode((int) e[1]), (int) e[2]));
            return message;
        });
    }

    @Property(tries = 300)
    void randomPositionBatchRoundTripsAndEveryFixIsPlausible(
            @ForAll("positionBatches") DeviceMessage sent, @ForAll @LongRange(min = 1, max = 0xFFFF_FFFFL) long seq) {
        ByteBuf frame = Unpooled.buffer();
        KuzetEncoder.writePositionBatch(frame, seq, sent);
        assertEquals(KuzetFrame.frameLength(1 + sent.fixCount() * KuzetFrame.FIX_LENGTH), frame.readableBytes());
        DeviceMessage received = new DeviceMessage();
        KuzetDecoder.decodeData(throughFrameDecoder(frame), received);
        assertEquals(seq, received.sequence);
        assertEquals(sent.fixCount(), received.fixCount());
        for (int i = 0; i < sent.fixCount(); i++) {
            assertEquals(sent.fix(i).toString(), received.fix(i).toString());
        }
        FixPlausibility.assertPlausible(received);
    }

    @Property(tries = 200)
    void randomDeviceEventsRoundTrip(@ForAll("eventBatches") DeviceMessage sent,
                                     @ForAll @LongRange(min = 1, max = 0xFFFF_FFFFL) long seq) {
        ByteBuf frame = Unpooled.buffer();
        KuzetEncoder.writeDeviceEvents(frame, seq, sent);
        DeviceMessage received = new DeviceMessage();
        KuzetDecoder.decodeData(throughFrameDecoder(frame), received);
        assertEquals(seq, received.sequence);
        assertEquals(sent.eventCount(), received.eventCount());
        for (int i = 0; i < sent.eventCount(); i++) {
            assertEquals(sent.eventTimeMs(i), received.eventTimeMs(i));
            assertEquals(sent.eventType(i), received.eventType(i));
            assertEquals(sent.eventValue(i), received.eventValue(i));
        }
    }

    @Property(tries = 200)
    void randomHeartbeatRoundTrips(@ForAll @LongRange(min = KuzetFrame.MIN_TIME_MS, max = KuzetFrame.END_TIME_MS - 1) long timeMs,
                                   @ForAll @IntRange(min = -1, max = 100) int battery,
                                   @ForAll @IntRange(min = -1, max = 100) int signal,
                                   @ForAll boolean charging) {
        ByteBuf frame = Unpooled.buffer();
        KuzetEncoder.writeHeartbeat(frame, 1, timeMs, battery, signal, charging);
        DeviceMessage received = new DeviceMessage();
        KuzetDecoder.decodeData(throughFrameDecoder(frame), received);
        assertTrue(received.heartbeat);
        assertEquals(timeMs, received.statusTimeMs);
        assertEquals(battery, received.batteryPercent);
        assertEquals(signal, received.signalPercent);
        assertEquals(charging, received.charging);
    }

    @Property(tries = 300)
    void randomBytesInRandomReadsOnlyEverProduceProtocolRefusalsAndLeakNothing(
            @ForAll @Size(max = 6000) byte[] bytes, @ForAll long splitSeed) {
        Outcome outcome = feed(bytes, new Random(splitSeed));
        assertTrue(outcome.unexpected.isEmpty(), outcome.unexpected.toString());
    }

    @Property(tries = 300)
    void damagedStreamResynchronisesAndDecodesTheSameWhateverTheReadBoundaries(
            @ForAll @IntRange(min = 1, max = 12) int frameCount, @ForAll @IntRange(min = 1, max = 6) int damages,
            @ForAll long seed) {
        Random random = new Random(seed);
        byte[] stream = damage(validStream(frameCount, random), damages, random);
        byte[] sentinel = Frames.heartbeat(999_999);
        // 4 KiB of zeros is longer than any frame, so nothing that started in the damage can reach the sentinel
        byte[] all = Frames.concat(stream, new byte[KuzetFrame.MAX_FRAME_LENGTH], sentinel);

        Outcome oneRead = feed(all, null);
        Outcome manyReads = feed(all, random);

        assertTrue(oneRead.unexpected.isEmpty(), oneRead.unexpected.toString());
        assertTrue(manyReads.unexpected.isEmpty(), manyReads.unexpected.toString());
        assertEquals(oneRead.events, manyReads.events);
        assertEquals("frame " + ByteBufUtil.hexDump(sentinel), oneRead.events.get(oneRead.events.size() - 1));
    }

    private static ByteBuf throughFrameDecoder(ByteBuf frame) {
        EmbeddedChannel channel = new EmbeddedChannel(new KuzetFrameDecoder());
        channel.writeInbound(frame);
        ByteBuf decoded = channel.readInbound();
        assertTrue(channel.inboundMessages().isEmpty());
        ByteBuf copy = Unpooled.copiedBuffer(decoded);
        decoded.release();
        channel.finishAndReleaseAll();
        return copy;
    }

    private static byte[] validStream(int frameCount, Random random) {
        List<byte[]> frames = new ArrayList<>();
        for (int i = 1; i <= frameCount; i++) {
            switch (random.nextInt(4)) {
                case 0:
                    frames.add(Frames.positions(i, 1 + random.nextInt(KuzetFrame.MAX_FIXES)));
                    break;
                case 1:
                    frames.add(Frames.events(i));
                    break;
                case 2:
                    frames.add(Frames.heartbeat(i));
                    break;
                default:
                    frames.add(Frames.ack(i));
                    break;
            }
        }
        return Frames.concat(frames.toArray(new byte[0][]));
    }

    /** Flips bits, cuts out runs, inserts random runs and lengthens length fields at random places. */
    private static byte[] damage(byte[] stream, int damages, Random random) {
        byte[] out = stream;
        for (int d = 0; d < damages && out.length > 0; d++) {
            int at = random.nextInt(out.length);
            switch (random.nextInt(4)) {
                case 0:
                    out = out.clone();
                    out[at] ^= (byte) (1 << random.nextInt(8));
                    break;
                case 1:
                    out = Frames.concat(Arrays.copyOfRange(out, 0, at),
                            Arrays.copyOfRange(out, Math.min(out.length, at + 1 + random.nextInt(40)), out.length));
                    break;
                case 2:
                    byte[] noise = new byte[1 + random.nextInt(40)];
                    random.nextBytes(noise);
                    if (random.nextBoolean()) {
                        noise[0] = 0x4B; // a false frame start
                        noise[noise.length > 1 ? 1 : 0] = 0x5A;
                    }
                    out = Frames.concat(Arrays.copyOfRange(out, 0, at), noise, Arrays.copyOfRange(out, at, out.length));
                    break;
                default:
                    out = out.clone();
                    out[at] = (byte) 0xFF;
                    break;
            }
        }
        return out;
    }

    private static final class Outcome {
        final List<String> events = new ArrayList<>();
        final List<String> unexpected = new ArrayList<>();
    }

    /** Feeds bytes in pooled direct buffers, split at random (or in one read), then closes the channel. */
    private static Outcome feed(byte[] bytes, Random split) {
        EmbeddedChannel channel = new EmbeddedChannel();
        FrameRecorder recorder = FrameRecorder.attach(channel, true);
        int at = 0;
        while (at < bytes.length) {
            int n = split == null ? bytes.length : Math.min(bytes.length - at, 1 + split.nextInt(split.nextBoolean() ? 8 : 700));
            ByteBuf read = PooledByteBufAllocator.DEFAULT.directBuffer(n);
            read.writeBytes(bytes, at, n);
            channel.writeInbound(read);
            at += n;
        }
        channel.finish();
        Outcome outcome = new Outcome();
        outcome.events.addAll(recorder.events);
        recorder.events.stream().filter(e -> e.startsWith("unexpected")).forEach(outcome.unexpected::add);
        DeviceMessage message = new DeviceMessage();
        for (ByteBuf frame : recorder.liveFrames) {
            checkFrameReadsStayInside(frame, message, outcome);
            frame.release();
        }
        // frames may share one reference count with the cumulation they were sliced from; with the channel
        // finished and every frame released once, all of it must be freed
        for (ByteBuf frame : recorder.liveFrames) {
            if (frame.refCnt() != 0) {
                outcome.unexpected.add("frame still referenced after the channel closed: refCnt " + frame.refCnt());
            }
        }
        return outcome;
    }

    /** Runs every applicable reader; the slice's capacity is the frame, so a read past it would throw. */
    private static void checkFrameReadsStayInside(ByteBuf frame, DeviceMessage message, Outcome outcome) {
        int readerIndex = frame.readerIndex();
        if (frame.readableBytes() > KuzetFrame.MAX_FRAME_LENGTH) {
            outcome.unexpected.add("frame of " + frame.readableBytes() + " bytes");
        }
        try {
            KuzetMessageType type = KuzetDecoder.messageType(frame);
            switch (type) {
                case POSITION_BATCH:
                case DEVICE_EVENT:
                case HEARTBEAT:
                    KuzetDecoder.decodeData(frame, message);
                    FixPlausibility.assertPlausible(message);
                    break;
                case ACK:
                    KuzetDecoder.ackedSequence(frame);
                    break;
                default:
                    break;
            }
        } catch (ProtocolException expected) {
            // damaged content with a good CRC is refused by the decoder: that is the contract
        } catch (RuntimeException e) {
            outcome.unexpected.add("decoder threw " + e);
        }
        if (frame.readerIndex() != readerIndex) {
            outcome.unexpected.add("decoder moved the reader index");
        }
    }
}
