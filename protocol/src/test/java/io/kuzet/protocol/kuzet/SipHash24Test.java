package io.kuzet.protocol.kuzet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
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

    /** The reference algorithm over a byte array, byte by byte, for comparison at every length. */
    private static long reference(byte[] key, byte[] msg) {
        long k0 = SipHash24.littleEndian(key, 0);
        long k1 = SipHash24.littleEndian(key, 8);
        long[] v = {k0 ^ 0x736f6d6570736575L, k1 ^ 0x646f72616e646f6dL, k0 ^ 0x6c7967656e657261L, k1 ^ 0x7465646279746573L};
        int words = msg.length / 8;
        for (int w = 0; w <= words; w++) {
            long m = 0;
            if (w < words) {
                m = SipHash24.littleEndian(msg, 8 * w);
            } else {
                for (int i = 8 * words; i < msg.length; i++) {
                    m |= (msg[i] & 0xFFL) << (8 * (i - 8 * words));
                }
                m |= ((long) msg.length) << 56;
            }
            v[3] ^= m;
            round(v);
            round(v);
            v[0] ^= m;
        }
        v[2] ^= 0xff;
        for (int r = 0; r < 4; r++) {
            round(v);
        }
        return v[0] ^ v[1] ^ v[2] ^ v[3];
    }

    private static void round(long[] v) {
        v[0] += v[1]; v[1] = Long.rotateLeft(v[1], 13); v[1] ^= v[0]; v[0] = Long.rotateLeft(v[0], 32);
        v[2] += v[3]; v[3] = Long.rotateLeft(v[3], 16); v[3] ^= v[2];
        v[0] += v[3]; v[3] = Long.rotateLeft(v[3], 21); v[3] ^= v[0];
        v[2] += v[1]; v[1] = Long.rotateLeft(v[1], 17); v[1] ^= v[2]; v[2] = Long.rotateLeft(v[2], 32);
    }

    @Test
    void agreesWithTheByteByByteReferenceAtEveryLengthAndOffset() {
        for (int length = 8; length <= 64; length++) {
            byte[] msg = new byte[length];
            for (int i = 0; i < length; i++) {
                msg[i] = (byte) (i * 37 + 11);
            }
            ByteBuf buf = Unpooled.buffer();
            buf.writeZero(3);                      // region not at index 0
            buf.writeBytes(msg, 8, length - 8);
            buf.writeZero(5);                      // bytes after the region must not count
            long hash = SipHash24.hash(SipHash24.littleEndian(KEY, 0), SipHash24.littleEndian(KEY, 8),
                    SipHash24.littleEndian(msg, 0), buf, 3, length - 8);
            assertEquals(reference(KEY, msg), hash, "length " + length);
        }
        assertEquals(0xa129ca6149be45e5L, reference(KEY, new byte[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14}));
    }

    /** Frames arrive in pooled direct buffers, often slices: the direct-memory path gives the same hashes. */
    @Test
    void directAndSlicedPooledBuffersHashAsTheReferenceDoes() {
        for (int length = 8; length <= 64; length++) {
            byte[] msg = new byte[length];
            for (int i = 0; i < length; i++) {
                msg[i] = (byte) (i * 37 + 11);
            }
            ByteBuf pooled = PooledByteBufAllocator.DEFAULT.directBuffer(128);
            try {
                pooled.writeZero(7);
                pooled.writeBytes(msg, 8, length - 8);
                pooled.writeZero(5);
                ByteBuf slice = pooled.slice(2, pooled.readableBytes() - 2); // the region starts at index 5 of the slice
                long k0 = SipHash24.littleEndian(KEY, 0);
                long k1 = SipHash24.littleEndian(KEY, 8);
                assertEquals(reference(KEY, msg), SipHash24.hash(k0, k1, SipHash24.littleEndian(msg, 0), pooled, 7, length - 8),
                        "direct, length " + length);
                assertEquals(reference(KEY, msg), SipHash24.hash(k0, k1, SipHash24.littleEndian(msg, 0), slice, 5, length - 8),
                        "slice, length " + length);
            } finally {
                pooled.release();
            }
        }
    }

    @Test
    void messagesOfEveryTailLengthDiffer() {
        for (int length = 8; length < 24; length++) {
            assertNotEquals(referenceMessage(length), referenceMessage(length + 1), "length " + length);
        }
    }
}
