package io.kuzet.protocol.kuzet;

import static io.kuzet.protocol.kuzet.Frames.concat;
import static io.kuzet.protocol.kuzet.Frames.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kuzet.protocol.DecodeError;
import io.kuzet.protocol.ProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class KuzetFrameDecoderTest {
    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final FrameRecorder recorder = FrameRecorder.attach(channel, false);

    private void write(byte[] bytes) {
        channel.writeInbound(Unpooled.wrappedBuffer(bytes));
    }

    @Test
    void framesInOneReadAreEmittedWholeAndInOrder() {
        byte[] a = Frames.positions(1, 3);
        byte[] b = Frames.heartbeat(2);
        byte[] c = Frames.events(3);
        write(concat(a, b, c));
        assertEquals(List.of("frame " + hex(a), "frame " + hex(b), "frame " + hex(c)), recorder.events);
        assertFalse(channel.finish());
    }

    @Test
    void streamFedOneByteAtATimeDecodesTheSameAsOneRead() {
        byte[] stream = concat(Frames.positions(1, 128), Frames.heartbeat(2), Frames.ack(3));
        for (byte value : stream) {
            write(new byte[] {value});
        }
        EmbeddedChannel whole = new EmbeddedChannel();
        FrameRecorder wholeRecorder = FrameRecorder.attach(whole, false);
        whole.writeInbound(Unpooled.wrappedBuffer(stream));
        assertEquals(3, recorder.frames().size());
        assertEquals(wholeRecorder.events, recorder.events);
    }

    @Test
    void badCrcFrameIsRefusedWithItsSequenceAndNextFrameInTheSameReadStillDecodes() {
        byte[] bad = Frames.positions(41, 2);
        bad[20] ^= 0x40;
        byte[] good = Frames.positions(42, 1);
        write(concat(bad, good));
        assertEquals(List.of("refused BAD_CRC seq 41", "frame " + hex(good)), recorder.events);
    }

    @Test
    void badCrcMessageNamesTheSequenceAndBothChecksums() {
        byte[] bad = Frames.heartbeat(77);
        bad[bad.length - 1] ^= 1;
        EmbeddedChannel plain = new EmbeddedChannel(new KuzetFrameDecoder());
        ProtocolException e = assertThrows(ProtocolException.class, () -> plain.writeInbound(Unpooled.wrappedBuffer(bad)));
        assertEquals(DecodeError.BAD_CRC, e.reason());
        assertTrue(e.getMessage().startsWith("bad_crc: frame seq 77 type 0x12 length 25: CRC-32C 0x"), e.getMessage());
    }

    @Test
    void garbageBeforeAFrameIsReportedOnceAsBadFramingEvenAcrossReads() {
        byte[] garbage = new byte[300];
        Arrays.fill(garbage, (byte) 'K'); // many false starts, none followed by 'Z'
        garbage[150] = 0x5A;              // and a "KZ" that is not a frame start
        byte[] good = Frames.heartbeat(5);
        write(Arrays.copyOfRange(garbage, 0, 100));
        write(Arrays.copyOfRange(garbage, 100, 300));
        write(good);
        assertEquals(List.of("refused BAD_FRAMING seq -1", "frame " + hex(good)), recorder.events);
    }

    @Test
    void garbageAfterAGoodFrameIsReportedAgainAsANewResynchronisation() {
        byte[] first = Frames.heartbeat(1);
        byte[] second = Frames.heartbeat(2);
        write(concat(new byte[] {1, 2, 3}, first, new byte[] {4, 5}, second));
        assertEquals(List.of("refused BAD_FRAMING seq -1", "frame " + hex(first),
                "refused BAD_FRAMING seq -1", "frame " + hex(second)), recorder.events);
    }

    @Test
    void oversizedLengthIsRefusedBeforeWaitingForThePayload() {
        byte[] header = Arrays.copyOf(Frames.heartbeat(9), KuzetFrame.HEADER_LENGTH);
        header[4] = (byte) 0x0F;
        header[5] = (byte) 0xF3; // 4083 > 4082
        write(header);
        assertEquals(List.of("refused OVERSIZED seq 9"), recorder.events);
    }

    @Test
    void largestAllowedPayloadIsAccepted() {
        byte[] frame = new byte[KuzetFrame.MAX_FRAME_LENGTH];
        frame[0] = 0x4B;
        frame[1] = 0x5A;
        frame[2] = 1;
        frame[3] = 0x10;
        frame[4] = (byte) (KuzetFrame.MAX_PAYLOAD_LENGTH >>> 8);
        frame[5] = (byte) KuzetFrame.MAX_PAYLOAD_LENGTH;
        write(Frames.withFixedCrc(frame));
        assertEquals(List.of("frame " + hex(frame)), recorder.events);
    }

    @Test
    void unsupportedVersionFrameIsSkippedAndNextFrameStillDecodes() {
        byte[] v2 = Frames.heartbeat(10);
        v2[2] = 2;
        Frames.withFixedCrc(v2);
        byte[] good = Frames.heartbeat(11);
        write(concat(v2, good));
        assertEquals(List.of("refused UNSUPPORTED_VERSION seq 10", "frame " + hex(good)), recorder.events);
    }

    @Test
    void frameCutOffByConnectionCloseIsRefusedAsTruncated() {
        byte[] frame = Frames.positions(12, 2);
        write(Arrays.copyOf(frame, 30));
        assertTrue(recorder.events.isEmpty(), "a partial frame waits for more bytes");
        channel.finish();
        assertEquals(List.of("refused TRUNCATED seq 12"), recorder.events);
    }

    @Test
    void truncatedFrameInsideTheStreamCostsOnlyTheFramesItsLengthFieldReachesInto() {
        byte[] cut = Arrays.copyOf(Frames.positions(20, 2), 40);   // declares 69 bytes, 29 missing
        byte[] swallowed = Frames.heartbeat(21);                   // 25 bytes, inside the declared 69
        byte[] partlySwallowed = Frames.heartbeat(22);             // its first 4 bytes complete the 69
        byte[] survivor = Frames.positions(23, 4);
        write(concat(cut, swallowed, partlySwallowed, survivor));
        assertEquals(List.of("refused BAD_CRC seq 20", "refused BAD_FRAMING seq -1", "frame " + hex(survivor)),
                recorder.events);
    }

    @Test
    void emittedFrameIsARetainedSliceOfExactlyOneFrameThatTheReceiverReleases() {
        EmbeddedChannel pooled = new EmbeddedChannel();
        FrameRecorder keeping = FrameRecorder.attach(pooled, true);
        byte[] a = Frames.positions(1, 1);
        byte[] b = Frames.heartbeat(2);
        ByteBuf in = PooledByteBufAllocator.DEFAULT.directBuffer();
        in.writeBytes(concat(a, b));
        pooled.writeInbound(in);
        assertEquals(2, keeping.liveFrames.size());
        ByteBuf first = keeping.liveFrames.get(0);
        assertEquals(a.length, first.readableBytes());
        assertEquals(a.length, first.capacity(), "the slice ends at the CRC: nothing past the frame is reachable");
        for (ByteBuf frame : keeping.liveFrames) {
            assertEquals(1, frame.refCnt());
            assertTrue(frame.release());
        }
        assertFalse(pooled.finish());
        assertEquals(0, in.refCnt(), "the cumulation is freed once every frame is released");
    }
}
