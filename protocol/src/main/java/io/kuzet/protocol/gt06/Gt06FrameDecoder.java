package io.kuzet.protocol.gt06;

import io.kuzet.protocol.DecodeError;
import io.kuzet.protocol.ProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

import java.util.List;

/**
 * Cuts a GT06 byte stream into whole frames (start marker through {@code 0D 0A}, see {@link Gt06Frame}) and emits each
 * as a retained slice of the cumulation buffer; the next handler owns and must release it.
 *
 * <p>Every emitted frame has a consistent length, the terminator and a correct CRC-16/X25. Bad input is reported with
 * {@code ctx.fireExceptionCaught(ProtocolException)} and decoding carries on in the same read, so one bad frame never
 * holds back the good frame behind it (a device waits for the ack of that one):
 * <ul>
 *   <li>bytes that do not start a frame: skipped up to the next start marker, one {@link DecodeError#BAD_FRAMING};</li>
 *   <li>LEN below the minimum or a missing terminator: {@link DecodeError#BAD_FRAMING}; the stream resynchronises at
 *       the next start marker after the bad one, since the length itself is the likely corruption;</li>
 *   <li>LEN beyond {@link #maxFrameBytes()}: {@link DecodeError#OVERSIZED}, refused before buffering, resynchronised
 *       the same way;</li>
 *   <li>CRC mismatch: {@link DecodeError#BAD_CRC}, the whole frame is skipped (its framing was sound);</li>
 *   <li>bytes left when the channel closes: {@link DecodeError#TRUNCATED}.</li>
 * </ul>
 *
 * <p>One instance per channel (it keeps the cumulation); not sharable. Cost per frame: one CRC pass over the frame,
 * no allocation besides the slice.
 */
public final class Gt06FrameDecoder extends ByteToMessageDecoder {
    /** Default cap on a whole frame, start marker to terminator. GT06 messages are well under 300 bytes. */
    public static final int DEFAULT_MAX_FRAME_BYTES = 1024;

    private final int maxFrameBytes;

    public Gt06FrameDecoder() {
        this(DEFAULT_MAX_FRAME_BYTES);
    }

    public Gt06FrameDecoder(int maxFrameBytes) {
        if (maxFrameBytes < 10) {
            throw new IllegalArgumentException("maxFrameBytes " + maxFrameBytes + " < smallest frame (10)");
        }
        this.maxFrameBytes = maxFrameBytes;
    }

    public int maxFrameBytes() {
        return maxFrameBytes;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        int start = in.readerIndex();
        int readable = in.readableBytes();
        if (readable < 2) {
            return;
        }
        int marker = in.getUnsignedShort(start);
        if (marker != Gt06Frame.START_STANDARD && marker != Gt06Frame.START_EXTENDED) {
            skipToStart(ctx, in);
            return;
        }
        boolean extended = marker == Gt06Frame.START_EXTENDED;
        int lengthFieldBytes = extended ? 2 : 1;
        if (readable < 2 + lengthFieldBytes) {
            return;
        }
        int length = extended ? in.getUnsignedShort(start + 2) : in.getUnsignedByte(start + 2);
        int frameBytes = 2 + lengthFieldBytes + length + 2;
        if (length < Gt06Frame.MIN_LENGTH_FIELD) {
            resync(ctx, in, start, DecodeError.BAD_FRAMING, "GT06 length " + length + " < " + Gt06Frame.MIN_LENGTH_FIELD);
            return;
        }
        if (frameBytes > maxFrameBytes) {
            resync(ctx, in, start, DecodeError.OVERSIZED, "GT06 frame of " + frameBytes + " bytes > max " + maxFrameBytes);
            return;
        }
        if (readable < frameBytes) {
            return;
        }
        int end = start + frameBytes;
        if (in.getUnsignedShort(end - 2) != Gt06Frame.STOP) {
            resync(ctx, in, start, DecodeError.BAD_FRAMING, "GT06 frame of " + frameBytes + " bytes does not end with 0D0A");
            return;
        }
        int crcFrom = start + 2;
        int crcLength = frameBytes - 2 - 4;  // LEN..SERIAL: drop start marker, CRC and terminator
        int expected = in.getUnsignedShort(end - 4);
        int actual = Gt06Crc.compute(in, crcFrom, crcLength);
        if (expected != actual) {
            in.skipBytes(frameBytes);
            ctx.fireExceptionCaught(new ProtocolException(DecodeError.BAD_CRC, String.format(
                    "GT06 protocol 0x%02X: CRC in frame %04X, computed %04X", in.getUnsignedByte(crcFrom + lengthFieldBytes),
                    expected, actual)));
            return;
        }
        out.add(in.retainedSlice(start, frameBytes));
        in.skipBytes(frameBytes);
    }

    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        int before;
        do {
            before = in.readableBytes();
            decode(ctx, in, out);
        } while (in.isReadable() && in.readableBytes() < before);
        if (in.isReadable()) {
            int left = in.readableBytes();
            in.skipBytes(left);
            ctx.fireExceptionCaught(new ProtocolException(DecodeError.TRUNCATED,
                    "GT06 stream closed with " + left + " bytes of an incomplete frame"));
        }
    }

    /** Skips bytes that do not start a frame up to the next start marker and reports them once. */
    private static void skipToStart(ChannelHandlerContext ctx, ByteBuf in) {
        int from = in.readerIndex();
        int to = nextStart(in, from + 1);
        in.readerIndex(to);
        ctx.fireExceptionCaught(new ProtocolException(DecodeError.BAD_FRAMING,
                (to - from) + " bytes before a GT06 start marker skipped"));
    }

    /**
     * Refuses the frame starting at {@code start} whose header cannot be trusted: skips past its start marker to the
     * next one, so a frame that begins inside the bad one is still found, and reports one error for all of it.
     */
    private static void resync(ChannelHandlerContext ctx, ByteBuf in, int start, DecodeError reason, String message) {
        in.readerIndex(nextStart(in, start + 2));
        ctx.fireExceptionCaught(new ProtocolException(reason, message));
    }

    /** Index of the next 7878 / 7979 from {@code from}, of a trailing 78 / 79 that may begin one, or the end. */
    private static int nextStart(ByteBuf in, int from) {
        int last = in.writerIndex() - 1;
        for (int i = from; i < last; i++) {
            int b = in.getUnsignedByte(i);
            if ((b == 0x78 || b == 0x79) && in.getUnsignedByte(i + 1) == b) {
                return i;
            }
        }
        if (from <= last) {
            int b = in.getUnsignedByte(last);
            if (b == 0x78 || b == 0x79) {
                return last;
            }
        }
        return last + 1;
    }
}
