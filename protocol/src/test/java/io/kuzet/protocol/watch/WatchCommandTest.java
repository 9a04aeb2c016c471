package io.kuzet.protocol.watch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kuzet.protocol.DeviceMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Watch server commands and the answers that name them. Command bytes are checked against Traccar's
 * WatchProtocolEncoderTest ({@code [CS*123456789012345*0005*RESET]}) and the SeTracker command words.
 */
class WatchCommandTest {
    private static final byte[] CS = "[CS*123456789012345*".getBytes(StandardCharsets.US_ASCII);

    @Test
    void commandMatchesTraccarEncoderBytes() {
        assertEquals("[CS*123456789012345*0005*RESET]", command(CS, "RESET"));
    }

    @Test
    void kuzetCommandWordsWithHexLength() {
        byte[] sg = "[3G*0012345678*".getBytes(StandardCharsets.US_ASCII);
        assertEquals("[3G*0012345678*0009*UPLOAD,15]", command(sg, "UPLOAD,15"));
        assertEquals("[3G*0012345678*000A*UPLOAD,600]", command(sg, "UPLOAD,600"));
        assertEquals("[3G*0012345678*0002*CR]", command(sg, "CR"));
        assertEquals("[3G*0012345678*0004*FIND]", command(sg, "FIND"));
    }

    @Test
    void addressIsCopiedFromTheDevicesFrameKeepingLeadingZeros() {
        ByteBuf heartbeat = ascii("[3G*0012345678*0009*LK,0,0,90]");
        assertArrayEquals("[3G*0012345678*".getBytes(StandardCharsets.US_ASCII), WatchEncoder.vendorAndId(heartbeat));
    }

    @Test
    void answerNamesTheCommandWordAndIsNotStored() {
        WatchDecoder decoder = new WatchDecoder(() -> 0L);
        for (String word : new String[] {"UPLOAD", "CR", "FIND"}) {
            ByteBuf answer = ascii("[3G*0012345678*" + String.format("%04X", word.length()) + "*" + word + "]");
            assertTrue(new WatchFrame().wrap(answer).typeIs(word.getBytes(StandardCharsets.US_ASCII)), word);
            assertEquals(WatchDecoder.Result.IGNORED, decoder.decode(answer, new DeviceMessage()));
        }
    }

    private static String command(byte[] address, String content) {
        ByteBuf out = Unpooled.buffer();
        WatchEncoder.writeCommand(out, address, content);
        return out.toString(StandardCharsets.US_ASCII);
    }

    private static ByteBuf ascii(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.US_ASCII);
    }
}
