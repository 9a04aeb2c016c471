package io.kuzet.protocol.gt06;

import io.kuzet.protocol.CivilTime;
import io.kuzet.protocol.Fix;
import io.netty.buffer.ByteBuf;

/**
 * Writes GT06 frames: the replies a server owes a device, and (device side, for tests and the simulator) the
 * messages a device sends.
 *
 * <pre>
 * ack:           78 78 | 05 | PROTO | SERIAL(2) | CRC(2) | 0D 0A        (79 79 | 00 05 | ... for extended requests)
 * time response: 78 78 | 0B | 8A | YY MM DD hh mm ss (UTC) | 00 00 | CRC(2) | 0D 0A
 * command:       78 78 | LEN | 80 | 4 + n | SERVER FLAG(4) | n ASCII bytes | SERIAL(2) | CRC(2) | 0D 0A
 * </pre>
 *
 * <p>Stateless and thread-safe. Replies allocate nothing; the device-side writers allocate a small scratch array.
 */
public final class Gt06Encoder {
    private Gt06Encoder() {
    }

    /** The 10-byte (or 11-byte extended) ack echoing {@code protocolNumber} and {@code serial}. */
    public static void writeAck(ByteBuf out, boolean extended, int protocolNumber, int serial) {
        int start = out.writerIndex();
        if (extended) {
            out.writeShort(Gt06Frame.START_EXTENDED).writeShort(5);
        } else {
            out.writeShort(Gt06Frame.START_STANDARD).writeByte(5);
        }
        out.writeByte(protocolNumber).writeShort(serial);
        finishCrc(out, start);
    }

    /** The answer to a time request (0x8A): the server's UTC time. Devices expect serial 0 here. */
    public static void writeTimeResponse(ByteBuf out, long nowMs) {
        int start = begin(out, Gt06ProtocolNumber.TIME_REQUEST);
        writeDateTime(out, nowMs);
        finish(out, start, 0);
    }

    /**
     * The online command (0x80): {@code text} (ASCII, e.g. {@code WHERE#}) under a 4-byte server flag the device echoes
     * in its answer (0x21 or 0x15, read with {@link Gt06CommandReply}), so the answer can be matched to the command.
     */
    public static void writeOnlineCommand(ByteBuf out, long serverFlag, CharSequence text, int serial) {
        int length = text.length();
        if (length > 200) {
            throw new IllegalArgumentException("GT06 command text of " + length + " characters; at most 200 fit a frame");
        }
        int start = begin(out, Gt06ProtocolNumber.ONLINE_COMMAND);
        out.writeByte(4 + length).writeInt((int) serverFlag);
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c > 0x7E || c < 0x20) {
                throw new IllegalArgumentException("GT06 command text must be printable ASCII");
            }
            out.writeByte(c);
        }
        finish(out, start, serial);
    }

    /**
     * Writes the reply {@code frame} (a whole frame from {@link Gt06FrameDecoder}) expects, if any, and says whether
     * it wrote one. Call it only after what the frame carried is durably stored: the ack lets the device free it.
     */
    public static boolean writeReply(ByteBuf out, ByteBuf frame, long nowMs) {
        int protocol = Gt06Frame.protocolNumber(frame);
        switch (protocol) {
            case Gt06ProtocolNumber.TIME_REQUEST -> {
                writeTimeResponse(out, nowMs);
                return true;
            }
            case Gt06ProtocolNumber.LOGIN, Gt06ProtocolNumber.GPS, Gt06ProtocolNumber.GPS_LBS, Gt06ProtocolNumber.STATUS,
                 Gt06ProtocolNumber.STRING, Gt06ProtocolNumber.GPS_LBS_STATUS, Gt06ProtocolNumber.LBS_STATUS,
                 Gt06ProtocolNumber.COMMAND_REPLY, Gt06ProtocolNumber.GPS_LBS_2, Gt06ProtocolNumber.HEARTBEAT_2,
                 Gt06ProtocolNumber.GPS_LBS_STATUS_2 -> {
                writeAck(out, Gt06Frame.isExtended(frame), protocol, Gt06Frame.serial(frame));
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    /** Device side: a login (0x01) without the type/time-zone extension. */
    public static void writeLogin(ByteBuf out, long imei, int serial) {
        int start = begin(out, Gt06ProtocolNumber.LOGIN);
        Gt06Login.writeImei(out, imei);
        finish(out, start, serial);
    }

    /** Device side: a GPS + cell location (0x12) with an empty cell block. */
    public static void writeLocation0x12(ByteBuf out, Fix fix, int serial) {
        int start = begin(out, Gt06ProtocolNumber.GPS_LBS);
        Gt06GpsBlock.write(out, fix);
        out.writeZero(8);  // MCC(2) MNC(1) LAC(2) CELL(3)
        finish(out, start, serial);
    }

    /** Device side: an alarm (0x16) with {@code alarmCode} (see {@link Gt06Alarm}), GPS on, full battery and signal. */
    public static void writeAlarm0x16(ByteBuf out, Fix fix, int alarmCode, int serial) {
        int start = begin(out, Gt06ProtocolNumber.GPS_LBS_STATUS);
        Gt06GpsBlock.write(out, fix);
        out.writeByte(9).writeZero(8);  // cell block: length (counting itself) + MCC MNC LAC CELL
        out.writeByte(Gt06StatusBlock.TERM_GPS_ON).writeByte(6).writeByte(4).writeByte(alarmCode).writeByte(2);
        finish(out, start, serial);
    }

    /** Device side: a status / heartbeat (0x13) without alarm; {@code voltageLevel} 0..6, {@code gsm} 0..4. */
    public static void writeHeartbeat0x13(ByteBuf out, int termInfo, int voltageLevel, int gsm, int serial) {
        int start = begin(out, Gt06ProtocolNumber.STATUS);
        out.writeByte(termInfo).writeByte(voltageLevel).writeByte(gsm).writeByte(0).writeByte(2);  // alarm none, English
        finish(out, start, serial);
    }

    private static void writeDateTime(ByteBuf out, long timeMs) {
        int[] t = new int[6];
        CivilTime.fromEpochMs(timeMs, t);
        out.writeByte(t[0] - 2000).writeByte(t[1]).writeByte(t[2]).writeByte(t[3]).writeByte(t[4]).writeByte(t[5]);
    }

    /** Writes start marker, a length placeholder and the protocol number; returns the frame's start index. */
    private static int begin(ByteBuf out, int protocolNumber) {
        int start = out.writerIndex();
        out.writeShort(Gt06Frame.START_STANDARD).writeByte(0).writeByte(protocolNumber);
        return start;
    }

    /** Appends the serial, fills in LEN, appends CRC and terminator. */
    private static void finish(ByteBuf out, int start, int serial) {
        out.writeShort(serial);
        out.setByte(start + 2, out.writerIndex() - (start + 3) + 2);  // protocol..serial plus the CRC to come
        finishCrc(out, start);
    }

    private static void finishCrc(ByteBuf out, int start) {
        int crcFrom = start + 2;
        out.writeShort(Gt06Crc.compute(out, crcFrom, out.writerIndex() - crcFrom));
        out.writeShort(Gt06Frame.STOP);
    }
}
