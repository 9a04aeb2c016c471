package io.kuzet.protocol.gt06;

import io.kuzet.protocol.DeviceMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Decoding GT06 frames into a reused {@link DeviceMessage} must not allocate: it runs for every fix. */
class Gt06DecoderAllocationTest {
    private static final int ROUNDS = 10_000;

    @Test
    void decodingLocationAlarmAndHeartbeatFramesIntoAReusedMessageAllocatesNothing() {
        ByteBuf location = hex(Gt06FrameDecoderTest.GPS_0X12);
        ByteBuf alarm = hex("7878251613020C12141AC5027951430C2A16F60014000900000000001A00007C550300020002F1E70D0A");
        ByteBuf heartbeat = hex("78780a13c40604000201298f5b0d0a");
        Gt06Decoder decoder = new Gt06Decoder(() -> 0L);
        DeviceMessage out = new DeviceMessage();
        long[] fixes = new long[1];
        long allocated = Allocations.bytesAllocatedBy(() -> {
            for (int i = 0; i < ROUNDS; i++) {
                decoder.decode(location, out);
                fixes[0] += out.fixCount();
                decoder.decode(alarm, out);
                fixes[0] += out.fixCount() + out.eventCount();
                decoder.decode(heartbeat, out);
                fixes[0] += out.fixCount();
            }
        });
        assertTrue(allocated < 512, allocated + " bytes allocated by " + 3 * ROUNDS + " decodes");
        assertEquals(2L * ROUNDS * 3, fixes[0]);
        location.release();
        alarm.release();
        heartbeat.release();
    }

    private static ByteBuf hex(String hex) {
        return Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(hex));
    }
}
