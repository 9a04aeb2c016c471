package io.kuzet.protocol.kuzet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

/** SipHash-2-4 against the reference implementation's published vector (key 00..0f, message 00..0e). */
class SipHash24Test {
    private static final byte[] KEY = new byte[16];

    static {
        for (int i = 0; i < 16; i++) {
            KEY[i] = (byte) i;
        }
    }

    private static long referenceMessage(int length) {
        ByteBuf rest = Unpooled.buffer();
        for (int i = 8; i < length; i++) {
            rest.writeByte(i);
        }
        // the first 8 message bytes 00..07, read little-endian, are the prefix word
        return SipHash24.hash(SipHash24.littleEndian(KEY, 0), SipHash24.littleEndian(KEY, 8), 0x0706050403020100L,
                rest, 0, rest.readableBytes());
    }

    @Test
    void fifteenByteMessageMatchesThePaperVector() {
        assertEquals(0xa129ca6149be45e5L, referenceMessage(15));
    }

    @Test
    void messagesOfEveryTailLengthDiffer() {
        for (int length = 8; length < 24; length++) {
            assertNotEquals(referenceMessage(length), referenceMessage(length + 1), "length " + length);
        }
    }
}
