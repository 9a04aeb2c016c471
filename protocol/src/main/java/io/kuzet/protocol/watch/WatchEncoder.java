package io.kuzet.protocol.watch;

import io.kuzet.protocol.CivilTime;
import io.kuzet.protocol.Fix;
import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;

/**
 * Writes Watch frames: the replies a server owes a watch, and (device side, for tests and the simulator) the messages
 * a watch sends.
 *
 * <pre>
 * LK  -> [MF*ID*0002*LK]          AL, AL_LTE, ... -> [MF*ID*0002*AL]
 * TKQ -> [MF*ID*0003*TKQ]         TKQ2 -> [MF*ID*0004*TKQ2]          INIT -> [MF*ID*0006*INIT,1]
 * index form requests get the index echoed: [MF*ID*IIII*0002*AL]; UD, UD2 and the rest get no reply
 * </pre>
 *
 * <p>Stateless and thread-safe. A reply copies vendor, id and index from the request and allocates only a small
 * flyweight; the device-side writers allocate the vendor bytes and a date scratch array per message.
 */
public final class WatchEncoder {
    private static final byte[] INIT_REPLY = "INIT,1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] FULL_SIGNAL = ",100,".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NO_STEPS_NO_ROLLS = ",0,0,".getBytes(StandardCharsets.US_ASCII);

    private WatchEncoder() {
    }

    /**
     * Writes the reply {@code request} (a whole frame) expects, if any, and says whether it wrote one. Call it only
     * after what the request carried is durably stored.
     *
     * @throws io.kuzet.protocol.ProtocolException BAD_FRAMING when {@code request} is not a Watch frame
     */
    public static boolean writeReply(ByteBuf out, ByteBuf request) {
        WatchFrame f = new WatchFrame().wrap(request);
        byte[] content;
        if (f.typeIs(WatchMessageType.LK)) {
            content = WatchMessageType.LK;
        } else if (f.typeFamily(WatchMessageType.AL)) {
            content = WatchMessageType.AL;
        } else if (f.typeIs(WatchMessageType.TKQ)) {
            content = WatchMessageType.TKQ;
        } else if (f.typeIs(WatchMessageType.TKQ2)) {
            content = WatchMessageType.TKQ2;
        } else if (f.typeIs(WatchMessageType.INIT)) {
            content = INIT_REPLY;
        } else {
            return false;
        }
        // '[' MF '*' ID '*' [IIII '*'] copied from the request
        int headerEnd = f.indexStart() == WatchFrame.NO_INDEX ? f.idEnd() + 1 : f.indexStart() + 5;
        out.writeBytes(request, request.readerIndex(), headerEnd - request.readerIndex());
        writeHex(out, content.length, 4);
        out.writeByte('*').writeBytes(content).writeByte(']');
        return true;
    }

    /**
     * A server command {@code [MF*ID*LLLL*content]}, e.g. {@code UPLOAD,60}, {@code CR} or {@code FIND}. The device
     * answers with a frame whose type is the command word ({@code [MF*ID*0006*UPLOAD]}).
     *
     * @param vendorAndId the bytes {@code [MF*ID*} exactly as the device sends them (an id may have leading zeros)
     */
    public static void writeCommand(ByteBuf out, byte[] vendorAndId, CharSequence content) {
        int length = content.length();
        if (length > 0xFFFF) {
            throw new IllegalArgumentException("Watch command of " + length + " characters");
        }
        out.writeBytes(vendorAndId);
        writeHex(out, length, 4);
        out.writeByte('*');
        for (int i = 0; i < length; i++) {
            char c = content.charAt(i);
            if (c > 0x7E || c < 0x20 || c == '[' || c == ']' || c == '*') {
                throw new IllegalArgumentException("Watch command content must be printable ASCII without [ ] *");
            }
            out.writeByte(c);
        }
        out.writeByte(']');
    }

    /** The {@code [MF*ID*} prefix of {@code frame} (a whole Watch frame), to address commands to its device. */
    public static byte[] vendorAndId(ByteBuf frame) {
        WatchFrame f = new WatchFrame().wrap(frame);
        byte[] out = new byte[f.idEnd() + 1 - frame.readerIndex()];
        frame.getBytes(frame.readerIndex(), out);
        return out;
    }

    /** Device side: a heartbeat {@code LK,0,0,battery}. */
    public static void writeHeartbeat(ByteBuf out, String vendor, long id, int batteryPercent) {
        int lengthIndex = begin(out, vendor, id);
        out.writeBytes(WatchMessageType.LK);
        out.writeByte(',').writeByte('0').writeByte(',').writeByte('0').writeByte(',');
        writeUnsigned(out, batteryPercent);
        end(out, lengthIndex);
    }

