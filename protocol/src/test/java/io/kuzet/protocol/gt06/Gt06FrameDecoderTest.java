package io.kuzet.protocol.gt06;

import io.kuzet.protocol.DecodeError;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Gt06FrameDecoderTest {
    static final String LOGIN = "78780D01086471700328358100093F040D0A";
    static final String GPS_0X12 = "78781f120f0a140e150bc505e51e780293a9e800540000f601006e0055da00035f240d0a";
    static final String BAD_CRC_0X12 = "78781F120B081D112E10CC027AC7EB0C46584900148F01CC00287D001FB8000380810D0A";
    static final String EXTENDED_0X94 = "79790008940000ed0289d6860d0a";

    @Test
    void crcCheckValueMatchesX25Catalogue() {
        ByteBuf check = Unpooled.copiedBuffer("123456789".getBytes());
        assertEquals(0x906E, Gt06Crc.compute(check, 0, 9));
        check.release();
    }

    @Test
    void badCrcFrameIsRefusedAndTheNextGoodFrameInTheSameReadStillDecodes() {
        assertRefusedThenGoodFrame(BAD_CRC_0X12 + GPS_0X12, List.of(DecodeError.BAD_CRC));
    }

    @Test
    void garbageBeforeAFrameIsSkippedWithOneFramingError() {
        assertRefusedThenGoodFrame("00FF1234787D0A" + GPS_0X12, List.of(DecodeError.BAD_FRAMING));
    }

    @Test
    void truncatedFrameFollowedByAGoodFrameIsRefusedAndResynchronises() {
        String truncated = GPS_0X12.substring(0, 40);
        List<ByteBuf> frames = new ArrayList<>();
        try (FramePipe pipe = new FramePipe(new Gt06FrameDecoder())) {
            frames.addAll(pipe.write(hex(truncated + GPS_0X12 + LOGIN)).frames());
            assertEquals(List.of(DecodeError.BAD_FRAMING), pipe.errors());
            assertEquals(List.of(GPS_0X12, LOGIN.toLowerCase()), hexes(frames));
        } finally {
            frames.forEach(ByteBuf::release);
        }
    }

    @Test
    void streamClosedInsideAFrameReportsTruncated() {
        try (FramePipe pipe = new FramePipe(new Gt06FrameDecoder())) {
            List<ByteBuf> frames = pipe.write(hex(LOGIN + GPS_0X12.substring(0, 30))).finish().frames();
            assertEquals(List.of(LOGIN.toLowerCase()), hexes(frames));
            frames.forEach(ByteBuf::release);
            assertEquals(List.of(DecodeError.TRUNCATED), pipe.errors());
        }
    }

    @Test
    void lengthBeyondTheCapIsRefusedAsOversizedBeforeBuffering() {
        assertRefusedThenGoodFrame("7979FFF0" + GPS_0X12, List.of(DecodeError.OVERSIZED));
    }

    @Test
    void lengthBelowTheMinimumIsAFramingError() {
        assertRefusedThenGoodFrame("787803" + GPS_0X12, List.of(DecodeError.BAD_FRAMING));
    }

    @Test
    void missingTerminatorIsAFramingError() {
        String noStop = GPS_0X12.substring(0, GPS_0X12.length() - 4) + "0000";
        try (FramePipe pipe = new FramePipe(new Gt06FrameDecoder())) {
            List<ByteBuf> frames = pipe.write(hex(noStop + LOGIN)).frames();
            assertEquals(List.of(LOGIN.toLowerCase()), hexes(frames));
            frames.forEach(ByteBuf::release);
            assertEquals(List.of(DecodeError.BAD_FRAMING), pipe.errors());
        }
    }

    @Test
    void extendedFramesWithTwoByteLengthAreCut() {
        assertRefusedThenGoodFrame(EXTENDED_0X94 + GPS_0X12, List.of(), EXTENDED_0X94, GPS_0X12);
    }

    @Test
    void frameSplitIntoOneByteReadsDecodesAsInOneRead() {
        String stream = LOGIN + BAD_CRC_0X12 + EXTENDED_0X94 + GPS_0X12;
        List<String> oneRead;
        List<DecodeError> oneReadErrors;
        try (FramePipe pipe = new FramePipe(new Gt06FrameDecoder())) {
            List<ByteBuf> frames = pipe.write(hex(stream)).frames();
            oneRead = hexes(frames);
            frames.forEach(ByteBuf::release);
            oneReadErrors = List.copyOf(pipe.errors());
        }
        try (FramePipe pipe = new FramePipe(new Gt06FrameDecoder())) {
            List<ByteBuf> frames = new ArrayList<>();
            for (byte b : ByteBufUtil.decodeHexDump(stream)) {
                frames.addAll(pipe.write(Unpooled.wrappedBuffer(new byte[] {b})).frames());
            }
            assertEquals(oneRead, hexes(frames));
            frames.forEach(ByteBuf::release);
            assertEquals(oneReadErrors, pipe.errors());
        }
        assertEquals(3, oneRead.size());
        assertEquals(List.of(DecodeError.BAD_CRC), oneReadErrors);
    }

    private static void assertRefusedThenGoodFrame(String stream, List<DecodeError> errors) {
        assertRefusedThenGoodFrame(stream, errors, GPS_0X12);
    }

    private static void assertRefusedThenGoodFrame(String stream, List<DecodeError> errors, String... good) {
        ByteBuf wire = hex(stream);
        try (FramePipe pipe = new FramePipe(new Gt06FrameDecoder())) {
            List<ByteBuf> frames = pipe.write(wire).frames();
            assertEquals(errors, pipe.errors());
            assertEquals(List.of(good).stream().map(String::toLowerCase).toList(), hexes(frames));
            frames.forEach(ByteBuf::release);
            frames.forEach(frame -> assertEquals(0, frame.refCnt()));
            assertTrue(pipe.unexpected().isEmpty());
        }
        assertEquals(0, wire.refCnt());
    }

    static ByteBuf hex(String hex) {
        return Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(hex));
    }

    static List<String> hexes(List<ByteBuf> frames) {
        return frames.stream().map(ByteBufUtil::hexDump).toList();
    }
}
