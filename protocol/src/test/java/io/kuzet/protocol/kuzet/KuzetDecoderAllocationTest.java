package io.kuzet.protocol.kuzet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kuzet.protocol.DeviceMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Decoding into a reused {@link DeviceMessage} must not allocate: the hot path runs for every fix. */
class KuzetDecoderAllocationTest {
    private static final int DECODES = 10_000;

    @Test
    void decodingPositionBatchesIntoAReusedMessageAllocatesNothing() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        ByteBuf heap = Unpooled.wrappedBuffer(Frames.positions(1, 32));
        byte[] oneFix = Frames.positions(2, 1);
        // wrapping a ByteBuffer keeps the paranoid leak detector out: its access records would be the allocations
        ByteBuf direct = Unpooled.wrappedBuffer(ByteBuffer.allocateDirect(oneFix.length).put(oneFix).flip());
        DeviceMessage message = new DeviceMessage();
        long checksum = decodeMany(heap, direct, message); // warm up: class loading, JIT
        long before = threads.getThreadAllocatedBytes(thread);
        checksum += decodeMany(heap, direct, message);
        long allocated = threads.getThreadAllocatedBytes(thread) - before;
        assertTrue(allocated < 512, allocated + " bytes allocated by " + 2 * DECODES + " decodes");
        assertEquals(2L * DECODES * (32 + 1), checksum);
    }

    @Test
    void sealingAndOpeningTaggedFramesAllocatesNothing() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        byte[] key = new byte[32];
        KuzetFrameMac device = KuzetFrameMac.forDevice(key);
        KuzetFrameMac server = KuzetFrameMac.forServer(key);
        byte[] frame = Frames.positions(1, 1);
        ByteBuf buf = Unpooled.wrappedBuffer(ByteBuffer.allocateDirect(frame.length + KuzetFrame.TAG_LENGTH));
        sealAndOpen(device, server, buf, frame); // warm up
        long before = threads.getThreadAllocatedBytes(thread);
        sealAndOpen(device, server, buf, frame);
        long allocated = threads.getThreadAllocatedBytes(thread) - before;
        assertTrue(allocated < 512, allocated + " bytes allocated by " + DECODES + " seal/open pairs");
    }

    private static void sealAndOpen(KuzetFrameMac device, KuzetFrameMac server, ByteBuf buf, byte[] frame) {
        for (int i = 0; i < DECODES; i++) {
            buf.clear().writeBytes(frame);
            device.seal(buf, 0);
            assertTrue(server.open(buf));
        }
    }

    @Test
    void frameDecoderAllocatesNothingPerFrameButTheRetainedSlice() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        byte[] frame = Frames.positions(1, 1);
        int frames = 1_000;
        ByteBuf stream = Unpooled.buffer(frame.length * frames);
        List<Object> out = new ArrayList<>(frames + 1);
        KuzetFrameDecoder decoder = new KuzetFrameDecoder();
        splitAll(decoder, stream, frame, frames, out); // warm up
        long before = threads.getThreadAllocatedBytes(thread);
        splitAll(decoder, stream, frame, frames, out);
        long bytesPerFrame = (threads.getThreadAllocatedBytes(thread) - before) / frames;
        // an unpooled heap slice object is about 40 bytes; the CRC and the header checks must add nothing
        assertTrue(bytesPerFrame <= 64, bytesPerFrame + " bytes allocated per frame");
    }

    private static void splitAll(KuzetFrameDecoder decoder, ByteBuf stream, byte[] frame, int frames, List<Object> out) {
        stream.clear();
        for (int i = 0; i < frames; i++) {
            stream.writeBytes(frame);
        }
        while (stream.isReadable()) {
            decoder.decode(null, stream, out); // ctx is only used to report refusals, and there are none
        }
        assertEquals(frames, out.size());
        for (Object slice : out) {
            ((ByteBuf) slice).release();
        }
        out.clear();
    }

    private static long decodeMany(ByteBuf heap, ByteBuf direct, DeviceMessage message) {
        long fixes = 0;
        for (int i = 0; i < DECODES; i++) {
            KuzetDecoder.decodeData(heap, message);
            fixes += message.fixCount();
            KuzetDecoder.decodeData(direct, message);
            fixes += message.fixCount();
        }
        return fixes;
    }
}
