package io.kuzet.protocol.watch;

import io.kuzet.protocol.DecodeError;
import io.kuzet.protocol.ProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

import java.util.List;

/**
 * Cuts a Watch byte stream into whole frames, '[' through ']' (layout in {@link WatchFrame}), using the hex length
 * field. Emits each frame as a retained
 * slice of the cumulation; the next handler owns and must release it.
 *
 * <p>The frame ends where its declared length says when a ']' is there (plain form first, then the index form, whose
 * second 4-hex-digit field follows the first); this keeps unescaped binary content intact. Otherwise it ends at the
 * first ']', since escaping keeps ']' out of the content and some firmware miscounts the length. Bad input is
 * reported with
 * {@code ctx.fireExceptionCaught(ProtocolException)}, the stream skips to the next '[' and decoding carries on in the
 * same read:
 * <ul>
 *   <li>bytes before '[': {@link DecodeError#BAD_FRAMING};</li>
 *   <li>a vendor or id field without '*' within its cap, a length field that is not 4 hex digits:
 *       {@link DecodeError#BAD_FRAMING};</li>
 *   <li>no ']' within {@link #maxFrameBytes()}: {@link DecodeError#OVERSIZED}, refused without buffering more;</li>
 *   <li>a '[' before the closing ']': {@link DecodeError#TRUNCATED}, the frame was cut short and the next one starts;</li>
 *   <li>bytes left when the channel closes: {@link DecodeError#TRUNCATED}.</li>
 * </ul>
 *
 * <p>One instance per channel; not sharable. Cost per frame: a scan of the header (at most ~45 bytes), no allocation
 * besides the slice.
 */
public final class WatchFrameDecoder extends ByteToMessageDecoder {
    /** Default cap on a whole frame. Location frames with Wi-Fi and cell lists stay under 1 KiB; voice does not. */
    public static final int DEFAULT_MAX_FRAME_BYTES = 2048;

    private static final int NEED_MORE = -1;
    private static final int NOT_FOUND = -2;

    private final int maxFrameBytes;

    public WatchFrameDecoder() {
        this(DEFAULT_MAX_FRAME_BYTES);
    }

    public WatchFrameDecoder(int maxFrameBytes) {
        if (maxFrameBytes < 16) {
            throw new IllegalArgumentException("maxFrameBytes " + maxFrameBytes + " < 16");
        }
        this.maxFrameBytes = maxFrameBytes;
    }

    public int maxFrameBytes() {
        return maxFrameBytes;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        int start = in.readerIndex();
        int available = in.writerIndex();
        if (start >= available) {
            return;
        }
        if (in.getByte(start) != '[') {
            int skipped = skipToNextStart(in, start);
            refuse(ctx, DecodeError.BAD_FRAMING, skipped + " bytes before a Watch '[' skipped");
            return;
        }
        int vendorEnd = star(in, start + 1, WatchFrame.MAX_VENDOR_CHARS);
        if (vendorEnd == NEED_MORE) {
            return;
        }
        if (vendorEnd == NOT_FOUND) {
            refuseFrame(ctx, in, start, DecodeError.BAD_FRAMING, "vendor field without '*'");
            return;
        }
        int idEnd = star(in, vendorEnd + 1, WatchFrame.MAX_ID_CHARS);
        if (idEnd == NEED_MORE) {
            return;
        }
        if (idEnd == NOT_FOUND) {
            refuseFrame(ctx, in, start, DecodeError.BAD_FRAMING, "device id field without '*'");
            return;
        }
        int first = idEnd + 1;
        if (available < first + 5) {
            return;
        }
        int plainLength = WatchFrame.hex4(in, first);
        if (plainLength < 0 || in.getByte(first + 4) != '*') {
            refuseFrame(ctx, in, start, DecodeError.BAD_FRAMING, "length field is not 4 hex digits and '*'");
            return;
        }
        int plainEnd = first + 5 + plainLength;
        if (plainEnd < available && in.getByte(plainEnd) == ']' && plainEnd - start + 1 <= maxFrameBytes) {
            emit(in, out, start, plainEnd);
            return;
        }
        if (available < first + 10) {
            return;  // too few bytes to tell the plain form from the index form
        }
        if (in.getByte(first + 9) == '*' && WatchFrame.hex4(in, first + 5) >= 0) {
            int indexEnd = first + 10 + WatchFrame.hex4(in, first + 5);
            if (indexEnd < available && in.getByte(indexEnd) == ']' && indexEnd - start + 1 <= maxFrameBytes) {
                emit(in, out, start, indexEnd);
                return;
            }
        }
        // The declared length does not land on ']' (yet): escaping keeps ']' out of the content, so the first one ends
        // the frame. Some firmware miscounts the length; the reference UD frames declare 135 bytes for 143.
        int limit = Math.min(available, start + maxFrameBytes);
        int close = in.indexOf(first + 5, limit, (byte) ']');
        int open = in.indexOf(first + 5, close > 0 ? close : limit, (byte) '[');
        if (open > 0) {
            // '[' is escaped inside content too: this frame was cut short and the next one begins here
            in.readerIndex(open);
            refuse(ctx, DecodeError.TRUNCATED, "Watch frame cut short after " + (open - start) + " bytes by the next '['");
        } else if (close > 0) {
            emit(in, out, start, close);
        } else if (limit == start + maxFrameBytes) {
            refuseFrame(ctx, in, start, DecodeError.OVERSIZED, "without ']' in " + maxFrameBytes + " bytes");
        }
    }

    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        int before;
        do {
            before = in.readableBytes();
            decode(ctx, in, out);
        } while (in.isReadable() && in.readableBytes() < before);
        if (in.isReadable()) {
            int left = in.readableBytes();
            in.skipBytes(left);
            refuse(ctx, DecodeError.TRUNCATED, "Watch stream closed with " + left + " bytes of an incomplete frame");
        }
    }

    private static void emit(ByteBuf in, List<Object> out, int start, int end) {
        out.add(in.retainedSlice(start, end - start + 1));
        in.readerIndex(end + 1);
    }

    /** Index of the '*' ending a field of at most {@code maxChars} from {@code from}, NEED_MORE or NOT_FOUND. */
    private static int star(ByteBuf in, int from, int maxChars) {
        int limit = from + maxChars + 1;
        int available = in.writerIndex();
        int star = in.indexOf(from, Math.min(limit, available), (byte) '*');
        if (star == from) {
            return NOT_FOUND;  // empty field
        }
        if (star > from) {
            return star;
        }
        return available < limit ? NEED_MORE : NOT_FOUND;
    }

    private static void refuseFrame(ChannelHandlerContext ctx, ByteBuf in, int start, DecodeError reason, String what) {
        skipToNextStart(in, start);
        refuse(ctx, reason, "Watch frame " + what);
    }

    /** Moves the reader index to the next '[' after {@code start} (or the end); returns the bytes skipped. */
    private static int skipToNextStart(ByteBuf in, int start) {
        int next = in.indexOf(start + 1, in.writerIndex(), (byte) '[');
        int to = next < 0 ? in.writerIndex() : next;
        in.readerIndex(to);
        return to - start;
    }

    private static void refuse(ChannelHandlerContext ctx, DecodeError reason, String message) {
        ctx.fireExceptionCaught(new ProtocolException(reason, message));
    }
}
