package io.kuzet.server.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.ReferenceCountUtil;

/**
 * Subscribes a WebSocket to the {@link LiveAlertHub} once its handshake completed (the handshake handler fires the
 * event towards the tail, so this sits after it). Frames the client sends are ignored: the stream is one-way.
 */
final class LiveSubscription extends ChannelInboundHandlerAdapter {
    private final LiveAlertHub live;

    LiveSubscription(LiveAlertHub live) {
        this.live = live;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
            live.subscribe(ctx.channel());
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof WebSocketFrame) {
            ReferenceCountUtil.release(msg);
        } else {
            ctx.fireChannelRead(msg);
        }
    }
}
