package io.kuzet.simulator.device;

import io.kuzet.protocol.gt06.Gt06Crc;
import io.kuzet.protocol.gt06.Gt06Frame;
import io.kuzet.protocol.gt06.Gt06ProtocolNumber;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The device side of the text commands GT06 and Watch trackers take: parses what the server sent, carries it out
 * through {@link DeviceCommands}, and writes the device's answer. GT06: an online command (0x80: length, 4-byte server
 * flag, ASCII command such as {@code TIMER,15#} or {@code WHERE#}) is answered with a 0x15 string frame echoing the
 * server flag. Watch: {@code [3G*id*LLLL*UPLOAD,15]}, {@code CR}, {@code FIND} are answered by echoing the type
 * ({@code [3G*id*0006*UPLOAD]}). Stateless; allocates (commands are rare).
 */
final class TextCommands {
    /** GT06 online command, server to device. */
    static final int GT06_ONLINE_COMMAND = 0x80;

    private TextCommands() {
    }

    /** A GT06 0x80 frame's command text without the trailing '#', upper case. */
    static String gt06Command(ByteBuf frame) {
        int info = Gt06Frame.infoStart(frame);
        int commandLength = frame.getUnsignedByte(info) - 4;   // the length counts the server flag
        String text = frame.toString(info + 5, Math.max(0, commandLength), StandardCharsets.US_ASCII).trim();
        return (text.endsWith("#") ? text.substring(0, text.length() - 1) : text).toUpperCase(Locale.ROOT);
    }

    /** The server flag of a GT06 0x80 frame, echoed in the answer so the server can match it. */
    static int gt06ServerFlag(ByteBuf frame) {
        return frame.getInt(Gt06Frame.infoStart(frame) + 1);
    }

    /** Carries out a GT06 command; returns the answer text. */
    static String executeGt06(String command, DeviceCommands commands) {
        String[] parts = command.split(",");
        switch (parts[0]) {
            case "TIMER" -> {
                int seconds = parts.length > 1 ? parseSeconds(parts[1]) : -1;
                if (seconds < 0) {
                    return "TIMER ERROR";
                }
                commands.setReportingInterval(seconds);
                return "TIMER OK:" + seconds;
            }
            case "WHERE" -> {
                commands.locateNow();
                return "WHERE OK";
            }
            case "FIND" -> {
                commands.vibrate(0);
                return "FIND OK";
            }
            default -> {
                return "UNKNOWN COMMAND:" + parts[0];
            }
        }
    }

    /** Writes the 0x15 string answer: 78 78 | len | 15 | 4 + text | flag(4) | text | serial | crc | 0D 0A. */
    static void writeGt06Answer(ByteBuf out, int serverFlag, String text, int serial) {
        byte[] ascii = text.getBytes(StandardCharsets.US_ASCII);
        int start = out.writerIndex();
        out.writeShort(Gt06Frame.START_STANDARD).writeByte(0).writeByte(Gt06ProtocolNumber.STRING);
        out.writeByte(4 + ascii.length).writeInt(serverFlag).writeBytes(ascii).writeShort(serial);
        out.setByte(start + 2, out.writerIndex() - (start + 3) + 2);
        int crcFrom = start + 2;
        out.writeShort(Gt06Crc.compute(out, crcFrom, out.writerIndex() - crcFrom));
        out.writeShort(Gt06Frame.STOP);
    }

    /** A Watch frame's content (after the length field), or null when it is not a frame. */
    static String watchContent(ByteBuf frame) {
        String text = frame.toString(StandardCharsets.US_ASCII).trim();
        if (!text.startsWith("[") || !text.endsWith("]")) {
            return null;
        }
        String[] fields = text.substring(1, text.length() - 1).split("\\*", 4);
        return fields.length == 4 ? fields[3] : null;
    }

    /** Carries out a Watch command; returns the type to echo, or null when the content is not a command. */
    static String executeWatch(String content, DeviceCommands commands) {
        String[] parts = content.split(",");
        switch (parts[0]) {
            case "UPLOAD" -> {
                int seconds = parts.length > 1 ? parseSeconds(parts[1]) : -1;
                if (seconds >= 0) {
                    commands.setReportingInterval(seconds);
                }
                return "UPLOAD";
            }
            case "CR" -> {
                commands.locateNow();
                return "CR";
            }
            case "FIND" -> {
                commands.vibrate(0);
                return "FIND";
            }
            default -> {
                return null;
            }
        }
    }

    /** Writes {@code [vendor*id*LLLL*type]}: the echo a watch sends after a command. */
    static void writeWatchEcho(ByteBuf out, String vendor, long id, String type) {
        out.writeCharSequence("[" + vendor + "*" + id + "*" + String.format(Locale.ROOT, "%04X", type.length()) + "*" + type + "]",
                StandardCharsets.US_ASCII);
    }

    private static int parseSeconds(String s) {
        try {
            int v = Integer.parseInt(s.trim());
            return v >= 1 && v <= 86_400 ? v : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
