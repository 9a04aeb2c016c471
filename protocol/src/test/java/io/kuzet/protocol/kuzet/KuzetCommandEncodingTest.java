package io.kuzet.protocol.kuzet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

/** COMMAND frames as the server writes them equal the vectors of docs/protocol.md §8 byte for byte. */
class KuzetCommandEncodingTest {

    @Test
    void vibrateAndRequestStatusEqualTheSpecVectors() {
        assertEquals("4b5a0130000900000005" + "00001b5903000005dc" + "f50af2d9", command(5, 7001, KuzetCommands.VIBRATE, 1500));
        assertEquals("4b5a0130000900000006" + "00001b5a0500000000" + "ca7f7525", command(6, 7002, KuzetCommands.REQUEST_STATUS, 0));
    }

    @Test
    void requestStatusIsAValidCode() {
        ByteBuf out = Unpooled.buffer();
        KuzetEncoder.writeCommand(out, 6, 7002, KuzetCommands.REQUEST_STATUS, 0);
        assertEquals(KuzetCommands.REQUEST_STATUS, KuzetDecoder.commandCode(out));
        out.release();
    }

    private static String command(long seq, long id, int code, long param) {
        ByteBuf out = Unpooled.buffer();
        KuzetEncoder.writeCommand(out, seq, id, code, param);
        String hex = ByteBufUtil.hexDump(out);
        out.release();
        return hex;
    }
}
