package io.kuzet.server.api.live;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;

/**
 * Drops the frames a live-stream client sends (the stream is one-way) and closes the connection on a close frame.
 * Stateless; one instance per connection.
 */
final class LiveSubscriber extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof WebSocketFrame) {
            boolean close = msg instanceof CloseWebSocketFrame;
            ReferenceCountUtil.release(msg);
            if (close) {
                ctx.close();
            }
        } else {
            ctx.fireChannelRead(msg);
        }
    }
}
