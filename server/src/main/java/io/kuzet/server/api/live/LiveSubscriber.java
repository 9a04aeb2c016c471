package io.kuzet.server.api.live;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.ReferenceCountUtil;

/**
 * Subscribes the channel to the {@link AgencyLiveHub} with the principal its handshake authenticated; frames the
 * client sends are dropped (the stream is one-way). One instance per connection.
 */
final class LiveSubscriber extends ChannelInboundHandlerAdapter {
    private final AgencyLiveHub hub;

    LiveSubscriber(AgencyLiveHub hub) {
        this.hub = hub;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
            hub.subscribe(ctx.channel(), ctx.channel().attr(LiveHandshakeAuth.PRINCIPAL).get());
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
