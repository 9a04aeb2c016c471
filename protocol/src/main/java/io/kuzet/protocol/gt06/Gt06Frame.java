package io.kuzet.protocol.gt06;

import io.netty.buffer.ByteBuf;

/**
 * Where the fields of one whole GT06 frame sit, as emitted by {@link Gt06FrameDecoder}. All offsets are absolute
 * buffer indexes computed from the frame's reader index, so callers never move it.
 *
 * <pre>
 * standard: 78 78 | LEN(1) | PROTO(1) | INFO(LEN-5) | SERIAL(2) | CRC(2) | 0D 0A    LEN = 1 + info + 2 + 2
 * extended: 79 79 | LEN(2) | PROTO(1) | INFO(LEN-5) | SERIAL(2) | CRC(2) | 0D 0A
 *           CRC = CRC-16/X25 over LEN..SERIAL
 * </pre>
 *
 * <p>Stateless and thread-safe; every method is a few index computations.
 */
public final class Gt06Frame {
    /** Start marker of frames with a one-byte length. */
    public static final int START_STANDARD = 0x7878;
    /** Start marker of frames with a two-byte length. */
    public static final int START_EXTENDED = 0x7979;
    /** Terminator closing every frame. */
    public static final int STOP = 0x0D0A;
    /** Bytes of protocol number + serial + CRC: the smallest legal LEN value. */
    public static final int MIN_LENGTH_FIELD = 5;
    /** Bytes after the info: serial, CRC, terminator. */
    static final int TRAILER_BYTES = 6;

    private Gt06Frame() {
    }

    public static boolean isExtended(ByteBuf frame) {
        return frame.getUnsignedShort(frame.readerIndex()) == START_EXTENDED;
    }

    /** Index of the protocol-number byte. */
    public static int protocolIndex(ByteBuf frame) {
        return frame.readerIndex() + (isExtended(frame) ? 4 : 3);
    }

    public static int protocolNumber(ByteBuf frame) {
        return frame.getUnsignedByte(protocolIndex(frame));
    }

    /** Index of the first info byte (right after the protocol number). */
    public static int infoStart(ByteBuf frame) {
        return protocolIndex(frame) + 1;
    }

    /** Index of the serial number, which is also the end (exclusive) of the info. */
    public static int serialIndex(ByteBuf frame) {
        return frame.writerIndex() - TRAILER_BYTES;
    }

    public static int infoLength(ByteBuf frame) {
        return serialIndex(frame) - infoStart(frame);
    }

    public static int serial(ByteBuf frame) {
        return frame.getUnsignedShort(serialIndex(frame));
    }
}
