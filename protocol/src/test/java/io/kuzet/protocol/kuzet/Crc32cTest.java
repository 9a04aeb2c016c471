package io.kuzet.protocol.kuzet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Crc32cTest {
    private static final byte[] CHECK_INPUT = "xx123456789".getBytes(StandardCharsets.US_ASCII);
    private static final int CHECK_VALUE = 0xE3069283; // CRC-32C of "123456789" (RFC 3720 / Castagnoli)

    @Test
    void heapBufferGivesTheStandardCheckValue() {
        assertEquals(CHECK_VALUE, Crc32c.of(Unpooled.wrappedBuffer(CHECK_INPUT), 2, 9));
    }

    @Test
    void pooledDirectBufferGivesTheStandardCheckValueAndKeepsItsIndexes() {
        ByteBuf direct = PooledByteBufAllocator.DEFAULT.directBuffer();
        try {
            direct.writeBytes(CHECK_INPUT);
            direct.readerIndex(1);
            assertEquals(CHECK_VALUE, Crc32c.of(direct, 2, 9));
            assertEquals(1, direct.readerIndex());
            assertEquals(CHECK_INPUT.length, direct.writerIndex());
        } finally {
            direct.release();
        }
    }

    @Test
    void compositeBufferFallsBackToTheTableWithTheSameResult() {
        CompositeByteBuf composite = Unpooled.compositeBuffer();
        composite.addComponents(true, Unpooled.wrappedBuffer(CHECK_INPUT, 0, 5), Unpooled.wrappedBuffer(CHECK_INPUT, 5, 6));
        try {
            assertEquals(CHECK_VALUE, Crc32c.of(composite, 2, 9));
            assertEquals(CHECK_VALUE, Crc32c.byTable(Unpooled.wrappedBuffer(CHECK_INPUT), 2, 9));
        } finally {
            composite.release();
        }
    }
}
