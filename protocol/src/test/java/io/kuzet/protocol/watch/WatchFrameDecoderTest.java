package io.kuzet.protocol.watch;

import io.kuzet.protocol.DecodeError;
import io.kuzet.protocol.gt06.FramePipe;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WatchFrameDecoderTest {
    static final String LK = "[3G*4700186508*000B*LK,0,10,100]";
    static final String AL_LTE = "[3G*6907919734*003e*AL_LTE,170525,214118,V,0,N,0,E,0,0,0,0,0,22,0,0,00010000,0,0,0]";
    static final String TEMP_INDEXED = "[ZJ*5678901234*0001*0009*TEMP,36.5]";

    @Test
    void garbageBeforeTheFirstBracketIsSkippedWithOneFramingError() {
        assertFrames("\r\nHELLO" + LK, List.of(DecodeError.BAD_FRAMING), LK);
    }

    @Test
    void vendorFieldWithoutStarIsAFramingErrorAndTheNextFrameStillDecodes() {
        assertFrames("[ABCDEFGHIJKLMNOP" + LK, List.of(DecodeError.BAD_FRAMING), LK);
    }

    @Test
    void nonHexLengthIsAFramingError() {
        assertFrames("[3G*4700186508*00G2*LK]" + LK, List.of(DecodeError.BAD_FRAMING), LK);
    }

    @Test
    void frameWithoutClosingBracketWithinTheCapIsOversized() {
        String huge = "[3G*4700186508*0FFF*UD," + "1".repeat(3000);
        assertFrames(huge + LK, List.of(DecodeError.OVERSIZED), LK);
    }

    @Test
    void frameCutShortByTheNextFrameIsTruncatedAndTheNextFramesStillDecode() {
        assertFrames(AL_LTE.substring(0, 40) + LK + TEMP_INDEXED, List.of(DecodeError.TRUNCATED), LK, TEMP_INDEXED);
    }

    @Test
    void streamClosedInsideAFrameReportsTruncated() {
        try (FramePipe pipe = new FramePipe(new WatchFrameDecoder())) {
            List<ByteBuf> frames = pipe.write(ascii(LK + AL_LTE.substring(0, 30))).finish().frames();
            assertEquals(List.of(LK), text(frames));
            frames.forEach(ByteBuf::release);
            assertEquals(List.of(DecodeError.TRUNCATED), pipe.errors());
        }
    }

    @Test
    void indexFormIsCutByItsSecondLengthField() {
        assertFrames(TEMP_INDEXED + LK, List.of(), TEMP_INDEXED, LK);
    }

    @Test
    void frameSplitIntoOneByteReadsDecodesAsInOneRead() {
        String stream = LK + AL_LTE + TEMP_INDEXED + "[SG*8800000015*0002*LK]";
        List<ByteBuf> frames = new ArrayList<>();
        try (FramePipe pipe = new FramePipe(new WatchFrameDecoder())) {
            for (byte b : stream.getBytes(StandardCharsets.US_ASCII)) {
                frames.addAll(pipe.write(Unpooled.wrappedBuffer(new byte[] {b})).frames());
            }
            assertEquals(List.of(LK, AL_LTE, TEMP_INDEXED, "[SG*8800000015*0002*LK]"), text(frames));
            assertEquals(List.of(), pipe.errors());
        } finally {
            frames.forEach(ByteBuf::release);
        }
    }

    private static void assertFrames(String stream, List<DecodeError> errors, String... good) {
        ByteBuf wire = ascii(stream);
        try (FramePipe pipe = new FramePipe(new WatchFrameDecoder())) {
            List<ByteBuf> frames = pipe.write(wire).frames();
            assertEquals(errors, pipe.errors());
            assertEquals(List.of(good), text(frames));
            frames.forEach(ByteBuf::release);
            frames.forEach(frame -> assertEquals(0, frame.refCnt()));
            assertTrue(pipe.unexpected().isEmpty());
        }
        assertEquals(0, wire.refCnt());
    }

    static List<String> text(List<ByteBuf> frames) {
        return frames.stream().map(f -> f.toString(StandardCharsets.US_ASCII)).toList();
    }

    static ByteBuf ascii(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII);
    }
}
