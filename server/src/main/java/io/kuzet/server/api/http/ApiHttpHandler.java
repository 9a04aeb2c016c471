package io.kuzet.server.api.http;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;

/**
 * The last handler of every HTTP connection: copies the request out of its buffer (and releases it on the event
 * loop), runs {@code handler} on the API worker pool, where JDBC may block, and writes the answer back on the
 * channel. A full pool answers 503 at once. Keep-alive is honoured. One instance per connection.
 */
public final class ApiHttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private final ExecutorService workers;
    private final Function<ApiRequest, ApiResponse> handler;

    public ApiHttpHandler(ExecutorService workers, Function<ApiRequest, ApiResponse> handler) {
        super(true);
        this.workers = workers;
        this.handler = handler;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest msg) {
        QueryStringDecoder query = new QueryStringDecoder(msg.uri());
        Map<String, String> headers = new HashMap<>();
        msg.headers().forEach(h -> headers.putIfAbsent(h.getKey().toLowerCase(java.util.Locale.ROOT), h.getValue()));
        ApiRequest request = new ApiRequest(msg.method().name(), query.path(), query.parameters(), headers,
                ByteBufUtil.getBytes(msg.content()));
        boolean keepAlive = HttpUtil.isKeepAlive(msg);
        try {
            workers.execute(() -> write(ctx, handler.apply(request), keepAlive));
        } catch (RejectedExecutionException e) {
            write(ctx, ApiResponse.error(503, "busy", "the API is overloaded; retry shortly").header("Retry-After", "1"), keepAlive);
        }
    }

    private static void write(ChannelHandlerContext ctx, ApiResponse r, boolean keepAlive) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(r.status()),
                Unpooled.wrappedBuffer(r.body()));
        if (r.contentType() != null) {
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, r.contentType());
        }
        response.headers().set("X-Content-Type-Options", "nosniff");
        r.headers().forEach((k, v) -> response.headers().set(k, v));
        HttpUtil.setContentLength(response, r.body().length);
        if (keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            ctx.writeAndFlush(response);
        } else {
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
