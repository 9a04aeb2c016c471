package io.kuzet.protocol.watch;

import io.kuzet.protocol.DeviceMessage;
import io.kuzet.protocol.gt06.Allocations;
import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Watch protocol is text, but numbers are parsed from the buffer: decoding must not allocate per frame. */
class WatchDecoderAllocationTest {
    private static final int ROUNDS = 10_000;

    @Test
    void decodingLocationAlarmAndHeartbeatFramesIntoAReusedMessageAllocatesNothing() {
        ByteBuf location = WatchThirdPartyVectorTest.ascii("[3G*2104326058*00E9*UD_LTE,300621,135101,A,32.162652,N,"
                + "34.888748,E,30.84,265.158,65.621,18,100,83,0,0,00000000,1,1,425,01,10223,8012811,100,3,ES4104,"
                + "22:74:1d:39:64:ff,-46,metropoline-wifi,a8:3f:a1:e0:66:ba,-89,Egged.co.il,00:0c:42:51:cf:cd,-81,1.7055488]");
        ByteBuf alarm = WatchThirdPartyVectorTest.ascii(WatchFrameDecoderTest.AL_LTE);
        ByteBuf heartbeat = WatchThirdPartyVectorTest.ascii(WatchFrameDecoderTest.LK);
        WatchDecoder decoder = new WatchDecoder(() -> 0L);
        DeviceMessage out = new DeviceMessage();
        long[] counted = new long[1];
        long allocated = Allocations.bytesAllocatedBy(() -> {
            for (int i = 0; i < ROUNDS; i++) {
                decoder.decode(location, out);
                counted[0] += out.fixCount();
                decoder.decode(alarm, out);
                counted[0] += out.fixCount() + out.eventCount();
                decoder.decode(heartbeat, out);
                counted[0] += out.heartbeat ? 1 : 0;
            }
        });
        assertTrue(allocated < 512, allocated + " bytes allocated by " + 3 * ROUNDS + " decodes");
        assertEquals(2L * ROUNDS * 4, counted[0]);
        location.release();
        alarm.release();
        heartbeat.release();
    }
}
