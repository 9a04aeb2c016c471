package io.kuzet.protocol.gt06;

import io.kuzet.protocol.DecodeError;
import io.kuzet.protocol.ProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A frame decoder in an {@link EmbeddedChannel}, with a tail handler that records every refusal by reason
 * (unwrapping {@link DecoderException}) and fails on any other exception. Frames come out with {@link #frames()}.
 */
public final class FramePipe implements AutoCloseable {
    private final EmbeddedChannel channel;
    private final List<DecodeError> errors = new ArrayList<>();
    private final List<Throwable> unexpected = new ArrayList<>();

    public FramePipe(ChannelHandler frameDecoder) {
        channel = new EmbeddedChannel(frameDecoder, new ChannelInboundHandlerAdapter() {
            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                Throwable t = cause instanceof DecoderException && !(cause instanceof ProtocolException)
                        && cause.getCause() != null ? cause.getCause() : cause;
                if (t instanceof ProtocolException pe) {
                    errors.add(pe.reason());
                } else {
                    unexpected.add(cause);
                }
            }
        });
    }

    /** Writes {@code bytes} as one read; the pipe takes ownership. */
    public FramePipe write(ByteBuf bytes) {
        channel.writeInbound(bytes);
        return this;
    }

    /** Closes the channel, so the decoder sees the end of the stream. */
    public FramePipe finish() {
        channel.finish();
        return this;
    }

    /** Frames emitted so far; the caller owns (and must release) them. */
    public List<ByteBuf> frames() {
        List<ByteBuf> frames = new ArrayList<>();
        for (Object o; (o = channel.readInbound()) != null; ) {
            frames.add((ByteBuf) o);
        }
        return frames;
    }

    public List<DecodeError> errors() {
        return errors;
    }

    public List<Throwable> unexpected() {
        return unexpected;
    }

    /**
     * Feeds {@code bytes} to a new pipe in reads of {@code chunkBytes}, closes it, hands every frame to
     * {@code onFrame} (which must not release it), then asserts that nothing but ProtocolExceptions were raised and
     * that every frame and input buffer is released.
     */
    public static void feedInChunks(ChannelHandler frameDecoder, byte[] bytes, int chunkBytes, Consumer<ByteBuf> onFrame) {
        List<ByteBuf> inputs = new ArrayList<>();
        List<ByteBuf> frames = new ArrayList<>();
        try (FramePipe pipe = new FramePipe(frameDecoder)) {
            for (int at = 0; at < bytes.length; at += chunkBytes) {
                ByteBuf chunk = Unpooled.copiedBuffer(bytes, at, Math.min(chunkBytes, bytes.length - at));
                inputs.add(chunk);
                frames.addAll(pipe.write(chunk).frames());
            }
            frames.addAll(pipe.finish().frames());
            assertEquals(List.of(), pipe.unexpected());
        }
        for (ByteBuf frame : frames) {
            onFrame.accept(frame);
            frame.release();
        }
        for (ByteBuf frame : frames) {
            assertEquals(0, frame.refCnt());
        }
        for (ByteBuf input : inputs) {
            assertEquals(0, input.refCnt());
        }
    }

    /** The frames a new pipe cuts from {@code reads}, rendered by {@code render}; asserts there was no refusal. */
    public static List<String> framesOf(ChannelHandler frameDecoder, List<byte[]> reads, Function<ByteBuf, String> render) {
        List<String> rendered = new ArrayList<>();
        try (FramePipe pipe = new FramePipe(frameDecoder)) {
            for (byte[] read : reads) {
                for (ByteBuf frame : pipe.write(Unpooled.wrappedBuffer(read)).frames()) {
                    rendered.add(render.apply(frame));
                    frame.release();
                }
            }
            assertEquals(List.of(), pipe.errors());
        }
        return rendered;
    }

    /** {@code stream} cut into consecutive reads of the given sizes, the rest in a last read. */
    public static List<byte[]> split(byte[] stream, List<Integer> readSizes) {
        List<byte[]> pieces = new ArrayList<>();
        int at = 0;
        for (int size : readSizes) {
            int end = Math.min(stream.length, at + size);
            pieces.add(Arrays.copyOfRange(stream, at, end));
            at = end;
        }
        pieces.add(Arrays.copyOfRange(stream, at, stream.length));
        return pieces;
    }

    @Override
    public void close() {
        channel.finishAndReleaseAll();
    }
}
