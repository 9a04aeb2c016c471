package io.kuzet.protocol.gt06;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * Reads a device's answer to an online command (0x80, {@link Gt06Encoder#writeOnlineCommand}): the server flag it
 * echoes and the answer text. Two layouts exist in the field:
 *
 * <pre>
 * 0x21 (newer firmware, usually 79 79): SERVER FLAG(4) | ENCODING(1: 1 ASCII, 2 UTF-16BE) | text
 * 0x15 (older firmware, 78 78):         4 + n (1) | SERVER FLAG(4) | n ASCII bytes | [LANGUAGE(2)]
 * </pre>
 *
 * Frames come whole and CRC-checked from {@link Gt06FrameDecoder}. Answers are rare, so the text is a new String;
 * nothing else allocates. Stateless.
 */
public final class Gt06CommandReply {
    private static final int ENCODING_UTF16 = 2;

    private Gt06CommandReply() {
    }

    /** True for the protocol numbers that answer an online command. */
    public static boolean isReply(ByteBuf frame) {
        int protocol = Gt06Frame.protocolNumber(frame);
        return (protocol == Gt06ProtocolNumber.COMMAND_REPLY && Gt06Frame.infoLength(frame) >= 5)
                || (protocol == Gt06ProtocolNumber.STRING && Gt06Frame.infoLength(frame) >= 5);
    }

    /** The server flag of the command answered (the value given to {@link Gt06Encoder#writeOnlineCommand}). */
    public static long serverFlag(ByteBuf frame) {
        int info = Gt06Frame.infoStart(frame);
        int at = Gt06Frame.protocolNumber(frame) == Gt06ProtocolNumber.STRING ? info + 1 : info;
        return frame.getUnsignedInt(at);
    }

    /** The answer text as the device wrote it. */
    public static String text(ByteBuf frame) {
        int info = Gt06Frame.infoStart(frame);
        int end = Gt06Frame.serialIndex(frame);
        if (Gt06Frame.protocolNumber(frame) == Gt06ProtocolNumber.STRING) {
            int length = Math.min(frame.getUnsignedByte(info) - 4, end - (info + 5));
            return length <= 0 ? "" : frame.toString(info + 5, length, StandardCharsets.US_ASCII);
        }
        boolean utf16 = frame.getUnsignedByte(info + 4) == ENCODING_UTF16;
        int from = info + 5;
        int length = end - from;
        if (utf16) {
            return frame.toString(from, length & ~1, StandardCharsets.UTF_16BE);
        }
        return frame.toString(from, length, StandardCharsets.US_ASCII);
    }
}
