package io.kuzet.protocol.kuzet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kuzet.protocol.DeviceMessage;
import io.kuzet.protocol.Fix;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

/** Frame authentication (docs/protocol.md §3.2): what verifies and what does not. */
class KuzetFrameMacTest {
    private static final byte[] SESSION_KEY = new byte[32];

    static {
        for (int i = 0; i < 32; i++) {
            SESSION_KEY[i] = (byte) (i * 7 + 3);
        }
    }

    private static ByteBuf sealedBatch(KuzetFrameMac device, long sequence) {
        DeviceMessage msg = new DeviceMessage();
        Fix fix = msg.addFix();
        fix.timeMs = 1_767_225_660_000L;
        fix.latE7 = 432_389_498;
        fix.lonE7 = 768_897_094;
        fix.flags = Fix.FLAG_VALID;
        ByteBuf out = Unpooled.buffer();
        KuzetEncoder.writePositionBatch(out, sequence, msg);
        device.seal(out, 0);
        return out;
    }

    @Test
    void sealedFramesOpenInOrderAndDecodeAsBefore() {
        KuzetFrameMac device = KuzetFrameMac.forDevice(SESSION_KEY);
        KuzetFrameMac server = KuzetFrameMac.forServer(SESSION_KEY);
        for (long seq = 1; seq <= 3; seq++) {
            ByteBuf frame = sealedBatch(device, seq);
            assertTrue(KuzetDecoder.isTagged(frame));
            assertTrue(server.open(frame), "frame " + seq);
            DeviceMessage decoded = new DeviceMessage();
            KuzetDecoder.decodeData(frame, decoded);
            assertEquals(seq, decoded.sequence);
            assertEquals(432_389_498, decoded.fix(0).latE7);
        }
        assertEquals(3, server.framesOpened());
    }

    @Test
    void everySingleBitFlippedInHeaderPayloadOrTagIsRefused() {
        ByteBuf genuine = sealedBatch(KuzetFrameMac.forDevice(SESSION_KEY), 7);
        int covered = genuine.readableBytes() - KuzetFrame.CRC_LENGTH;
        for (int at = 0; at < covered; at++) {
            for (int bit = 0; bit < 8; bit++) {
                ByteBuf altered = genuine.copy();
                altered.setByte(at, altered.getByte(at) ^ (1 << bit));
                KuzetFrameMac server = KuzetFrameMac.forServer(SESSION_KEY);
                boolean opened = KuzetFrame.tagLength(altered.getUnsignedByte(KuzetFrame.TYPE_OFFSET)) == KuzetFrame.TAG_LENGTH
                        && altered.getUnsignedShort(KuzetFrame.LENGTH_OFFSET) == genuine.getUnsignedShort(KuzetFrame.LENGTH_OFFSET)
                        && server.open(altered);
                assertFalse(opened, "byte " + at + " bit " + bit);
            }
        }
    }

    @Test
    void replayedAndReorderedFramesAreRefused() {
        KuzetFrameMac device = KuzetFrameMac.forDevice(SESSION_KEY);
        KuzetFrameMac server = KuzetFrameMac.forServer(SESSION_KEY);
        ByteBuf first = sealedBatch(device, 1);
        ByteBuf second = sealedBatch(device, 2);
        assertFalse(server.open(second), "second before first");
        assertTrue(server.open(first));
        assertFalse(server.open(first), "first again");
        assertTrue(server.open(second));
    }

    @Test
    void aFrameTaggedForOneDirectionDoesNotVerifyInTheOther() {
        ByteBuf fromDevice = sealedBatch(KuzetFrameMac.forDevice(SESSION_KEY), 1);
        assertFalse(KuzetFrameMac.forDevice(SESSION_KEY).open(fromDevice), "reflected back to the device");
        ByteBuf otherSession = sealedBatch(KuzetFrameMac.forDevice(new byte[32]), 1);
        assertFalse(KuzetFrameMac.forServer(SESSION_KEY).open(otherSession), "from another session");
    }

    @Test
    void untaggedFrameNeverOpens() {
        ByteBuf plain = Unpooled.buffer();
        KuzetEncoder.writeAck(plain, 1, 1);
        assertFalse(KuzetFrameMac.forDevice(SESSION_KEY).open(plain));
    }

    @Test
    void frameDecoderFramesTaggedFramesSplitAcrossReads() {
        ByteBuf sealed = sealedBatch(KuzetFrameMac.forDevice(SESSION_KEY), 1);
        EmbeddedChannel channel = new EmbeddedChannel(new KuzetFrameDecoder());
        while (sealed.isReadable()) {
            channel.writeInbound(sealed.readRetainedSlice(1));
        }
        sealed.release();
        ByteBuf frame = channel.readInbound();
        assertEquals(KuzetFrame.frameLength(1 + KuzetFrame.FIX_LENGTH) + KuzetFrame.TAG_LENGTH, frame.readableBytes());
        assertTrue(KuzetFrameMac.forServer(SESSION_KEY).open(frame));
        frame.release();
        assertFalse(channel.finish());
    }
}
