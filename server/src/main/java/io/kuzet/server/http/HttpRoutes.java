package io.kuzet.server.http;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The operational HTTP surface: {@code /metrics} (Prometheus), {@code /health/live}, {@code /health/ready} and the
 * authenticated WebSocket alert stream {@code /live} (token as {@code ?token=} or {@code Authorization: Bearer}).
 * Other paths are handed to the next handler (the operator API) or answered 404. One instance per connection.
 */
public final class HttpRoutes extends SimpleChannelInboundHandler<FullHttpRequest> {
    private final PrometheusMeterRegistry prometheus;
    private final Map<String, HealthCheck> readiness;
    private final LiveAlertHub live;
    private final byte[] liveToken;
    private final boolean forwardUnknown;

    public HttpRoutes(PrometheusMeterRegistry prometheus, Map<String, HealthCheck> readiness, LiveAlertHub live, String liveToken,
                      boolean forwardUnknown) {
        super(false);
        this.forwardUnknown = forwardUnknown;
        this.prometheus = prometheus;
        this.readiness = readiness;
        this.live = live;
        this.liveToken = liveToken.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        QueryStringDecoder query = new QueryStringDecoder(request.uri());
        String path = query.path();
        if (path.equals("/live")) {
            if (!authorised(request, query)) {
                request.release();
                respond(ctx, request, HttpResponseStatus.UNAUTHORIZED, "text/plain", "missing or wrong live token\n");
                return;
            }
            ctx.fireChannelRead(request); // to the WebSocket handshaker after us
            return;
        }
        try {
            if (request.method() != HttpMethod.GET && request.method() != HttpMethod.HEAD
                    && (path.equals("/metrics") || path.startsWith("/health/"))) {
                respond(ctx, request, HttpResponseStatus.METHOD_NOT_ALLOWED, "text/plain", "GET only\n");
                return;
            }
            switch (path) {
                case "/metrics" -> respond(ctx, request, HttpResponseStatus.OK, "text/plain; version=0.0.4; charset=utf-8",
                        prometheus.scrape());
                case "/health/live" -> respond(ctx, request, HttpResponseStatus.OK, "application/json", "{\"status\":\"UP\"}\n");
                case "/health/ready" -> ready(ctx, request);
                default -> {
                    if (forwardUnknown) {
                        request.retain();
                        ctx.fireChannelRead(request);
                    } else {
                        respond(ctx, request, HttpResponseStatus.NOT_FOUND, "text/plain", "not found\n");
                    }
                }
            }
        } finally {
            request.release();
        }
    }

    private void ready(ChannelHandlerContext ctx, FullHttpRequest request) {
        List<String> problems = new ArrayList<>();
        readiness.forEach((name, check) -> {
            String problem = check.problem();
            if (problem != null) {
                problems.add("\"" + name + "\":\"" + problem.replace("\"", "'") + "\"");
            }
        });
        if (problems.isEmpty()) {
            respond(ctx, request, HttpResponseStatus.OK, "application/json", "{\"status\":\"READY\"}\n");
        } else {
            respond(ctx, request, HttpResponseStatus.SERVICE_UNAVAILABLE, "application/json",
                    "{\"status\":\"NOT_READY\",\"problems\":{" + String.join(",", problems) + "}}\n");
        }
    }

    private boolean authorised(FullHttpRequest request, QueryStringDecoder query) {
        String presented = null;
        String header = request.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (header != null && header.startsWith("Bearer ")) {
            presented = header.substring(7).trim();
        } else if (query.parameters().containsKey("token")) {
            presented = query.parameters().get("token").get(0);
        }
        return presented != null && MessageDigest.isEqual(liveToken, presented.getBytes(StandardCharsets.UTF_8));
    }

    static void respond(ChannelHandlerContext ctx, FullHttpRequest request, HttpResponseStatus status, String contentType, String body) {
        ByteBuf content = Unpooled.copiedBuffer(body, StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        HttpUtil.setContentLength(response, content.readableBytes());
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        if (keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            ctx.writeAndFlush(response);
        } else {
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
