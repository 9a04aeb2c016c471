package io.kuzet.protocol.gt06;

import io.kuzet.protocol.DecodeError;
import io.kuzet.protocol.ProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;

import java.util.ArrayList;
import java.util.List;

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

    @Override
    public void close() {
        channel.finishAndReleaseAll();
    }
}
