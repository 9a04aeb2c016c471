package io.kuzet.server.api.live;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Authenticates the live-stream handshake with an API bearer token ({@code ?token=}, since browsers cannot set
 * headers on WebSockets) off the event loop, then completes the WebSocket handshake on the channel's event loop and
 * subscribes the channel; a bad token gets 401 and the connection closes. Other requests pass untouched. The
 * handshake is done here rather than by a second {@code WebSocketServerProtocolHandler}, because Netty installs one
 * handshake handler per pipeline and the operational {@code /live} stream owns it. One instance per connection.
 */
final class LiveHandshakeAuth extends ChannelInboundHandlerAdapter {
    private final AgencyLiveHub hub;

    LiveHandshakeAuth(AgencyLiveHub hub) {
        this.hub = hub;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest request)) {
            ctx.fireChannelRead(msg);
            return;
        }
        QueryStringDecoder query = new QueryStringDecoder(request.uri());
        if (!query.path().equals(AgencyLiveHub.PATH)) {
            ctx.fireChannelRead(msg);
            return;
        }
        List<String> token = query.parameters().get("token");
        hub.authenticate(token == null ? null : token.get(0), principal -> ctx.executor().execute(() -> {
            if (principal == null) {
                request.release();
                var response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.UNAUTHORIZED,
                        Unpooled.copiedBuffer("{\"error\":\"unauthorized\",\"message\":\"a valid API token is required\"}",
                                StandardCharsets.UTF_8));
                response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
                response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
                ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
                return;
            }
            String url = "ws://" + request.headers().get(HttpHeaderNames.HOST, "localhost") + AgencyLiveHub.PATH;
            WebSocketServerHandshaker handshaker = new WebSocketServerHandshakerFactory(url, null, false, 65_536)
                    .newHandshaker(request);
            if (handshaker == null) {
                WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
            } else {
                handshaker.handshake(ctx.channel(), request).addListener(f -> {
                    if (f.isSuccess()) {
                        hub.subscribe(ctx.channel(), principal);
                    }
                });
            }
            request.release();
        }));
    }
}