    /** Device side: a UD (or, with {@code ud2}, a buffered UD2) location with battery 100 %. */
    public static void writeLocation(ByteBuf out, String vendor, long id, Fix fix, boolean ud2, int statusWord) {
        writeLocation(out, vendor, id, ud2 ? WatchMessageType.UD2 : WatchMessageType.UD, fix, 100, statusWord);
    }

    /** Device side: a location message of {@code type} ("UD", "UD2", "AL", "AL_LTE", ...). */
    public static void writeLocation(ByteBuf out, String vendor, long id, String type, Fix fix, int batteryPercent,
                                     int statusWord) {
        writeLocation(out, vendor, id, type.getBytes(StandardCharsets.US_ASCII), fix, batteryPercent, statusWord);
    }

    private static void writeLocation(ByteBuf out, String vendor, long id, byte[] type, Fix fix, int batteryPercent,
                                      int statusWord) {
        int lengthIndex = begin(out, vendor, id);
        out.writeBytes(type).writeByte(',');
        int[] t = new int[6];
        CivilTime.fromEpochMs(fix.timeMs, t);
        writeTwoDigits(out, t[2]);
        writeTwoDigits(out, t[1]);
        writeTwoDigits(out, t[0] % 100);
        out.writeByte(',');
        writeTwoDigits(out, t[3]);
        writeTwoDigits(out, t[4]);
        writeTwoDigits(out, t[5]);
        out.writeByte(',').writeByte(fix.isValid() ? 'A' : 'V').writeByte(',');
        writeScaled(out, Math.abs((long) fix.latE7), 7);
        out.writeByte(',').writeByte(fix.latE7 < 0 ? 'S' : 'N').writeByte(',');
        writeScaled(out, Math.abs((long) fix.lonE7), 7);
        out.writeByte(',').writeByte(fix.lonE7 < 0 ? 'W' : 'E').writeByte(',');
        writeScaled(out, fix.speedKmhX10, 1);
        out.writeByte(',');
        writeUnsigned(out, fix.headingDeg);
        out.writeByte(',');
        if (fix.altitudeM < 0) {
            out.writeByte('-');
        }
        writeUnsigned(out, Math.abs((long) fix.altitudeM));
        out.writeByte(',');
        writeUnsigned(out, fix.satellites);
        out.writeBytes(FULL_SIGNAL);  // GSM signal %
        writeUnsigned(out, batteryPercent);
        out.writeBytes(NO_STEPS_NO_ROLLS);
        writeHex(out, statusWord, 8);
        end(out, lengthIndex);
    }

    /** Writes {@code [MF*ID*0000*} and returns the index of the length placeholder. */
    private static int begin(ByteBuf out, String vendor, long id) {
        out.writeByte('[').writeBytes(vendor.getBytes(StandardCharsets.US_ASCII)).writeByte('*');
        writeUnsigned(out, id);
        out.writeByte('*');
        int lengthIndex = out.writerIndex();
        out.writeBytes(new byte[] {'0', '0', '0', '0', '*'});
        return lengthIndex;
    }

    /** Closes the frame and fills in the content length. */
    private static void end(ByteBuf out, int lengthIndex) {
        int contentLength = out.writerIndex() - (lengthIndex + 5);
        int writerIndex = out.writerIndex();
        out.writerIndex(lengthIndex);
        writeHex(out, contentLength, 4);
        out.writerIndex(writerIndex).writeByte(']');
    }

    private static void writeHex(ByteBuf out, int value, int digits) {
        for (int shift = 4 * (digits - 1); shift >= 0; shift -= 4) {
            out.writeByte(Character.toUpperCase(Character.forDigit(value >> shift & 0xF, 16)));
        }
    }

    private static void writeTwoDigits(ByteBuf out, int value) {
        out.writeByte('0' + value / 10).writeByte('0' + value % 10);
    }

    private static void writeUnsigned(ByteBuf out, long value) {
        if (value >= 10) {
            writeUnsigned(out, value / 10);
        }
        out.writeByte('0' + (int) (value % 10));
    }

    /** {@code value / 10^scale} with exactly {@code scale} decimals. */
    private static void writeScaled(ByteBuf out, long value, int scale) {
        long pow = 1;
        for (int i = 0; i < scale; i++) {
            pow *= 10;
        }
        writeUnsigned(out, value / pow);
        if (scale > 0) {
            out.writeByte('.');
            for (long digit = pow / 10; digit >= 1; digit /= 10) {
                out.writeByte('0' + (int) (value / digit % 10));
            }
        }
    }
}
