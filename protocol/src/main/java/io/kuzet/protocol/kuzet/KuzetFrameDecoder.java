package io.kuzet.protocol.kuzet;

import static io.kuzet.protocol.kuzet.KuzetFrame.CRC_LENGTH;
import static io.kuzet.protocol.kuzet.KuzetFrame.HEADER_LENGTH;
import static io.kuzet.protocol.kuzet.KuzetFrame.LENGTH_OFFSET;
import static io.kuzet.protocol.kuzet.KuzetFrame.MAGIC;
import static io.kuzet.protocol.kuzet.KuzetFrame.MAX_FRAME_LENGTH;
import static io.kuzet.protocol.kuzet.KuzetFrame.MAX_PAYLOAD_LENGTH;
import static io.kuzet.protocol.kuzet.KuzetFrame.SEQUENCE_OFFSET;
import static io.kuzet.protocol.kuzet.KuzetFrame.TYPE_OFFSET;
import static io.kuzet.protocol.kuzet.KuzetFrame.VERSION;
import static io.kuzet.protocol.kuzet.KuzetFrame.VERSION_OFFSET;

import io.kuzet.protocol.DecodeError;
import io.kuzet.protocol.ProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Splits a Kuzet v1 byte stream into whole frames (header to CRC) and refuses damaged ones.
 *
 * <pre>
 *  +-------+-----+------+--------+----------+---------+-------+---------+
 *  | 'K''Z'| ver | type | length | sequence | payload | [tag] | CRC-32C |   emitted as one retained slice
 *  +-------+-----+------+--------+----------+---------+-------+---------+
 *    2       1     1      2        4          length    0 / 8   4          at most 4096 bytes in all
 * </pre>
 * The tag is present when bit 7 of the type byte is set; this decoder only frames it (the session checks it with
 * {@link KuzetFrameMac}).
 *
 * <p>Checks, in order: magic, length cap, CRC-32C over header and payload, version. Each good frame is
 * passed on as {@code in.readRetainedSlice(n)} (the next handler must release it); the payload is not
 * interpreted here (see {@link KuzetDecoder}).
 *
 * <p>A refused frame is reported as {@code exceptionCaught(ProtocolException)} to the next handler, and
 * decoding then goes on with the bytes after it, so a good frame that arrived in the same read is not
 * held back until the device sends more. The decoder always makes progress:
 * <ul>
 *   <li>bytes that do not start with the magic: dropped up to the next possible {@code "KZ"},
 *       {@link DecodeError#BAD_FRAMING} reported once per run of garbage;</li>
 *   <li>length above the cap: {@link DecodeError#OVERSIZED}; the magic is dropped and the decoder
 *       resynchronises (the server is expected to close the connection);</li>
 *   <li>bad CRC: exactly that frame (by its length field) is dropped, {@link DecodeError#BAD_CRC};</li>
 *   <li>version other than 1 (CRC good): the frame is dropped, {@link DecodeError#UNSUPPORTED_VERSION};</li>
 *   <li>connection closed in the middle of a frame: {@link DecodeError#TRUNCATED}.</li>
 * </ul>
 * {@link #sequenceOfLastRefusedFrame()} then tells which sequence to NACK.
 *
 * <p>One instance per channel, used only by its event loop (not thread-safe, not sharable). Cost: one
 * CRC-32C pass per frame (hardware-assisted for heap and direct buffers); no allocation per frame other
 * than the retained slice.
 */
public final class KuzetFrameDecoder extends ByteToMessageDecoder {
    private static final byte MAGIC_FIRST = (byte) (MAGIC >>> 8);
    private static final byte MAGIC_SECOND = (byte) MAGIC;

    /** Dropping bytes up to a frame whose CRC checks; BAD_FRAMING for this run was already reported. */
    private boolean hunting;
    private long sequenceOfLastRefusedFrame = -1;

    /**
     * The sequence field of the frame most recently refused, for the NACK; -1 when the refusal had no
     * readable header (bad framing). Taken from a frame that failed its checks, so it may itself be damaged.
     */
    public long sequenceOfLastRefusedFrame() {
        return sequenceOfLastRefusedFrame;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        // One frame or one refusal per call: ByteToMessageDecoder passes on what is in `out` before calling
        // again, so frames before a refusal reach the next handler before the exception does.
        int start = in.readerIndex();
        int readable = in.readableBytes();
        if (readable < 2) {
            if (readable == 1 && in.getByte(start) != MAGIC_FIRST) {
                dropGarbage(ctx, in);
            }
            return;
        }
        if (in.getUnsignedShort(start) != MAGIC) {
            dropGarbage(ctx, in);
            return;
        }
        if (readable < HEADER_LENGTH) {
            return;
        }
        int payloadLength = in.getUnsignedShort(start + LENGTH_OFFSET);
        long sequence = in.getUnsignedInt(start + SEQUENCE_OFFSET);
        int version = in.getUnsignedByte(start + VERSION_OFFSET);
        int tagLength = KuzetFrame.tagLength(in.getUnsignedByte(start + TYPE_OFFSET));
        if (hunting && (payloadLength + tagLength > MAX_PAYLOAD_LENGTH || version != VERSION)) {
            in.skipBytes(1); // a "KZ" inside garbage, not a frame start
            return;
        }
        if (payloadLength + tagLength > MAX_PAYLOAD_LENGTH) {
            in.skipBytes(2);
            hunting = true;
            refuse(ctx, DecodeError.OVERSIZED, sequence, "frame seq " + sequence + " declares payload length "
                    + payloadLength + ", frame would be " + (KuzetFrame.frameLength(payloadLength) + tagLength) + " > "
                    + MAX_FRAME_LENGTH + " bytes");
            return;
        }
        int frameLength = HEADER_LENGTH + payloadLength + tagLength + CRC_LENGTH;
        if (readable < frameLength) {
            return;
        }
        int expectedCrc = in.getInt(start + HEADER_LENGTH + payloadLength + tagLength);
        int actualCrc = Crc32c.of(in, start, HEADER_LENGTH + payloadLength + tagLength);
        if (expectedCrc != actualCrc) {
            if (hunting) {
                in.skipBytes(1); // a "KZ" inside garbage; keep looking without reporting again
                return;
            }
            in.skipBytes(frameLength);
            refuse(ctx, DecodeError.BAD_CRC, sequence, "frame seq " + sequence + " type 0x"
                    + Integer.toHexString(in.getUnsignedByte(start + TYPE_OFFSET)) + " length " + frameLength
                    + ": CRC-32C 0x" + Integer.toHexString(expectedCrc) + " != computed 0x"
                    + Integer.toHexString(actualCrc));
            return;
        }
        hunting = false;
        if (version != VERSION) {
            in.skipBytes(frameLength);
            refuse(ctx, DecodeError.UNSUPPORTED_VERSION, sequence,
                    "frame seq " + sequence + " has version " + version + ", only " + VERSION + " is supported");
            return;
        }
        out.add(in.readRetainedSlice(frameLength));
    }

    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        // ByteToMessageDecoder has already decoded every whole frame: what is left is an unfinished one
        int readable = in.readableBytes();
        if (readable == 0) {
            return;
        }
        int start = in.readerIndex();
        boolean frameStart = readable >= 2 && in.getUnsignedShort(start) == MAGIC;
        long sequence = readable >= HEADER_LENGTH ? in.getUnsignedInt(start + SEQUENCE_OFFSET) : -1;
        in.skipBytes(readable);
        if (hunting || !frameStart) {
            return;
        }
        String expected = readable >= HEADER_LENGTH
                ? " of " + KuzetFrame.frameLength(in.getUnsignedShort(start + LENGTH_OFFSET))
                : " of at least " + HEADER_LENGTH;
        refuse(ctx, DecodeError.TRUNCATED, sequence,
                "connection closed after " + readable + " bytes" + expected + " of frame seq " + sequence);
    }

    /** Drops bytes up to the next possible magic (a lone trailing 'K' is kept: it may be half of one). */
    private void dropGarbage(ChannelHandlerContext ctx, ByteBuf in) {
        int start = in.readerIndex();
        int end = in.writerIndex();
        int found = in.readableBytes() >= 2 ? in.getUnsignedShort(start) : in.getUnsignedByte(start);
        int next = end;
        for (int i = in.indexOf(start + 1, end, MAGIC_FIRST); i >= 0; i = in.indexOf(i + 1, end, MAGIC_FIRST)) {
            if (i + 1 == end || in.getByte(i + 1) == MAGIC_SECOND) {
                next = i;
                break;
            }
        }
        in.skipBytes(next - start);
        if (!hunting) {
            hunting = true;
            refuse(ctx, DecodeError.BAD_FRAMING, -1,
                    "expected 'KZ' (0x4b5a) at a frame start, got 0x" + Integer.toHexString(found)
                            + "; dropped " + (next - start) + " bytes up to the next possible frame start");
        }
    }

    private void refuse(ChannelHandlerContext ctx, DecodeError reason, long sequence, String message) {
        sequenceOfLastRefusedFrame = sequence;
        ctx.fireExceptionCaught(new ProtocolException(reason, message));
    }
}
