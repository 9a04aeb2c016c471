package io.kuzet.protocol.kuzet;

import io.kuzet.protocol.DeviceEventType;
import io.kuzet.protocol.DeviceMessage;
import io.kuzet.protocol.Fix;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

/** Small valid frames for tests, as byte arrays. */
final class Frames {
    static final long T0 = 1_767_225_600_000L; // 2026-01-01T00:00:00Z

    private Frames() {
    }

    static byte[] positions(long seq, int fixes) {
        DeviceMessage message = new DeviceMessage();
        for (int i = 0; i < fixes; i++) {
            Fix fix = message.addFix();
            fix.timeMs = T0 + i * 1000L;
            fix.latE7 = 432_389_498 + i;
            fix.lonE7 = 768_897_094 - i;
            fix.altitudeM = 850;
            fix.speedKmhX10 = 42;
            fix.headingDeg = 270;
            fix.accuracyDm = 35;
            fix.hdopX10 = 9;
            fix.satellites = 11;
            fix.flags = Fix.FLAG_VALID;
        }
        return bytes(out -> KuzetEncoder.writePositionBatch(out, seq, message));
    }

    static byte[] events(long seq) {
        DeviceMessage message = new DeviceMessage();
        message.addEvent(T0, DeviceEventType.STRAP_TAMPER, DeviceMessage.UNKNOWN);
        return bytes(out -> KuzetEncoder.writeDeviceEvents(out, seq, message));
    }

    static byte[] heartbeat(long seq) {
        return bytes(out -> KuzetEncoder.writeHeartbeat(out, seq, T0, 80, 60, false));
    }

    static byte[] ack(long seq) {
        return bytes(out -> KuzetEncoder.writeAck(out, seq, seq));
    }

    interface Writer {
        void write(ByteBuf out);
    }

    static byte[] bytes(Writer writer) {
        ByteBuf out = Unpooled.buffer();
        writer.write(out);
        byte[] bytes = ByteBufUtil.getBytes(out);
        out.release();
        return bytes;
    }

    /** Recomputes the CRC of a whole frame after a test changed its bytes on purpose. */
    static byte[] withFixedCrc(byte[] frame) {
        ByteBuf buf = Unpooled.wrappedBuffer(frame);
        int end = frame.length - KuzetFrame.CRC_LENGTH;
        buf.setInt(end, Crc32c.of(buf, 0, end));
        return frame;
    }

    static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        byte[] all = new byte[length];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }

    static String hex(byte[] bytes) {
        return ByteBufUtil.hexDump(bytes);
    }
}
