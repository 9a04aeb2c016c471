package io.kuzet.protocol.gt06;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

/**
 * The GT06 online command (0x80) and the device's answers (0x21, 0x15), against third-party frames: the command
 * bytes Traccar's Gt06ProtocolEncoderTest expects, and answers recorded from devices in Traccar's
 * Gt06ProtocolDecoderTest and in our third-party vector file.
 */
class Gt06OnlineCommandTest {

    @Test
    void onlineCommandMatchesTraccarEncoderBytes() {
        // Traccar Gt06ProtocolEncoderTest: engine stop "Relay,1#", server flag 0, serial 0
        assertEquals("787812800c0000000052656c61792c312300009dee0d0a", encode(0, "Relay,1#", 0));
        // an earlier revision: "DYD,000000#" (its even older "DYD#" vector carries a CRC that is not CRC-16/X25)
        assertEquals("787815800f000000004459442c303030303030230000e6c40d0a", encode(0, "DYD,000000#", 0));
    }

    @Test
    void ourCommandTextsCarryTheServerFlagAndPassTheFrameDecoder() {
        ByteBuf out = Unpooled.buffer();
        Gt06Encoder.writeOnlineCommand(out, 0x01020304L, "TIMER,15#", 7);
        EmbeddedChannel ch = new EmbeddedChannel(new Gt06FrameDecoder(1024));
        ch.writeInbound(out);
        ByteBuf frame = ch.readInbound();
        assertEquals(Gt06ProtocolNumber.ONLINE_COMMAND, Gt06Frame.protocolNumber(frame));
        assertEquals(4 + 9, frame.getUnsignedByte(Gt06Frame.infoStart(frame)));
        assertEquals(0x01020304L, frame.getUnsignedInt(Gt06Frame.infoStart(frame) + 1));
        assertEquals(7, Gt06Frame.serial(frame));
        frame.release();
        ch.finishAndReleaseAll();
    }

    @Test
    void answer0x21InAsciiGivesFlagAndText() {
        // Traccar Gt06ProtocolDecoderTest: 79 79 extended, encoding 1 (ASCII); its CRC is wrong (Traccar never checks
        // one), so it is read as a whole frame without the frame decoder
        ByteBuf frame = raw("7979006f210000000001426174746572793a352e3536562c4e4f524d414c3b20475052532a4c696e6b2055702047534d"
                + "205369676e616c204c6576656c3a5374726f6e673b204750533a4f46463b2020204c4f434b3a4f46463b204254204d41433a4234413832"
                + "383034343436323b007260880d0a");
        assertTrue(Gt06CommandReply.isReply(frame));
        assertEquals(0, Gt06CommandReply.serverFlag(frame));
        assertEquals("Battery:5.56V,NORMAL; GPRS*Link Up GSM Signal Level:Strong; GPS:OFF;   LOCK:OFF; BT MAC:B4A828044462;",
                Gt06CommandReply.text(frame));
    }

    @Test
    void answer0x21InUtf16GivesText() {
        // Traccar Gt06ProtocolDecoderTest: encoding 2 (UTF-16BE)
        ByteBuf frame = frame("797900262100000000020043006f006d006d0061006e00640020006500720072006f0072002100236e850d0a");
        assertTrue(Gt06CommandReply.isReply(frame));
        assertEquals("Command error!", Gt06CommandReply.text(frame));
    }

    @Test
    void answer0x15GivesFlagAndTextWithOrWithoutLanguage() {
        // Traccar Gt06ProtocolDecoderTest (ICCID query answer) and our third-party file (fuel relay answer)
        ByteBuf iccid = frame("7878281520000000003c49434349443a38393838323339303030303039373330323635303e00020d446f260d0a");
        assertEquals("<ICCID:89882390000097302650>", Gt06CommandReply.text(iccid));
        ByteBuf fuel = frame("787829152100000000526573746f7265206675656c20737570706c793a2053756363657373210002014077ce0d0a");
        assertEquals(0, Gt06CommandReply.serverFlag(fuel));
        assertEquals("Restore fuel supply: Success!", Gt06CommandReply.text(fuel));
    }

    @Test
    void answerEchoesOurServerFlag() {
        ByteBuf out = Unpooled.buffer();
        // what a device sends back for flag 42: 0x21, ASCII "OK!"
        out.writeShort(0x7878).writeByte(0).writeByte(0x21).writeInt(42).writeByte(1).writeBytes("OK!".getBytes())
                .writeShort(3);
        out.setByte(2, out.writerIndex() - 3 + 2);
        out.writeShort(Gt06Crc.compute(out, 2, out.writerIndex() - 2)).writeShort(0x0D0A);
        ByteBuf frame = frame(ByteBufUtil.hexDump(out));
        assertEquals(42, Gt06CommandReply.serverFlag(frame));
        assertEquals("OK!", Gt06CommandReply.text(frame));
        assertFalse(Gt06CommandReply.isReply(frame("787805120099abec0d0a")));
    }

    private static String encode(long flag, String text, int serial) {
        ByteBuf out = Unpooled.buffer();
        Gt06Encoder.writeOnlineCommand(out, flag, text, serial);
        return ByteBufUtil.hexDump(out);
    }

    private static ByteBuf raw(String hex) {
        return Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(hex));
    }

    /** The frame as the frame decoder emits it (CRC checked). */
    private static ByteBuf frame(String hex) {
        EmbeddedChannel ch = new EmbeddedChannel(new Gt06FrameDecoder(1024));
        ch.writeInbound(Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(hex)));
        ByteBuf frame = ch.readInbound();
        if (frame == null) {
            throw new AssertionError("frame decoder refused " + hex);
        }
        ByteBuf copy = Unpooled.copiedBuffer(frame);
        frame.release();
        ch.finishAndReleaseAll();
        return copy;
    }
}
