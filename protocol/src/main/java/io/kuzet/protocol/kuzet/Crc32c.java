package io.kuzet.protocol.kuzet;

import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.zip.CRC32C;

/**
 * CRC-32C (Castagnoli) over a region of a {@link ByteBuf}, without copying and without allocating.
 *
 * <p>Heap and single-buffer direct {@code ByteBuf}s go through {@link CRC32C}, which the JIT turns into the
 * SSE4.2/ARMv8 CRC instructions (about 0.1 ns per byte); anything else (composite buffers) falls back to a
 * table-driven loop. Thread-safe: each thread uses its own {@link CRC32C}.
 */
public final class Crc32c {
    private static final FastThreadLocal<CRC32C> CRC = new FastThreadLocal<>() {
        @Override
        protected CRC32C initialValue() {
            return new CRC32C();
        }
    };

    private static final int[] TABLE = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int crc = i;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc >>> 1) ^ (0x82F63B78 & -(crc & 1));
            }
            TABLE[i] = crc;
        }
    }

    /** The CRC-32C of {@code length} bytes from absolute {@code index}; reader and writer index are unchanged. */
    public static int of(ByteBuf buf, int index, int length) {
        if (buf.hasArray()) {
            CRC32C crc = CRC.get();
            crc.reset();
            crc.update(buf.array(), buf.arrayOffset() + index, length);
            return (int) crc.getValue();
        }
        if (buf.isDirect() && buf.nioBufferCount() == 1) {
            CRC32C crc = CRC.get();
            crc.reset();
            // internalNioBuffer reuses the buffer's cached view instead of allocating a new ByteBuffer
            crc.update(buf.internalNioBuffer(index, length));
            return (int) crc.getValue();
        }
        return byTable(buf, index, length);
    }

    static int byTable(ByteBuf buf, int index, int length) {
        int crc = 0xFFFFFFFF;
        for (int i = index, end = index + length; i < end; i++) {
            crc = (crc >>> 8) ^ TABLE[(crc ^ buf.getByte(i)) & 0xFF];
        }
        return ~crc;
    }

    private Crc32c() {
    }
}
