package io.kuzet.server.ingest.kuzet;

import io.kuzet.protocol.kuzet.KuzetFrameMac;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;

/**
 * Tags every frame the server writes on an authenticated Kuzet session (LOGIN_RESULT, ACK, NACK, COMMAND), in the
 * order they reach the socket, which is the order of the session's send counter. Installed by
 * {@link KuzetSessionHandler} right after a LOGIN that asked for frame authentication; every write on the channel
 * (from the session or from the journal's durability callback) passes through it on the event loop. Each written
 * buffer holds exactly one frame. One instance per connection; allocation-free.
 */
final class KuzetFrameSealer extends ChannelOutboundHandlerAdapter {
    private final KuzetFrameMac mac;

    KuzetFrameSealer(KuzetFrameMac mac) {
        this.mac = mac;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (msg instanceof ByteBuf frame && frame.isReadable()) {
            mac.seal(frame, frame.readerIndex());
        }
        ctx.write(msg, promise);
    }
}
