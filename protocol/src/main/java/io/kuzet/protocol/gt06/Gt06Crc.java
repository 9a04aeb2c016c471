package io.kuzet.protocol.gt06;

import io.netty.buffer.ByteBuf;

/**
 * CRC-16/X25 (ITU-T, polynomial 0x1021 reflected as 0x8408, init 0xFFFF, final xor 0xFFFF), the checksum GT06 frames
 * carry over length..serial. Check value: {@code "123456789"} gives {@code 0x906E}.
 *
 * <p>Stateless and thread-safe; one table lookup per byte, no allocation.
 */
public final class Gt06Crc {
    private static final int[] TABLE = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int crc = i;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0x8408 : crc >>> 1;
            }
            TABLE[i] = crc;
        }
    }

    private Gt06Crc() {
    }

    /** CRC of {@code length} bytes of {@code buf} from absolute index {@code from}; reader index untouched. */
    public static int compute(ByteBuf buf, int from, int length) {
        int crc = 0xFFFF;
        for (int i = from, end = from + length; i < end; i++) {
            crc = (crc >>> 8) ^ TABLE[(crc ^ buf.getByte(i)) & 0xFF];
        }
        return ~crc & 0xFFFF;
    }
}
